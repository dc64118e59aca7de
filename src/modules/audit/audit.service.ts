import { sql, type SQL } from 'drizzle-orm';
import { codeScope } from '../../auth/scope.js';
import { isNational, type Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { BadUserInputError, quote } from '../../lib/errors.js';
import { decodeCursor, pageSize, toConnection, type ConnectionShape } from '../../lib/pagination.js';
import type { AuditEntry, AuditFilter } from './audit.types.js';

const TEXT_FILTER_MAX = 200;

/**
 * The audit trail, newest first. Region scope applies here too: an entry about a placed subject
 * (a person, household, enrolment, referral) is visible when the subject's village is in the
 * viewer's scope; entries about no placed subject (imports, denied operations) only to viewers
 * of the whole country.
 */
export class AuditService {
  constructor(private readonly database: Database) {}

  where(viewer: Viewer, filter: AuditFilter | null | undefined): SQL {
    const conditions: SQL[] = [
      isNational(viewer) ? sql`true` : sql`(a.village_code is not null and ${codeScope(viewer, sql`a.village_code`)})`,
    ];
    for (const [name, value] of [['actor', filter?.actor], ['subjectId', filter?.subjectId]] as const) {
      if (value == null) continue;
      if (value.length === 0 || value.length > TEXT_FILTER_MAX) {
        throw new BadUserInputError(`filter.${name} must be 1 to ${TEXT_FILTER_MAX} characters, got ${quote(value)}`, `filter.${name}`);
      }
    }
    if (filter?.actor != null) conditions.push(sql`a.actor = ${filter.actor}`);
    if (filter?.subjectId != null) conditions.push(sql`a.subject_id = ${filter.subjectId}`);
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
    if (after !== null && !/^[0-9]{1,18}$/.test(after)) throw new BadUserInputError(`after is not a cursor of this list (audit), got ${quote(args.after)}`, 'after');
    const where = this.where(viewer, args.filter);
    const rows = await this.database.execute<AuditEntry>(sql`
      select a.id::text as id, a.at, a.actor, a.role, a.action, a.operation, a.subject_type as "subjectType",
             a.subject_id as "subjectId", a.fields
      from audit_entries a
      where ${where} ${after === null ? sql`` : sql`and a.id < ${after}::bigint`}
      order by a.id desc
      limit ${first + 1}`);
    return toConnection('audit', rows, first, (r) => r.id, async () => {
      const [{ n }] = await this.database.execute<{ n: number }>(sql`select count(*)::int as n from audit_entries a where ${where}`);
      return n;
    });
  }
}
