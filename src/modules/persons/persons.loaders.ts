import type { Viewer } from '../../auth/viewer.js';
import { byKeyLoader, groupLoader } from '../../lib/loaders.js';
import type { PersonsService } from './persons.service.js';

/** Per request; scoped in SQL: invisible persons load as null and are absent from member lists. */
export function createPersonLoaders(service: PersonsService, viewer: Viewer) {
  return {
    personById: byKeyLoader((ids) => service.byIds(viewer, ids), (p) => p.id),
    membersByHousehold: groupLoader((ids) => service.membersOf(viewer, ids), (p) => p.householdId),
  };
}
