import { sql, type SQL } from 'drizzle-orm';
import { enrolmentScope, rowScope } from '../../auth/scope.js';
import type { Viewer } from '../../auth/viewer.js';
import type { RegionLevel } from '../../graphql/enums.js';
import { yearsBefore } from '../persons/persons.service.js';
import { PERSON_RECORD, civilJoin, verificationStatusColumn } from '../verification/verification.sql.js';
import { cellKey, perturbedCount } from './analytics.perturbation.js';
import type { StatDimension, StatMeasure } from './analytics.dimensions.js';

/**
 * The SQL of `stats` and `coverage` (CONTRACT.md section 8): one statement per call, GROUP BY
 * inside PostgreSQL, the viewer's region scope (and a PROGRAM_MANAGER's programs) inside it.
 *
 * Aliases: households h, persons p, enrolments e, the person's PPKS categories pp, the civil
 * registry row c (verification). A row is placed by its own village: a household or person by
 * where it lives, an enrolment by the village where the benefit is delivered (as the scope is).
 * An enrolment reaches its person and household through the stored identity resolution, and
 * only when that person or household is itself in the viewer's scope: exactly what the
 * registry API's Enrolment.person / Enrolment.household show the same viewer.
 */

/** Characters of a region code at each level: a row's region at a level is a prefix of its village code. */
export const CODE_LENGTH: Record<RegionLevel, number> = { PROVINCE: 2, REGENCY: 5, DISTRICT: 8, VILLAGE: 13 };
const LEVEL_OF_DIMENSION: Partial<Record<StatDimension, RegionLevel>> = {
  PROVINCE: 'PROVINCE', REGENCY: 'REGENCY', DISTRICT: 'DISTRICT', VILLAGE: 'VILLAGE',
};

/** AGE_BAND: 0-4, 5-9, …, 70-74, then 75+. */
export const AGE_BAND_WIDTH = 5;
export const AGE_BAND_OPEN_FROM = 75;

/** What decides a STATS_MIN_CELL suppression and the cell key perturbation; null: exact counts. */
export interface DisclosureControl {
  minCell: number;
}

export interface StatsStatement {
  measure: StatMeasure;
  groupBy: readonly StatDimension[];
  filter: { regionCode?: string | null; program?: string | null; desilMin?: number | null; desilMax?: number | null };
  /** The request's instant: ages are whole years on its UTC date, as Person.age. */
  now: Date;
  disclosure: DisclosureControl | null;
  /** At most this many rows are read (one more tells the caller the answer was too large). */
  limit: number;
}

/** The placed alias of each measure: the row that is counted, keyed and scoped. */
const PLACED: Record<StatMeasure, 'h' | 'p' | 'e'> = { HOUSEHOLDS: 'h', PERSONS: 'p', ENROLMENTS: 'e' };

/**
 * A row's region at a level. Village and regency are stored columns with planner statistics (the
 * planner then expects a few hundred groups, not millions, and aggregates in a hash table
 * instead of sorting a million rows to disk); the other levels are prefixes of the village code.
 */
function regionAt(alias: string, level: RegionLevel): SQL {
  if (level === 'VILLAGE') return sql.raw(`${alias}.village_code`);
  if (level === 'REGENCY') return sql.raw(`${alias}.regency_code`);
  return sql.raw(`substr(${alias}.village_code, 1, ${CODE_LENGTH[level]})`);
}

/**
 * The lower bound of a person's age band, from the birth date compared with dates computed once
 * for the request (age >= n  <=>  born on or before the day n years before today, as the persons
 * filter). Null for a missing or future birth date. An int, so groups sort by age.
 */
function ageBandLowerBound(now: Date): SQL {
  const bands: SQL[] = [];
  for (let lower = 0; lower < AGE_BAND_OPEN_FROM; lower += AGE_BAND_WIDTH) {
    bands.push(sql`when p.birth_date > ${yearsBefore(now, lower + AGE_BAND_WIDTH)}::date then ${sql.raw(String(lower))}`);
  }
  return sql`(case when p.birth_date is null or p.birth_date > ${yearsBefore(now, 0)}::date then null
    ${sql.join(bands, sql` `)} else ${sql.raw(String(AGE_BAND_OPEN_FROM))} end)`;
}

/** The shown value of an age band's lower bound. */
const ageBandLabel = (lower: SQL) => sql`(case when ${lower} is null then null when ${lower} >= ${sql.raw(String(AGE_BAND_OPEN_FROM))}
  then ${sql.raw(`'${AGE_BAND_OPEN_FROM}+'`)} else ${lower} || '-' || (${lower} + ${sql.raw(String(AGE_BAND_WIDTH - 1))}) end)`;

