import { sql, type SQL } from 'drizzle-orm';
import { codeScope } from '../../auth/scope.js';
import { isNational, type Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { BadUserInputError, quote } from '../../lib/errors.js';
import { decodeCursor, pageSize, toConnection, type ConnectionShape } from '../../lib/pagination.js';
import type { AuditEntry, AuditFilter } from './audit.types.js';

const TEXT_FILTER_MAX = 200;

/**
 * audit_entries one row per subject (as the view audit_subject_entries): a READ row of many
 * subjects (migration 0009) is unnested into `s`; a row of one subject keeps its own columns.
 */
const EXPANDED = sql.raw(`audit_entries a
  left join lateral (select u.subject_id, u.village_code, u.n from unnest(a.subject_ids, a.village_codes) with ordinality as u(subject_id, village_code, n)) s0 on true
  cross join lateral (select coalesce(s0.subject_id, a.subject_id) as subject_id, coalesce(s0.village_code, a.village_code) as village_code, s0.n) s`);

/**
 * The audit trail, newest first. Region scope applies here too: an entry about a placed subject
 * (a person, household, enrolment, referral) is visible when the subject's village is in the
 * viewer's scope; entries about no placed subject (imports, denied operations) only to viewers
 * of the whole country.
 */
export class AuditService {
  constructor(private readonly database: Database) {}

  /**
   * Conditions on `audit_entries a` expanded one row per subject (`s`, see list): subject and
   * village are `s.subject_id` and `s.village_code`. The subjectId filter also names the base row
   * (btree on subject_id, GIN on subject_ids) so that the expansion starts from few rows.
   */
  where(viewer: Viewer, filter: AuditFilter | null | undefined): SQL {
    const conditions: SQL[] = [
      isNational(viewer) ? sql`true` : sql`(s.village_code is not null and ${codeScope(viewer, sql`s.village_code`)})`,
    ];
    for (const [name, value] of [['actor', filter?.actor], ['subjectId', filter?.subjectId]] as const) {
      if (value == null) continue;
      if (value.length === 0 || value.length > TEXT_FILTER_MAX) {
        throw new BadUserInputError(`filter.${name} must be 1 to ${TEXT_FILTER_MAX} characters, got ${quote(value)}`, `filter.${name}`);
      }
    }
    if (filter?.actor != null) conditions.push(sql`a.actor = ${filter.actor}`);
    if (filter?.subjectId != null) {
      conditions.push(sql`(a.subject_id = ${filter.subjectId} or a.subject_ids @> array[${filter.subjectId}]::text[])`);
      conditions.push(sql`s.subject_id = ${filter.subjectId}`);
    }
    if (filter?.action != null) conditions.push(sql`a.action = ${filter.action}`);
    if (filter?.from != null) conditions.push(sql`a.at >= ${filter.from}::timestamptz`);
    if (filter?.to != null) conditions.push(sql`a.at < ${filter.to}::timestamptz`);
    if (filter?.from != null && filter?.to != null && filter.from > filter.to) {
      throw new BadUserInputError(`filter.from must not be after filter.to, got ${filter.from} and ${filter.to}`, 'filter.from');
    }
    return sql.join(conditions, sql` and `);
  }

  async list(viewer: Viewer, args: { filter?: AuditFilter | null; first?: number | null; after?: string | null }): Promise<ConnectionShape<AuditEntry>> {
    const first = pageSize(args.first);
    const after = decodeCursor('audit', args.after);
    // A cursor key is `<row id>` or `<row id>.<subject position>` (a READ row of many subjects).
    const key = after === null ? null : /^([0-9]{1,18})(?:\.([0-9]{1,6}))?$/.exec(after);
    if (after !== null && !key) throw new BadUserInputError(`after is not a cursor of this list (audit), got ${quote(args.after)}`, 'after');
    const where = this.where(viewer, args.filter);
    // Newest row first; the subjects of one row in the order they were written.
    const rows = await this.database.execute<AuditEntry>(sql`
      select a.id::text || case when s.n is null then '' else '.' || s.n end as id, a.at, a.actor, a.role, a.action, a.operation,
             a.subject_type as "subjectType", coalesce(s.subject_id, a.subject_id) as "subjectId", a.fields
      from ${EXPANDED}
      where ${where} ${key === null ? sql`` : sql`and (a.id < ${key[1]}::bigint or (a.id = ${key[1]}::bigint and coalesce(s.n, 0) > ${Number(key[2] ?? 0)}))`}
      order by a.id desc, coalesce(s.n, 0)
      limit ${first + 1}`);
    return toConnection('audit', rows, first, (r) => r.id, async () => {
      const [{ n }] = await this.database.execute<{ n: number }>(sql`select count(*)::int as n from ${EXPANDED} where ${where}`);
      return n;
    });
  }
}
