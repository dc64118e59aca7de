import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { AccessResolver } from '../modules/access/access.resolver.js';
import { EnrolmentsResolver } from '../modules/enrolments/enrolments.resolver.js';
import { HouseholdsResolver } from '../modules/households/households.resolver.js';
import { PersonsResolver } from '../modules/persons/persons.resolver.js';
import { ReferralsResolver } from '../modules/referrals/referrals.resolver.js';
import { ImportsResolver } from '../modules/imports/imports.resolver.js';
import { ProgramsResolver } from '../modules/programs/programs.resolver.js';
import { RegionsResolver } from '../modules/regions/regions.resolver.js';
import { EnrolmentVerificationResolver, PersonVerificationResolver } from '../modules/verification/verification.resolver.js';
import { DateTimeScalar } from './scalars.js';
import './enums.js';

export const resolvers = [
  AccessResolver, RegionsResolver, ProgramsResolver,
  HouseholdsResolver, PersonsResolver, EnrolmentsResolver, ReferralsResolver,
  ImportsResolver, PersonVerificationResolver, EnrolmentVerificationResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/** The executable schema (built once per process; type-graphql metadata is global anyway). */
export function buildPaduSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers: [...resolvers] as [Function, ...Function[]],
    scalarsMap: [
      { type: Date, scalar: DateTimeScalar },
    ],
    orphanedTypes: [],
    validate: false,
  });
  return built;
}
