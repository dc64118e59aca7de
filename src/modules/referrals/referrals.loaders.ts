import type { Viewer } from '../../auth/viewer.js';
import { byKeyLoader, groupLoader } from '../../lib/loaders.js';
import type { ReferralsService } from './referrals.service.js';

/** Per request; a referral is scoped by its village, its history through it. */
export function createReferralLoaders(service: ReferralsService, viewer: Viewer) {
  return {
    referralById: byKeyLoader((ids) => service.byIds(viewer, ids), (r) => r.id),
    referralsByPerson: groupLoader((ids) => service.byOwners(viewer, 'person', ids), (r) => r.personId ?? ''),
    referralsByHousehold: groupLoader((ids) => service.byOwners(viewer, 'household', ids), (r) => r.householdId ?? ''),
    referralHistory: groupLoader((ids) => service.eventsOf(viewer, ids), (ev) => ev.referralId),
  };
}
