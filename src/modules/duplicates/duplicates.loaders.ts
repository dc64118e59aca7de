import type { Viewer } from '../../auth/viewer.js';
import { groupLoader } from '../../lib/loaders.js';
import type { DuplicatesService } from './duplicates.service.js';

/** Per request; the enrolments of a page of candidates in one statement, scoped in its SQL. */
export function createDuplicateLoaders(service: DuplicatesService, viewer: Viewer) {
  return {
    duplicateMembers: groupLoader((ids) => service.membersOf(viewer, ids), (row) => row.candidateId),
  };
}
