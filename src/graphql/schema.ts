import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AccessResolver } from '../modules/access/access.resolver.js';
import { AnalyticsResolver } from '../modules/analytics/analytics.resolver.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import { DuplicatesResolver } from '../modules/duplicates/duplicates.resolver.js';
import { EnrolmentsResolver } from '../modules/enrolments/enrolments.resolver.js';
import { HouseholdsResolver } from '../modules/households/households.resolver.js';
import { ImportsResolver } from '../modules/imports/imports.resolver.js';
import { PersonsResolver } from '../modules/persons/persons.resolver.js';
import { ProgramsResolver } from '../modules/programs/programs.resolver.js';
import { ReferralsResolver } from '../modules/referrals/referrals.resolver.js';
import { RegionsResolver } from '../modules/regions/regions.resolver.js';
import { guardSchema } from '../permissions/guard.js';
import { EnrolmentVerificationResolver, PersonVerificationResolver } from '../modules/verification/verification.resolver.js';
import { installPreloadedFields } from './read-plan.js';
import { DateTimeScalar } from './scalars.js';
import './enums.js';

export const resolvers = [
  AccessResolver, RegionsResolver, ProgramsResolver,
  HouseholdsResolver, PersonsResolver, EnrolmentsResolver, ReferralsResolver,
  ImportsResolver, AuditResolver, PersonVerificationResolver, EnrolmentVerificationResolver, DuplicatesResolver,
  AnalyticsResolver,
] as const;

let bare: Promise<GraphQLSchema> | undefined;
let guarded: Promise<GraphQLSchema> | undefined;

/**
 * The schema as type-graphql builds it, WITHOUT field guards or READ auditing. Only for emitting
 * the SDL, walking the fields in tests, and measuring what the guards cost (bench). Never serve it.
 */
export function buildUnguardedSchema(): Promise<GraphQLSchema> {
  bare ??= build();
  return bare;
}

const build = () => buildSchema({
  resolvers: [...resolvers] as [Function, ...Function[]],
  scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
  validate: false,
}).then(installPreloadedFields);

/**
 * The executable schema: a schema of its own with the field guards installed
 * (src/permissions/guard.ts: deny by default, FORBIDDEN at the field's path, decided once per
 * operation) and the READ audit step on personal-data fields, inside the guard, so only allowed
 * reads are audited. Fields whose rule is `allow` keep type-graphql's resolvers untouched.
 */
export function buildPaduSchema(): Promise<GraphQLSchema> {
  guarded ??= build().then(guardSchema);
  return guarded;
}
