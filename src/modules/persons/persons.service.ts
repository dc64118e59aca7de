import { sql, type SQL } from 'drizzle-orm';
import { rowScope } from '../../auth/scope.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { assertIntRange, assertOrdered, assertRegionCodeArg } from '../../lib/arguments.js';
import { decodeCursor, pageSize, toConnection, type ConnectionShape } from '../../lib/pagination.js';
import { HOUSEHOLD_JSON } from '../households/households.service.js';
import type { Household } from '../households/households.types.js';
import type { Person, PersonFilter } from './persons.types.js';
import { keyList } from '../../lib/sql.js';
import { PERSON_RECORD, verificationStatusCondition } from '../verification/verification.sql.js';

/** A person read together with its household (null when the household is out of scope). */
export type PersonWithHousehold = Person & { household: Household | null };

/** Columns of a Person row, from `persons p`. ppks goes through JSON: both drivers parse it. */
export const PERSON_COLUMNS = sql.raw(
  `p.id, p.household_id as "householdId", p.village_code as "villageCode", p.nik, p.kk_number as "kkNumber",
   p.name, p.sex, p.birth_date::text as "birthDate", p.relationship, p.presence, p.disability,
   p.chronic_illness as "chronicIllness", to_json(p.ppks) as ppks`,
);

/** A Person row as one JSON value (same keys as PERSON_COLUMNS), from `persons p`; null when absent. */
export const PERSON_JSON = sql.raw(
  `case when p.id is null then null else json_build_object('id', p.id, 'householdId', p.household_id, 'villageCode', p.village_code,
   'nik', p.nik, 'kkNumber', p.kk_number, 'name', p.name, 'sex', p.sex, 'birthDate', p.birth_date::text,
   'relationship', p.relationship, 'presence', p.presence, 'disability', p.disability, 'chronicIllness', p.chronic_illness,
   'ppks', to_json(p.ppks)) end`,
);

/** Oldest age a filter may ask for. */
export const MAX_AGE = 150;

/** The UTC calendar date `years` before `now`, as YYYY-MM-DD (Feb 29 falls back to Feb 28). */
export function yearsBefore(now: Date, years: number): string {
  const y = now.getUTCFullYear() - years;
  const m = now.getUTCMonth();
  const d = Math.min(now.getUTCDate(), new Date(Date.UTC(y, m + 1, 0)).getUTCDate());
  return new Date(Date.UTC(y, m, d)).toISOString().slice(0, 10);
}

/** Whole years between birthDate and the request's day (UTC). */
export function ageOn(birthDate: string | null, now: Date): number | null {
  if (!birthDate) return null;
  const [y, m, d] = birthDate.slice(0, 10).split('-').map(Number);
  const ny = now.getUTCFullYear();
  const nm = now.getUTCMonth() + 1;
  const nd = now.getUTCDate();
  return ny - y - (nm < m || (nm === m && nd < d) ? 1 : 0);
}

/** Persons in the viewer's scope: rowScope(viewer, 'p') is in every statement. */
export class PersonsService {
  constructor(private readonly database: Database) {}

  /**
   * Batch read by id, each person with its household (scoped on its own): nearly every client
   * that asks for a person asks for its household next, and one statement is cheaper than two
   * round trips. The loader primes the household loader with them.
   */
  byIds(viewer: Viewer, ids: readonly string[]): Promise<PersonWithHousehold[]> {
    return this.database.execute<PersonWithHousehold>(sql`
      select ${PERSON_COLUMNS}, ${HOUSEHOLD_JSON} as household
      from persons p left join households h on h.id = p.household_id and ${rowScope(viewer, 'h')}
      where p.id in ${keyList(ids)} and ${rowScope(viewer, 'p')}`);
  }

  /**
   * The person holding a NIK. Duplicate NIKs exist in the register (audit findings): the first
   * visible one by id is returned, so the answer is stable. `columns`: the SELECT list planned
   * from the operation (src/graphql/read-plan.ts), so the person and what is nested below it
   * are one statement.
   */
  async byNik(viewer: Viewer, nik: string, columns: SQL = PERSON_COLUMNS): Promise<Person | null> {
    const [row] = await this.database.execute<Person>(sql`
      select ${columns} from persons p
      where p.nik = ${nik} and ${rowScope(viewer, 'p')}
      order by p.id limit 1`);
    return row ?? null;
  }

  /** Members of households (loaders), scoped like every person read, in id order. */
  membersOf(viewer: Viewer, householdIds: readonly string[]): Promise<Person[]> {
    return this.database.execute<Person>(sql`
      select ${PERSON_COLUMNS} from persons p
      where p.household_id in ${keyList(householdIds)} and ${rowScope(viewer, 'p')}
      order by p.id`);
  }

  filterWhere(viewer: Viewer, filter: PersonFilter | null | undefined, now: Date): SQL {
    const conditions: SQL[] = [rowScope(viewer, 'p')];
    if (filter?.regionCode != null) {
      assertRegionCodeArg(filter.regionCode, 'filter.regionCode');
      conditions.push(rowScope({ regions: [filter.regionCode] }, 'p'));
    }
    if (filter?.sex != null) conditions.push(sql`p.sex = ${filter.sex}`);
    assertIntRange(filter?.ageMin, 0, MAX_AGE, 'filter.ageMin');
    assertIntRange(filter?.ageMax, 0, MAX_AGE, 'filter.ageMax');
    assertOrdered(filter?.ageMin, filter?.ageMax, 'filter.ageMin', 'filter.ageMax');
    // age >= n  <=>  born on or before today n years ago; age <= n  <=>  born after today n+1 years ago.
    if (filter?.ageMin != null) conditions.push(sql`p.birth_date <= ${yearsBefore(now, filter.ageMin)}::date`);
    if (filter?.ageMax != null) conditions.push(sql`p.birth_date > ${yearsBefore(now, filter.ageMax + 1)}::date`);
    if (filter?.ppks != null) conditions.push(sql`${filter.ppks}::ppks_category = any(p.ppks)`);
    if (filter?.presence != null) conditions.push(sql`p.presence = ${filter.presence}`);
    if (filter?.verificationStatus != null) conditions.push(verificationStatusCondition(PERSON_RECORD, filter.verificationStatus));
    assertIntRange(filter?.desilMax, 1, 10, 'filter.desilMax');
    if (filter?.desilMax != null) {
      conditions.push(sql`exists (select 1 from households h
        where h.id = p.household_id and h.desil <= ${filter.desilMax} and ${rowScope(viewer, 'h')})`);
    }
    return sql.join(conditions, sql` and `);
  }

  /** A page of persons; `columns` as in byNik. */
  async list(viewer: Viewer, args: { filter?: PersonFilter | null; first?: number | null; after?: string | null }, now: Date, columns: SQL = PERSON_COLUMNS): Promise<ConnectionShape<Person>> {
    const first = pageSize(args.first);
    const afterId = decodeCursor('persons', args.after);
    const where = this.filterWhere(viewer, args.filter, now);
    const rows = await this.database.execute<Person>(sql`
      select ${columns} from persons p
      where ${where} ${afterId == null ? sql`` : sql`and p.id > ${afterId}`}
      order by p.id
      limit ${first + 1}`);
    return toConnection('persons', rows, first, (p) => p.id, async () => {
      const [{ n }] = await this.database.execute<{ n: number }>(sql`select count(*)::int as n from persons p where ${where}`);
      return n;
    });
  }
}
