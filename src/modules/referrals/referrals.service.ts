import { sql, type SQL } from 'drizzle-orm';
import { rowScope } from '../../auth/scope.js';
import { isNational, regionInScope, type Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import type { ReferralCategory, ReferralStatus } from '../../graphql/enums.js';
import { assertId, assertNik, assertRegionCodeArg } from '../../lib/arguments.js';
import { BadUserInputError, ConflictError, ForbiddenError, NotFoundError, quote } from '../../lib/errors.js';
import { normalizeName } from '../../lib/names.js';
import { decodeCursor, pageSize, toConnection, type ConnectionShape } from '../../lib/pagination.js';
import { keyList } from '../../lib/sql.js';
import { writeAuditEntries, type AuditRow } from '../audit/audit.buffer.js';
import { RESOLUTION_NAME_SIMILARITY } from '../enrolments/enrolments.resolution.sql.js';
import { cleanText, LIMITS } from './referrals.input.js';
import type { ComplaintInput, Referral, ReferralEvent, ReferralFilter } from './referrals.types.js';
import {
  allowedFrom, assertCaseworker, assertTransitionRequest, forbiddenTransition, isAllowed,
} from './referrals.workflow.js';

/** Columns of a Referral row, from `referrals r`, but inDtks. */
const BASE_COLUMNS = sql.raw(
  `r.id, r.category, r.status, r.version, r.registered_at::text as "registeredAt", r.complainant_name as "complainantName",
   r.nik, r.description, r.referred_to as "referredTo", r.village_code as "villageCode",
   r.person_id as "personId", r.household_id as "householdId"`,
);

/**
 * Whether the complainant is in the DTKS, as far as the viewer may know: the stored placement
 * (made by NIK over the whole register, by registerComplaint and by the import alike) only
 * when the person it found is in the viewer's scope. A referral in 35.09 whose NIK belongs to a
 * person in 35.76 is `inDtks: false` (a DTKS proposal) to a 35.09 viewer, whose `person` is null
 * too, and true to a national one; the filter `inDtks` selects by the same expression.
 */
function inDtksFor(viewer: Viewer): SQL {
  if (isNational(viewer)) return sql`r.in_dtks`;
  return sql`(r.in_dtks and (r.person_id is null or exists (select 1 from persons p where p.id = r.person_id and ${rowScope(viewer, 'p')})))`;
}

/** Columns of a Referral row for `viewer`, from `referrals r`. */
const referralColumns = (viewer: Viewer) => sql`${BASE_COLUMNS}, ${inDtksFor(viewer)} as "inDtks"`;

/** The list's keyset position: registration instant in microseconds, then id (newest first). */
const LIST_KEY = sql.raw(`(extract(epoch from r.registered_at) * 1000000)::bigint::text || ':' || r.id`);

/**
 * Calendar days of registeredFrom/registeredTo are days in WIB (UTC+7), where most Puskesos
 * are; the bound is computed in SQL so the (regency_code, registered_at) index serves it.
 */
const dayStartWib = (date: string) => sql`((${date}::date)::timestamp at time zone 'UTC' - interval '7 hours')`;

interface RequestMeta {
  operation: string | null;
  requestId: string | null;
}

/**
 * SLRT referrals: the read side (scoped by the referral's village, rowScope(viewer, 'r'); events
 * read through their referral) and the workflow (registerComplaint, transitionReferral).
 */
export class ReferralsService {
  constructor(private readonly database: Database) {}

  byIds(viewer: Viewer, ids: readonly string[]): Promise<Referral[]> {
    return this.database.execute<Referral>(sql`
      select ${referralColumns(viewer)} from referrals r
      where r.id in ${keyList(ids)} and ${rowScope(viewer, 'r')}`);
  }

  /** Referrals linked to persons or households, newest first. */
  byOwners(viewer: Viewer, owner: 'person' | 'household', ids: readonly string[]): Promise<Referral[]> {
    const column = sql.raw(owner === 'person' ? 'r.person_id' : 'r.household_id');
    return this.database.execute<Referral>(sql`
      select ${referralColumns(viewer)} from referrals r
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

  /** The WHERE of the list and of its totalCount (one function so they cannot diverge). */
  filterWhere(viewer: Viewer, filter: ReferralFilter | null | undefined): SQL {
    const conditions: SQL[] = [rowScope(viewer, 'r')];
    if (filter?.regionCode != null) {
      assertRegionCodeArg(filter.regionCode, 'filter.regionCode');
      conditions.push(rowScope({ regions: [filter.regionCode] }, 'r'));
    }
    if (filter?.status != null) conditions.push(sql`r.status = ${filter.status}`);
    if (filter?.category != null) conditions.push(sql`r.category = ${filter.category}`);
    if (filter?.nik != null) {
      assertNik(filter.nik, 'filter.nik');
      conditions.push(sql`r.nik = ${filter.nik}`);
    }
    if (filter?.inDtks != null) conditions.push(sql`${inDtksFor(viewer)} = ${filter.inDtks}`);
    const from = filter?.registeredFrom ?? null;
    const to = filter?.registeredTo ?? null;
    if (from != null && to != null && from > to) {
      throw new BadUserInputError(`filter.registeredFrom must not be after filter.registeredTo, got ${from} and ${to}`, 'filter.registeredFrom');
    }
    if (from != null) conditions.push(sql`r.registered_at >= ${dayStartWib(from)}`);
    if (to != null) conditions.push(sql`r.registered_at < ${dayStartWib(to)} + interval '1 day'`);
    return sql.join(conditions, sql` and `);
  }

  /** Newest first: a front office works from the latest complaints. Keyset on (registered_at, id). */
  async list(viewer: Viewer, args: { filter?: ReferralFilter | null; first?: number | null; after?: string | null }): Promise<ConnectionShape<Referral>> {
    const first = pageSize(args.first);
    const after = decodeCursor('referrals', args.after);
    const where = this.filterWhere(viewer, args.filter);
    let position = sql``;
    if (after != null) {
      const match = /^([0-9]{1,17}):(.+)$/.exec(after);
      if (!match) throw new BadUserInputError(`after is not a cursor of this list (referrals), got ${quote(args.after)}`, 'after');
      assertId(match[2], 'after');
      position = sql`and (r.registered_at, r.id) < ('epoch'::timestamptz + ${match[1]}::bigint * interval '1 microsecond', ${match[2]})`;
    }
    const rows = await this.database.execute<Referral & { key: string }>(sql`
      select ${referralColumns(viewer)}, ${LIST_KEY} as key from referrals r
      where ${where} ${position}
      order by r.registered_at desc, r.id desc
      limit ${first + 1}`);
    return toConnection('referrals', rows, first, (r) => r.key, async () => {
      const [{ n }] = await this.database.execute<{ n: number }>(sql`select count(*)::int as n from referrals r where ${where}`);
      return n;
    });
  }

  /**
   * registerComplaint (CONTRACT.md section 7). Everything is checked before SQL runs; then ONE
   * statement places the complainant in the DTKS (by NIK in the viewer's scope, else by
   * normalised name in the same village), inserts the referral and its REGISTERED event, and
   * only if the village exists; the MUTATION audit entry follows in the same transaction.
   */
  async register(viewer: Viewer, input: ComplaintInput, meta: RequestMeta): Promise<Referral> {
    await this.guardCaseworker(viewer, 'registerComplaint', null, meta);
    const category: ReferralCategory = input.category;
    const village = input.regionCode;
    if (typeof village !== 'string' || !/^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$/.test(village)) {
      throw new BadUserInputError(`input.regionCode must be a village code such as 35.09.01.2001, got ${quote(village)}`, 'input.regionCode');
    }
    if (!regionInScope(viewer, village)) {
      await this.deny(viewer, 'registerComplaint', null, meta);
      throw new ForbiddenError(`input.regionCode ${village} is outside the caller's regions (${viewer.regions.join(', ')})`);
    }
    const name = cleanText(input.name, 'input.name', { max: LIMITS.name, required: true, personName: true })!;
    const description = cleanText(input.description, 'input.description', { max: LIMITS.description, multiline: true, required: true })!;
    const nik = input.nik == null ? null : cleanText(input.nik, 'input.nik', { max: 16 });
    if (nik != null) assertNik(nik, 'input.nik');
    const nameNorm = normalizeName(name);

    return this.database.db.transaction(async (tx) => {
      const [row] = await this.database.execute<Referral>(sql`
        with by_nik as (
          -- Over the whole register, as the import places referrals: what the viewer may learn
          -- of the placement is decided when it is read (inDtksFor).
          select p.id, p.household_id from persons p
          where ${nik}::text is not null and p.nik = ${nik}
          order by similarity(coalesce(p.name_norm, ''), ${nameNorm}) desc, p.id
          limit 1
        ), by_name as (
          select p.id, p.household_id from persons p
          where not exists (select 1 from by_nik) and ${nameNorm} <> ''
            and p.regency_code = ${village.slice(0, 5)} and p.village_code = ${village} and ${rowScope(viewer, 'p')}
            and (p.name_norm = ${nameNorm} or similarity(p.name_norm, ${nameNorm}) >= ${RESOLUTION_NAME_SIMILARITY})
          order by (p.name_norm = ${nameNorm}) desc, similarity(p.name_norm, ${nameNorm}) desc, p.id
          limit 1
        ), found as (
          select * from by_nik union all select * from by_name
        ), ins as (
          insert into referrals (village_code, category, complainant_name, name_norm, nik, description, in_dtks, person_id, household_id, registered_by)
          select ${village}, ${category}::referral_category, ${name}, ${nameNorm}, ${nik}, ${description},
                 f.id is not null, f.id, f.household_id, ${viewer.id}
          from (select 1) one left join (select * from found limit 1) f on true
          where exists (select 1 from regions g where g.code = ${village} and g.level = 'VILLAGE')
          returning *
        ), ev as (
          insert into referral_events (referral_id, regency_code, at, from_status, to_status, actor)
          select id, regency_code, registered_at, null, status, ${viewer.id} from ins
        )
        select ${referralColumns(viewer)} from ins r`, tx);
      if (!row) {
        throw new BadUserInputError(`input.regionCode must be the code of an existing village, got ${quote(village)}`, 'input.regionCode');
      }
      await writeAuditEntries(this.database, [this.mutationEntry(viewer, 'registerComplaint', row.id, meta,
        ['category', 'complainantName', 'description', 'inDtks', 'nik', 'region', 'status'])], tx);
      return row;
    });
  }

  /**
   * transitionReferral (CONTRACT.md section 7) with optimistic concurrency. One statement moves
   * the referral only if it is in scope, still at `expectedVersion` and in a status from which
   * `to` is allowed, and appends the event; the audit entry follows in the same transaction.
   * When nothing moved, one scoped read says why: absent or out of scope (NOT_FOUND, the same
   * answer), another version (CONFLICT, with the current one), or a forbidden transition.
   */
  async transition(
    viewer: Viewer,
    args: { id: string; to: ReferralStatus; expectedVersion: number; note?: string | null; referredTo?: string | null },
    meta: RequestMeta,
  ): Promise<Referral> {
    assertId(args.id, 'id');
    await this.guardCaseworker(viewer, 'transitionReferral', args.id, meta);
    if (!Number.isInteger(args.expectedVersion) || args.expectedVersion < 1) {
      throw new BadUserInputError(`expectedVersion must be a positive integer (the referral's current version), got ${args.expectedVersion}`, 'expectedVersion');
    }
    const note = args.note == null ? null : cleanText(args.note, 'note', { max: LIMITS.note, multiline: true });
    const referredTo = args.referredTo == null ? null : cleanText(args.referredTo, 'referredTo', { max: LIMITS.referredTo });
    try {
      assertTransitionRequest(viewer.role, args.to, referredTo);
    } catch (error) {
      if (error instanceof ForbiddenError) await this.deny(viewer, 'transitionReferral', args.id, meta);
      throw error;
    }
    const from = allowedFrom(args.to);

    const moved = await this.database.db.transaction(async (tx) => {
      const [row] = await this.database.execute<Referral>(sql`
        with cur as (
          select r.id, r.status from referrals r
          where r.id = ${args.id} and ${rowScope(viewer, 'r')}
        ), up as (
          update referrals r
             set status = ${args.to}::referral_status, version = r.version + 1,
                 referred_to = coalesce(${referredTo}, r.referred_to), updated_at = now()
            from cur
           where r.id = cur.id and r.version = ${args.expectedVersion}
             and cur.status::text in (select json_array_elements_text(${JSON.stringify(from)}::json))
          returning r.*, cur.status as from_status
        ), ev as (
          insert into referral_events (referral_id, regency_code, from_status, to_status, actor, note, referred_to)
          select id, regency_code, from_status, status, ${viewer.id}, ${note}, ${referredTo} from up
        )
        select ${referralColumns(viewer)} from up r`, tx);
      if (!row) return null;
      await writeAuditEntries(this.database, [this.mutationEntry(viewer, 'transitionReferral', row.id, meta,
        ['history', 'referredTo', 'status', 'version'])], tx);
      return row;
    });
    if (moved) return moved;

    const [current] = await this.database.execute<{ status: ReferralStatus; version: number }>(sql`
      select r.status, r.version from referrals r where r.id = ${args.id} and ${rowScope(viewer, 'r')}`);
    if (!current) throw new NotFoundError(`no referral with id ${quote(args.id)}`);
    if (current.version !== args.expectedVersion) {
      throw new ConflictError(
        `referral ${quote(args.id)} is at version ${current.version}, not ${args.expectedVersion}: it changed since it was read; read it again`,
        { currentVersion: current.version },
      );
    }
    if (!isAllowed(current.status, args.to)) throw forbiddenTransition(current.status, args.to);
    // Same version and an allowed move, yet nothing moved: only a concurrent change that was
    // rolled back can do that (versions only grow). The caller may simply retry.
    throw new ConflictError(`referral ${quote(args.id)} changed while it was being moved; read it again`, { currentVersion: current.version });
  }

  private mutationEntry(viewer: Viewer, operation: string, subjectId: string, meta: RequestMeta, fields: string[]): AuditRow {
    return {
      actor: viewer.id, role: viewer.role, action: 'MUTATION', operation: meta.operation ?? operation,
      subject_type: 'Referral', subject_id: subjectId, fields, request_id: meta.requestId,
    };
  }

  private async guardCaseworker(viewer: Viewer, operation: string, subjectId: string | null, meta: RequestMeta) {
    try {
      assertCaseworker(viewer.role, operation);
    } catch (error) {
      await this.deny(viewer, operation, subjectId, meta);
      throw error;
    }
  }

  /** A refused mutation is audited (DENIED) at once: nothing else is written for it. */
  private deny(viewer: Viewer, operation: string, subjectId: string | null, meta: RequestMeta) {
    return writeAuditEntries(this.database, [{
      actor: viewer.id, role: viewer.role, action: 'DENIED', operation: meta.operation ?? operation,
      subject_type: 'Referral', subject_id: subjectId, fields: [operation], request_id: meta.requestId,
    }]);
  }
}
