import type { Viewer } from '../../auth/viewer.js';
import { argGroupLoader } from '../../lib/loaders.js';
import type { EnrolmentStatus } from '../../graphql/enums.js';
import type { EnrolmentsService } from './enrolments.service.js';

/** Per request; scoped (region and, for a PROGRAM_MANAGER, programs) in the service's SQL. */
export function createEnrolmentLoaders(service: EnrolmentsService, viewer: Viewer) {
  return {
    enrolmentsByPerson: argGroupLoader<Awaited<ReturnType<EnrolmentsService['byOwners']>>[number], EnrolmentStatus>(
      (ids, statuses) => service.byOwners(viewer, 'person', ids, statuses), (e) => e.personId, (e) => e.status),
    enrolmentsByHousehold: argGroupLoader<Awaited<ReturnType<EnrolmentsService['byOwners']>>[number], EnrolmentStatus>(
      (ids, statuses) => service.byOwners(viewer, 'household', ids, statuses), (e) => e.householdId, (e) => e.status),
  };
}
