import { randomUUID } from 'node:crypto';
import { authenticate, type CredentialHeaders } from './auth/credentials.js';
import type { Viewer } from './auth/viewer.js';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import type { Logger } from './lib/logger.js';
import { AnalyticsService } from './modules/analytics/analytics.service.js';
import { AuditBuffer } from './modules/audit/audit.buffer.js';
import { AuditService } from './modules/audit/audit.service.js';
import { createDuplicateLoaders } from './modules/duplicates/duplicates.loaders.js';
import { DuplicateScanner } from './modules/duplicates/duplicates.scan.js';
import { DuplicatesService } from './modules/duplicates/duplicates.service.js';
import { createEnrolmentLoaders } from './modules/enrolments/enrolments.loaders.js';
import { EnrolmentsService } from './modules/enrolments/enrolments.service.js';
import { createHouseholdLoaders } from './modules/households/households.loaders.js';
import { HouseholdsService } from './modules/households/households.service.js';
import { createPersonLoaders } from './modules/persons/persons.loaders.js';
import { PersonsService } from './modules/persons/persons.service.js';
import { ImportsService } from './modules/imports/imports.service.js';
import { FieldGuard } from './permissions/guard.js';
import { createProgramLoaders } from './modules/programs/programs.loaders.js';
import { ProgramsService } from './modules/programs/programs.service.js';
import { createRegionLoaders } from './modules/regions/regions.loaders.js';
import { createReferralLoaders } from './modules/referrals/referrals.loaders.js';
import { ReferralsService } from './modules/referrals/referrals.service.js';
import { RegionsService } from './modules/regions/regions.service.js';
import { createVerificationLoaders } from './modules/verification/verification.loaders.js';
import { VerificationService } from './modules/verification/verification.service.js';

/** Stateless services shared by every request; anything viewer-specific is passed in. */
export function createServices(database: Database) {
  return {
    regions: new RegionsService(database),
    programs: new ProgramsService(database),
    households: new HouseholdsService(database),
    persons: new PersonsService(database),
    enrolments: new EnrolmentsService(database),
    referrals: new ReferralsService(database),
    imports: new ImportsService(database),
    audit: new AuditService(database),
    verification: new VerificationService(database),
    duplicates: new DuplicatesService(database),
    duplicateScanner: new DuplicateScanner(database),
    analytics: new AnalyticsService(database),
  };
}
export type Services = ReturnType<typeof createServices>;

/** What a server needs to build contexts: made once at start. */
export interface AppDeps {
  database: Database;
  /** Set while start-up work (the first demo seed) runs: /readyz answers 503 with it. */
  warmingUp?: string;
  /** Settles when that start-up work is done: GraphQL requests wait for it meanwhile. */
  warmedUp?: Promise<void>;
  config: Config;
  jwtSecret: string;
  services: Services;
  logger: Logger;
}

/**
 * DataLoaders, created fresh for every request (never shared: a shared cache would leak one
 * viewer's scope into another's). Each loader's SQL carries the viewer's scope.
 */
function createLoaders(services: Services, viewer: Viewer) {
  const households = createHouseholdLoaders(services.households, viewer);
  return {
    ...createRegionLoaders(services.regions, viewer),
    ...createProgramLoaders(services.programs),
    ...households,
    // Person reads prefetch households: they prime the same request's household loader.
    ...createPersonLoaders(services.persons, viewer, households.householdById),
    ...createEnrolmentLoaders(services.enrolments, viewer),
    ...createReferralLoaders(services.referrals, viewer),
    ...createVerificationLoaders(services.verification, viewer),
    ...createDuplicateLoaders(services.duplicates, viewer),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;

export interface Context {
  viewer: Viewer;
  database: Database;
  config: Config;
  services: Services;
  loaders: Loaders;
  requestId: string;
  logger: Logger;
  /** The request's instant: ages and "today" are computed once per request. */
  now: Date;
  /** Audit entries of this request, written before its response is sent. */
  audit: AuditBuffer;
  /** The field guards' decisions for this request's operation (src/permissions/guard.ts). */
  guard: FieldGuard;
}

/** The one context factory: authenticates once, then builds the request's loaders. */
export async function createContext(app: AppDeps, headers: CredentialHeaders): Promise<Context> {
  const viewer = await authenticate(headers, { database: app.database, jwtSecret: app.jwtSecret });
  const requestId = randomUUID();
  return {
    viewer,
    database: app.database,
    config: app.config,
    services: app.services,
    loaders: createLoaders(app.services, viewer),
    requestId,
    logger: app.logger.child({ requestId, actor: viewer.id, role: viewer.role }),
    now: new Date(),
    audit: new AuditBuffer(),
    guard: new FieldGuard(),
  };
}
