import { sql } from 'drizzle-orm';
import { rowScope } from '../../auth/scope.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import type { Referral, ReferralEvent } from './referrals.types.js';
import { keyList } from '../../lib/sql.js';

/** Columns of a Referral row, from `referrals r`. */
export const REFERRAL_COLUMNS = sql.raw(
  `r.id, r.category, r.status, r.version, r.registered_at::text as "registeredAt", r.complainant_name as "complainantName",
   r.nik, r.description, r.referred_to as "referredTo", r.in_dtks as "inDtks", r.village_code as "villageCode",
   r.person_id as "personId", r.household_id as "householdId"`,
);

/**
 * The read side of SLRT referrals. A referral is placed by its village (rowScope(viewer, 'r'));
 * its events are read through their referral, so they share its scope.
 */
export class ReferralsService {
  constructor(private readonly database: Database) {}

  byIds(viewer: Viewer, ids: readonly string[]): Promise<Referral[]> {
    return this.database.execute<Referral>(sql`
      select ${REFERRAL_COLUMNS} from referrals r
      where r.id in ${keyList(ids)} and ${rowScope(viewer, 'r')}`);
  }

  /** Referrals linked to persons or households, newest first. */
  byOwners(viewer: Viewer, owner: 'person' | 'household', ids: readonly string[]): Promise<Referral[]> {
    const column = sql.raw(owner === 'person' ? 'r.person_id' : 'r.household_id');
    return this.database.execute<Referral>(sql`
      select ${REFERRAL_COLUMNS} from referrals r
      where ${column} in ${keyList(ids)} and ${rowScope(viewer, 'r')}
      order by r.registered_at desc, r.id`);
  }

  /** History of referrals, oldest first; events of a referral out of scope are not read. */
  eventsOf(viewer: Viewer, referralIds: readonly string[]): Promise<ReferralEvent[]> {
    return this.database.execute<ReferralEvent>(sql`
      select ev.referral_id as "referralId", ev.at::text as at, ev.from_status as "fromStatus", ev.to_status as "toStatus",
             ev.actor, ev.note, ev.referred_to as "referredTo"
      from referral_events ev join referrals r on r.id = ev.referral_id
      where ev.referral_id in ${keyList(referralIds)} and ${rowScope(viewer, 'r')}
      order by ev.referral_id, ev.at, ev.id`);
  }
}
