import { sql, type SQL } from 'drizzle-orm';
import { enrolmentScope, rowScope } from '../../auth/scope.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { assertRegionCodeArg } from '../../lib/arguments.js';
import { decodeCursor, pageSize, toConnection, type ConnectionShape } from '../../lib/pagination.js';
import type { EnrolmentStatus } from '../../graphql/enums.js';
import { HOUSEHOLD_JSON } from '../households/households.service.js';
import type { Household } from '../households/households.types.js';
import { PERSON_JSON } from '../persons/persons.service.js';
import type { Person } from '../persons/persons.types.js';
import type { Enrolment, EnrolmentFilter } from './enrolments.types.js';
import { keyList } from '../../lib/sql.js';
import { ENROLMENT_RECORD, verificationJoins, verificationJson, verificationStatusCondition } from '../verification/verification.sql.js';
import type { VerificationRow } from '../verification/verification.service.js';

/** An enrolment read with its resolved person and that person's household, each null when out of scope. */
export type EnrolmentWithPerson = Enrolment & { person?: Person | null; personHousehold?: Household | null; verification?: VerificationRow };

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
   * A page of enrolments. With `withPerson`, each row also carries its person and the person's
   * household (outer joins, each under its own region scope); with `withVerification`, its
   * verification (src/modules/verification): for the resolver to prime the loaders, so the
   * usual nested page needs fewer round trips. Both are joined to the page after its LIMIT.
   */
  async list(
    viewer: Viewer,
    args: { filter?: EnrolmentFilter | null; first?: number | null; after?: string | null },
    options: { withPerson?: boolean; withVerification?: boolean } = {},
  ): Promise<ConnectionShape<EnrolmentWithPerson>> {
    const first = pageSize(args.first);
    const afterId = decodeCursor('enrolments', args.after);
    const where = this.filterWhere(viewer, args.filter);
    const page = sql`
      select ${ENROLMENT_COLUMNS} from enrolments e
      where ${where} ${afterId == null ? sql`` : sql`and e.id > ${afterId}`}
      order by e.id
      limit ${first + 1}`;
    const { withPerson, withVerification } = options;
    const rows = await this.database.execute<EnrolmentWithPerson>(withPerson || withVerification
      ? sql`
        select pg.*
          ${withPerson ? sql`, ${PERSON_JSON} as person, ${HOUSEHOLD_JSON} as "personHousehold"` : sql``}
          ${withVerification ? sql`, ${verificationJson(ENROLMENT_RECORD, sql`e.id`)} as verification` : sql``}
        from (${page}) pg
        ${withPerson ? sql`left join persons p on p.id = pg."personId" and ${rowScope(viewer, 'p')}
          left join households h on h.id = p.household_id and ${rowScope(viewer, 'h')}` : sql``}
        ${withVerification ? sql`join enrolments e on e.id = pg.id ${verificationJoins(ENROLMENT_RECORD)}` : sql``}
        order by pg.id`
      : page);
    return toConnection('enrolments', rows, first, (e) => e.id, async () => {
      const [{ n }] = await this.database.execute<{ n: number }>(sql`select count(*)::int as n from enrolments e where ${where}`);
      return n;
    });
  }
}
