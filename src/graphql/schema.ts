import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { applyMiddleware } from 'graphql-middleware';
import { buildSchema } from 'type-graphql';
import { AccessResolver } from '../modules/access/access.resolver.js';
import { AnalyticsResolver } from '../modules/analytics/analytics.resolver.js';
import { AuditResolver } from '../modules/audit/audit.resolver.js';
import { EnrolmentsResolver } from '../modules/enrolments/enrolments.resolver.js';
import { HouseholdsResolver } from '../modules/households/households.resolver.js';
import { ImportsResolver } from '../modules/imports/imports.resolver.js';
import { PersonsResolver } from '../modules/persons/persons.resolver.js';
import { ProgramsResolver } from '../modules/programs/programs.resolver.js';
import { ReferralsResolver } from '../modules/referrals/referrals.resolver.js';
import { RegionsResolver } from '../modules/regions/regions.resolver.js';
import { createAuditMiddleware, createShield, elideRepeatedChecks } from '../permissions/shield.js';
import { EnrolmentVerificationResolver, PersonVerificationResolver } from '../modules/verification/verification.resolver.js';
import { DateTimeScalar } from './scalars.js';
import './enums.js';

export const resolvers = [
  AccessResolver, RegionsResolver, ProgramsResolver,
  HouseholdsResolver, PersonsResolver, EnrolmentsResolver, ReferralsResolver,
  ImportsResolver, AuditResolver, PersonVerificationResolver, EnrolmentVerificationResolver,
  AnalyticsResolver,
] as const;

let bare: Promise<GraphQLSchema> | undefined;
let guarded: Promise<GraphQLSchema> | undefined;

/**
 * The schema as type-graphql builds it, WITHOUT field guards or READ auditing. Only for emitting
 * the SDL, walking the fields in tests, and measuring what the guards cost (bench). Never serve it.
 */
export function buildUnguardedSchema(): Promise<GraphQLSchema> {
  bare ??= buildSchema({
    resolvers: [...resolvers] as [Function, ...Function[]],
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    validate: false,
  });
  return bare;
}

/**
 * The executable schema: graphql-shield outside (deny by default, FORBIDDEN at the field's path),
 * then the READ audit middleware on personal-data fields, so only allowed reads are audited; the
 * cells of stats and coverage are checked once, at their root field (elideRepeatedChecks).
 */
export function buildPaduSchema(): Promise<GraphQLSchema> {
  guarded ??= buildUnguardedSchema().then((schema) =>
    elideRepeatedChecks(applyMiddleware(schema, createShield(), createAuditMiddleware()), schema));
  return guarded;
}
