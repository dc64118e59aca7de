import type { Viewer } from '../../auth/viewer.js';
import { byKeyLoader } from '../../lib/loaders.js';
import type { HouseholdsService } from './households.service.js';

/** Per request; the scope is in the service's SQL, so an invisible household loads as null. */
export function createHouseholdLoaders(service: HouseholdsService, viewer: Viewer) {
  return {
    householdById: byKeyLoader((ids) => service.byIds(viewer, ids), (h) => h.id),
  };
}