/** A dimension's group value (typed, so groups sort naturally), given the measure's aliases. */
function dimensionValue(dimension: StatDimension, measure: StatMeasure, now: Date): SQL {
  const level = LEVEL_OF_DIMENSION[dimension];
  if (level) return regionAt(PLACED[measure], level);
  switch (dimension) {
    case 'DESIL': return sql`h.desil`;
    case 'PROGRAM': return sql`e.program_code`;
    case 'ENROLMENT_STATUS': return sql`e.status`;
    case 'SEX': return sql`p.sex`;
    case 'AGE_BAND': return ageBandLowerBound(now);
    case 'PPKS': return sql`pp.category`;
    // Through the resolved person: an enrolment resolving to nobody visible has no status (null).
    case 'VERIFICATION_STATUS': return sql`(case when p.id is null then null else ${verificationStatusColumn(PERSON_RECORD)} end)`;
    default: throw new Error(`no SQL for dimension ${dimension}`);
  }
}

/** "An ACTIVE enrolment of `program` the viewer may see resolves to this row" (filter.program). */
const activeEnrolmentOf = (viewer: Viewer, program: string, link: SQL) => sql`exists (
  select 1 from enrolments pe
  where ${link} and pe.program_code = ${program} and pe.status = 'ACTIVE' and ${enrolmentScope(viewer, 'pe')})`;

/**
 * stats: one SELECT … GROUP BY over the measure's table, the dimensions' joins only where asked
 * for. The inner query counts each group and sums its record keys; the outer one turns that into
 * the published number (exact, or suppressed / perturbed), renders the values as text, and sorts.
 */
export function statsSql(viewer: Viewer, q: StatsStatement): SQL {
  const { measure, groupBy, filter } = q;
  const dims = new Set(groupBy);
  const needsHousehold = dims.has('DESIL') || filter.desilMin != null || filter.desilMax != null;
  const needsPerson = measure === 'PERSONS'
    || (['SEX', 'AGE_BAND', 'PPKS', 'VERIFICATION_STATUS'] as const).some((d) => dims.has(d));
  const placed = PLACED[measure];

  const from: SQL[] = [];
  const where: SQL[] = [];
  if (measure === 'HOUSEHOLDS') {
    from.push(sql`households h`);
    where.push(rowScope(viewer, 'h'));
  } else if (measure === 'PERSONS') {
    from.push(sql`persons p`);
    where.push(rowScope(viewer, 'p'));
    if (needsHousehold) from.push(sql`join households h on h.id = p.household_id and ${rowScope(viewer, 'h')}`);
  } else {
    from.push(sql`enrolments e`);
    where.push(enrolmentScope(viewer, 'e'));
    if (needsPerson) from.push(sql`left join persons p on p.id = e.person_id and ${rowScope(viewer, 'p')}`);
    if (needsHousehold) from.push(sql`left join households h on h.id = e.household_id and ${rowScope(viewer, 'h')}`);
  }
  // A person with two PPKS categories counts in both; one with none has the value null.
  if (dims.has('PPKS')) from.push(sql`left join lateral unnest(p.ppks) as pp(category) on true`);
  if (dims.has('VERIFICATION_STATUS')) from.push(civilJoin(PERSON_RECORD));

  if (filter.regionCode != null) where.push(rowScope({ regions: [filter.regionCode] }, placed));
  if (filter.desilMin != null) where.push(sql`h.desil >= ${filter.desilMin}`);
  if (filter.desilMax != null) where.push(sql`h.desil <= ${filter.desilMax}`);
  if (filter.program != null) {
    if (measure === 'ENROLMENTS') where.push(sql`e.program_code = ${filter.program}`);
    else if (measure === 'PERSONS') where.push(activeEnrolmentOf(viewer, filter.program, sql`pe.person_id = p.id`));
    else where.push(activeEnrolmentOf(viewer, filter.program, sql`pe.household_id = h.id`));
  }

  const names = groupBy.map((_, i) => sql.raw(`d${i}`));
  const inner = sql`
    select ${sql.join(groupBy.map((d, i) => sql`${dimensionValue(d, measure, q.now)} as ${names[i]}`), sql`, `)},
      count(*)::int as n, ${cellKey(sql.raw(`${placed}.record_key`))} as ck
    from ${sql.join(from, sql` `)}
    where ${sql.join(where, sql` and `)}
    group by ${sql.raw(groupBy.map((_, i) => String(i + 1)).join(', '))}`;

  const shown = groupBy.map((d, i) => {
    const column = sql.raw(`g.d${i}`);
    return sql`${d === 'AGE_BAND' ? ageBandLabel(column) : sql`${column}::text`} as ${names[i]}`;
  });
  const published = q.disclosure == null
    ? sql`g.n as count, false as suppressed`
    : sql`case when g.n < ${q.disclosure.minCell} then null
        else greatest(${perturbedCount(sql`g.n`, sql`g.ck`)}, ${q.disclosure.minCell}) end as count,
        g.n < ${q.disclosure.minCell} as suppressed`;
  return sql`
    select ${sql.join(shown, sql`, `)}, ${published}
    from (${inner}) g
    order by ${sql.raw(groupBy.map((_, i) => `g.d${i}`).join(', '))}
    limit ${q.limit}`;
}

