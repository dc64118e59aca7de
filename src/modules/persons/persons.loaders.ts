import type DataLoader from 'dataloader';
import type { Viewer } from '../../auth/viewer.js';
import { byKeyLoader, groupLoader } from '../../lib/loaders.js';
import type { Household } from '../households/households.types.js';
import type { PersonsService } from './persons.service.js';
import type { Person } from './persons.types.js';

/**
 * Per request; scoped in SQL: invisible persons load as null and are absent from member lists.
 * Persons read by id come with their household, which primes `householdById` (same scope).
 */
export function createPersonLoaders(service: PersonsService, viewer: Viewer, householdById: DataLoader<string, Household | null>) {
  return {
    personById: byKeyLoader<Person>(async (ids) => {
      const rows = await service.byIds(viewer, ids);
      for (const row of rows) if (row.household) householdById.prime(row.household.id, row.household);
      return rows;
    }, (p) => p.id),
    membersByHousehold: groupLoader((ids) => service.membersOf(viewer, ids), (p) => p.householdId),
  };
}
