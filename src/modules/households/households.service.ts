import { sql, type SQL } from 'drizzle-orm';
import { enrolmentScope, rowScope } from '../../auth/scope.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { assertIntRange, assertOrdered, assertRegionCodeArg } from '../../lib/arguments.js';
import { decodeCursor, pageSize, toConnection, type ConnectionShape } from '../../lib/pagination.js';
import type { Household, HouseholdFilter } from './households.types.js';
import { keyList } from '../../lib/sql.js';

/** Columns of a Household row, from `households h`. */
export const HOUSEHOLD_COLUMNS = sql.raw(
  `h.id, h.village_code as "villageCode", h.address, h.rt, h.rw, h.desil`,
);

/**
 * A Household row as one JSON value (same keys as HOUSEHOLD_COLUMNS), from `households h`;
 * null when the outer join found no household in scope. Used to prefetch households in the
 * statement that reads their persons, saving a round trip.
 */
export const HOUSEHOLD_JSON = sql.raw(
  `case when h.id is null then null else json_build_object('id', h.id, 'villageCode', h.village_code, 'address', h.address,
   'rt', h.rt, 'rw', h.rw, 'desil', h.desil) end`,
);

/**
 * Households in the viewer's scope. Every statement carries rowScope(viewer, 'h'); the enrolment
 * filters see only enrolments the viewer may see (enrolmentScope), so a PROGRAM_MANAGER cannot
 * learn about other programs' enrolments through enrolledIn / notEnrolledIn.
 */
export class HouseholdsService {
  constructor(private readonly database: Database) {}

  /** Batch read by id (loaders): out of scope is absent. */
  byIds(viewer: Viewer, ids: readonly string[]): Promise<Household[]> {
    return this.database.execute<Household>(sql`
      select ${HOUSEHOLD_COLUMNS} from households h
      where h.id in ${keyList(ids)} and ${rowScope(viewer, 'h')}`);
  }

  /** The WHERE of the list and of its totalCount (one function so they cannot diverge). */
  filterWhere(viewer: Viewer, filter: HouseholdFilter | null | undefined): SQL {
    const conditions: SQL[] = [rowScope(viewer, 'h')];
    if (filter?.regionCode != null) {
      assertRegionCodeArg(filter.regionCode, 'filter.regionCode');
      conditions.push(rowScope({ regions: [filter.regionCode] }, 'h'));
    }
    assertIntRange(filter?.desilMin, 1, 10, 'filter.desilMin');
    assertIntRange(filter?.desilMax, 1, 10, 'filter.desilMax');
    assertOrdered(filter?.desilMin, filter?.desilMax, 'filter.desilMin', 'filter.desilMax');
    if (filter?.desilMin != null) conditions.push(sql`h.desil >= ${filter.desilMin}`);
    if (filter?.desilMax != null) conditions.push(sql`h.desil <= ${filter.desilMax}`);
    const activeOf = (program: string) => sql`exists (
      select 1 from enrolments e
      where e.household_id = h.id and e.program_code = ${program} and e.status = 'ACTIVE'
        and ${enrolmentScope(viewer, 'e')})`;
    if (filter?.enrolledIn != null) conditions.push(activeOf(filter.enrolledIn));
    if (filter?.notEnrolledIn != null) conditions.push(sql`not ${activeOf(filter.notEnrolledIn)}`);
    return sql.join(conditions, sql` and `);
  }

  /** A page of households; `columns`: the SELECT list planned from the operation (src/graphql/read-plan.ts). */
  async list(viewer: Viewer, args: { filter?: HouseholdFilter | null; first?: number | null; after?: string | null }, columns: SQL = HOUSEHOLD_COLUMNS): Promise<ConnectionShape<Household>> {
    const first = pageSize(args.first);
    const afterId = decodeCursor('households', args.after);
    const where = this.filterWhere(viewer, args.filter);
    const rows = await this.database.execute<Household>(sql`
      select ${columns} from households h
      where ${where} ${afterId == null ? sql`` : sql`and h.id > ${afterId}`}
      order by h.id
      limit ${first + 1}`);
    return toConnection('households', rows, first, (h) => h.id, async () => {
      const [{ n }] = await this.database.execute<{ n: number }>(sql`select count(*)::int as n from households h where ${where}`);
      return n;
    });
  }
}