export interface CoverageStatement {
  program: string;
  level: RegionLevel;
  regionCode: string | null;
  eligibleDesilMax: number;
  disclosure: DisclosureControl | null;
}

/**
 * coverage: per region at `level`, household counts of the program's ACTIVE enrolments against
 * the eligible deciles, in one statement.
 *
 *   hh          every household in scope (and in regionCode), with `eligible` (desil <= max) and
 *               `enrolled` (an ACTIVE enrolment of the program the viewer may see resolves to it)
 *   cells       per region: eligible, enrolled and covered (both) households, each with its key
 *   unresolved  per region of delivery: ACTIVE enrolments of the program resolving to no
 *               household in the viewer's scope (inclusion errors that are not households)
 *
 * Inclusion errors = enrolled households that are not eligible (enrolled - covered) + unresolved
 * enrolments; exclusion errors = eligible - covered. For roles under disclosure control the three
 * household cells and the unresolved cell are perturbed on their own keys, covered is then capped
 * at min(eligible, enrolled), and the errors and the rate are derived from the shown numbers, so
 * what an analyst sees always adds up.
 */
export function coverageSql(viewer: Viewer, q: CoverageStatement): SQL {
  const inRegionH = q.regionCode == null ? sql`true` : rowScope({ regions: [q.regionCode] }, 'h');
  const inRegionE = q.regionCode == null ? sql`true` : rowScope({ regions: [q.regionCode] }, 'e');
  const active = (alias: string) => sql`${sql.raw(alias)}.program_code = ${q.program} and ${sql.raw(alias)}.status = 'ACTIVE'
    and ${enrolmentScope(viewer, alias)}`;

  const counts = sql`
    with enrolled as (
      select distinct e.household_id from enrolments e where ${active('e')} and e.household_id is not null
    ), hh as (
      select ${regionAt('h', q.level)} as region, h.record_key as k,
        coalesce(h.desil <= ${q.eligibleDesilMax}, false) as eligible, en.household_id is not null as enrolled
      from households h left join enrolled en on en.household_id = h.id
      where ${rowScope(viewer, 'h')} and ${inRegionH}
    ), cells as (
      select region,
        count(*) filter (where eligible)::int as eligible_n, ${cellKey(sql`k`, sql`eligible`)} as eligible_k,
        count(*) filter (where enrolled)::int as enrolled_n, ${cellKey(sql`k`, sql`enrolled`)} as enrolled_k,
        count(*) filter (where eligible and enrolled)::int as covered_n, ${cellKey(sql`k`, sql`eligible and enrolled`)} as covered_k
      from hh group by region
    ), unresolved as (
      select ${regionAt('e', q.level)} as region, count(*)::int as unresolved_n, ${cellKey(sql`e.record_key`)} as unresolved_k
      from enrolments e
      where ${active('e')} and ${inRegionE}
        and not exists (select 1 from households h where h.id = e.household_id and ${rowScope(viewer, 'h')})
      group by 1
    )
    select coalesce(c.region, u.region) as region,
      coalesce(c.eligible_n, 0) as eligible_n, coalesce(c.eligible_k, 0) as eligible_k,
      coalesce(c.enrolled_n, 0) as enrolled_n, coalesce(c.enrolled_k, 0) as enrolled_k,
      coalesce(c.covered_n, 0) as covered_n, coalesce(c.covered_k, 0) as covered_k,
      coalesce(u.unresolved_n, 0) as unresolved_n, coalesce(u.unresolved_k, 0) as unresolved_k
    from cells c full join unresolved u on u.region = c.region`;

  const shown = q.disclosure == null
    ? sql`eligible_n as eligible, enrolled_n as enrolled, covered_n as covered_raw, unresolved_n as unresolved`
    : sql`${perturbedCount(sql`eligible_n`, sql`eligible_k`)} as eligible, ${perturbedCount(sql`enrolled_n`, sql`enrolled_k`)} as enrolled,
        ${perturbedCount(sql`covered_n`, sql`covered_k`)} as covered_raw, ${perturbedCount(sql`unresolved_n`, sql`unresolved_k`)} as unresolved`;
  return sql`
    select region as "regionCode", eligible as "eligibleHouseholds", enrolled as "enrolledHouseholds",
      covered as "coveredEligibleHouseholds", (enrolled - covered) + unresolved as "inclusionErrors",
      eligible - covered as "exclusionErrors",
      case when eligible = 0 then null else covered::float8 / eligible end as "coverageRate"
    from (
      select region, eligible, enrolled, unresolved, least(covered_raw, eligible, enrolled) as covered
      from (select region, ${shown} from (${counts}) x) y
    ) z
    order by region`;
}
