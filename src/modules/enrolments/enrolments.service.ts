import { sql, type SQL } from 'drizzle-orm';
import { enrolmentScope } from '../../auth/scope.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { assertRegionCodeArg } from '../../lib/arguments.js';
import { decodeCursor, pageSize, toConnection, type ConnectionShape } from '../../lib/pagination.js';
import type { EnrolmentStatus } from '../../graphql/enums.js';
import type { Enrolment, EnrolmentFilter } from './enrolments.types.js';
import { keyList } from '../../lib/sql.js';
import { ENROLMENT_RECORD, verificationStatusCondition } from '../verification/verification.sql.js';

/** Columns of an Enrolment row, from `enrolments e`. */
export const ENROLMENT_COLUMNS = sql.raw(
  `e.id, e.program_code as "programCode", e.status, e.start_date::text as "startDate", e.end_date::text as "endDate",
   e.village_code as "villageCode", e.nik, e.name, e.kk_number as "kkNumber", e.person_id as "personId",
   e.household_id as "householdId"`,
);

/**
 * Enrolments a viewer may see: placed by the village where the benefit is delivered and, for a
 * PROGRAM_MANAGER, limited to its programs. enrolmentScope(viewer, 'e') is in every statement.
 */
export class EnrolmentsService {
  constructor(private readonly database: Database) {}

  /**
   * Enrolments of persons or households (loaders): one statement for the whole batch. When every
   * key asks for a status, only those statuses are read.
   */
  byOwners(viewer: Viewer, owner: 'person' | 'household', ids: readonly string[], statuses: readonly EnrolmentStatus[] | null): Promise<Enrolment[]> {
    const column = sql.raw(owner === 'person' ? 'e.person_id' : 'e.household_id');
    return this.database.execute<Enrolment>(sql`
      select ${ENROLMENT_COLUMNS} from enrolments e
      where ${column} in ${keyList(ids)} and ${enrolmentScope(viewer, 'e')}
        ${statuses ? sql`and e.status in ${[...statuses]}` : sql``}
      order by e.id`);
  }

  filterWhere(viewer: Viewer, filter: EnrolmentFilter | null | undefined): SQL {
    const conditions: SQL[] = [enrolmentScope(viewer, 'e')];
    if (filter?.program != null) conditions.push(sql`e.program_code = ${filter.program}`);
    if (filter?.regionCode != null) {
      assertRegionCodeArg(filter.regionCode, 'filter.regionCode');
      conditions.push(enrolmentScope({ regions: [filter.regionCode], role: 'ADMIN', programs: [] }, 'e'));
    }
    if (filter?.status != null) conditions.push(sql`e.status = ${filter.status}`);
    if (filter?.verificationStatus != null) conditions.push(verificationStatusCondition(ENROLMENT_RECORD, filter.verificationStatus));
    if (filter?.unlinked != null) conditions.push(filter.unlinked ? sql`e.person_id is null` : sql`e.person_id is not null`);
    return sql.join(conditions, sql` and `);
  }

  /**
   * A page of enrolments. `columns` is the SELECT list planned from the operation's selection
   * (src/graphql/read-plan.ts: nested persons, households, programs and verifications as
   * correlated subqueries, each under its own scope), so a nested page is one statement;
   * without it, the plain ENROLMENT_COLUMNS.
   */
  async list(
    viewer: Viewer,
    args: { filter?: EnrolmentFilter | null; first?: number | null; after?: string | null },
    options: { columns?: SQL } = {},
  ): Promise<ConnectionShape<Enrolment>> {
    const first = pageSize(args.first);
    const afterId = decodeCursor('enrolments', args.after);
    const where = this.filterWhere(viewer, args.filter);
    const rows = await this.database.execute<Enrolment>(sql`
      select ${options.columns ?? ENROLMENT_COLUMNS} from enrolments e
      where ${where} ${afterId == null ? sql`` : sql`and e.id > ${afterId}`}
      order by e.id
      limit ${first + 1}`);
    return toConnection('enrolments', rows, first, (e) => e.id, async () => {
      const [{ n }] = await this.database.execute<{ n: number }>(sql`select count(*)::int as n from enrolments e where ${where}`);
      return n;
    });
  }
}
