import { sql, type SQL } from 'drizzle-orm';
import { RESOLUTION_NAME_SIMILARITY, resolutionSteps, resolveEnrolmentsStatement } from '../enrolments/enrolments.resolution.sql.js';

/**
 * The set-based statements of the CSV import. A segment of the file is COPYed into the
 * transaction's unindexed temporary table `import_stage` (row number + the kind's columns,
 * already validated row by row); these statements then treat it as a set: anti-joins find the
 * rows the database must refuse, one INSERT … SELECT … ON CONFLICT stores the rest.
 *
 * Unchanged rows cost no write: the SELECT drops every staged row equal to its stored record
 * (a join on the key comparing the columns, before the INSERT: no speculative insertion, no row
 * lock, no WAL), and the `ON CONFLICT … WHERE … IS DISTINCT FROM` guard stays for a row that
 * changed in between. So importing the same file twice changes nothing, not even updated_at.
 *
 * Every statement lists its columns: a column the file does not carry (created_at,
 * a key with a random default, person_id of a person…) is never set or changed by an import.
 * Column lists are constants of this file; no value from a file is ever spliced in.
 */

export const STAGE = 'import_stage';
/** Keys stored (inserted or changed) by the segment: what identity resolution looks at. */
export const CHANGED = 'import_changed';
const stage = sql.raw(STAGE);
const changed = sql.raw(CHANGED);

/** Staged rows with row numbers in [lo, hi): the part of the segment one store attempt takes. */
export interface RowRange {
  lo: number;
  hi: number;
}
const inRange = (range: RowRange, alias = 'r') => sql`${sql.raw(alias)}.row >= ${range.lo} and ${sql.raw(alias)}.row < ${range.hi}`;

/** `ON CONFLICT (key) DO UPDATE` that only touches rows whose columns differ. */
function upsertTail(table: string, key: string, columns: readonly string[], extra = ''): SQL {
  const set = columns.map((c) => `${c} = excluded.${c}`).join(', ');
  const mine = columns.map((c) => `${table}.${c}`).join(', ');
  const theirs = columns.map((c) => `excluded.${c}`).join(', ');
  return sql.raw(`on conflict (${key}) do update set ${set}${extra}, updated_at = now()
    where (${mine}) is distinct from (${theirs})`);
}

/**
 * The unchanged-row filter: the stored record of each staged row (`x`), and the condition that
 * keeps only new or different rows. A left join rather than NOT EXISTS: PostgreSQL 15 hashes
 * only the inner side of an anti-join (the whole target table, for every segment), while a left
 * join lets the planner hash the segment and stream the table, or probe the key's index.
 */
function storedJoin(table: string, key: string, stagedKey = `r.${key}`): SQL {
  return sql.raw(`left join ${table} x on x.${key} = ${stagedKey}`);
}
function differs(key: string, columns: readonly string[], staged: (c: string) => string = (c) => `r.${c}`): SQL {
  const mine = columns.map((c) => `x.${c}`).join(', ');
  const theirs = columns.map(staged).join(', ');
  return sql.raw(`(x.${key} is null or (${mine}) is distinct from (${theirs}))`);
}

const cols = (columns: readonly string[], alias = '') => sql.raw(columns.map((c) => `${alias}${c}`).join(', '));

/** Counts of an `up` CTE returning (key, inserted); the stored keys go to import_changed. */
const COUNTS = sql`, kept as (insert into ${changed} (key) select key from up)
  select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated from up`;

/**
 * The `up` CTE (key, inserted) of a kind's store: `INSERT INTO table (key, columns) SELECT
 * select FROM source`, upserting on the key; `stored` is the stored record's key in `source`,
 * null for a new row (storedJoin's `x.<key>`).
 *
 * Normally one upsert (`ON CONFLICT … DO UPDATE`). Under a bulk load's ACCESS EXCLUSIVE lock
 * (`exclusive`) no other session can insert a key, and a file's keys are unique, so a row
 * without a stored record cannot conflict: those go in with a plain INSERT, which skips the
 * speculative insertion's extra probe of the primary key (about 10% of inserting a row), and
 * only the changed ones take the upsert.
 */
function storeCte(p: { table: string; key: string; columns: readonly string[]; select: SQL; source: SQL; stored: SQL; exclusive: boolean }): SQL {
  const into = sql.raw(`${p.table} as t (${[p.key, ...p.columns].join(', ')})`);
  const tail = upsertTail('t', p.key, p.columns);
  const returning = sql.raw(`returning t.${p.key} as key, (xmax = 0) as inserted`);
  if (!p.exclusive) return sql`up as (insert into ${into} select ${p.select} ${p.source} ${tail} ${returning})`;
  const names = cols([p.key, ...p.columns]);
  return sql`src as materialized (select ${p.select}, ${p.stored} is null as is_new ${p.source}),
    fresh as (insert into ${into} select ${names} from src where is_new ${returning}),
    changed_rows as (insert into ${into} select ${names} from src where not is_new ${tail} ${returning}),
    up as (select key, inserted from fresh union all select key, inserted from changed_rows)`;
}

export interface StoreCounts {
  inserted: number;
  updated: number;
}

/**
 * The database checks of a kind, as one statement: the rows they refuse leave the stage, and
 * the statement returns (row, field, message) for each reason.
 */
export const refuse = (checks: SQL[]) => sql`
  with bad as (${sql.join(checks, sql` union all `)}),
  gone as (delete from ${stage} s where s.row in (select row from bad))
  select row, field, message from bad order by row`;

/** Rows whose village_code is not a village of the region table. */
export const unknownVillages = (field = 'village_code') => sql`
  select r.row, ${field}::text as field,
    'must be a village of the region table; no village has code "' || r.village_code || '"' as message
  from ${stage} r
  where r.village_code is not null
    and not exists (select 1 from regions g where g.code = r.village_code and g.level = 'VILLAGE')`;

/** Rows whose household_id is not a DTKS household (import the households file first). */
export const unknownHouseholds = () => sql`
  select r.row, 'household_id'::text as field,
    'must be the id of an imported household; no household has id "' || r.household_id || '"' as message
  from ${stage} r
  where r.household_id is not null and not exists (select 1 from households h where h.id = r.household_id)`;

/** Rows whose program is not a program (built in or imported). */
export const unknownPrograms = () => sql`
  select r.row, 'program'::text as field,
    'must be the code of a program (built in or imported); no program has code "' || r.program_code || '"' as message
  from ${stage} r
  where r.program_code is not null and not exists (select 1 from programs p where p.code = r.program_code)`;

/** Programs rows that declare an exclusion with a code neither in the database nor in this file segment. */
export const unknownExclusions = () => sql`
  select r.row, 'exclusive_with'::text as field,
    'must list codes of existing programs or of programs in the same file; unknown ' ||
      string_agg('"' || x.code || '"', ', ' order by x.code) as message
  from ${stage} r cross join lateral unnest(r.exclusive_with) as x(code)
  where not exists (select 1 from programs p where p.code = x.code)
    and not exists (select 1 from ${stage} r2 where r2.code = x.code)
  group by r.row`;

const HOUSEHOLD_COLUMNS = ['village_code', 'address', 'rt', 'rw', 'desil', 'collected_on'] as const;
export const HOUSING_COLUMNS = ['floor', 'wall', 'roof', 'water_source', 'lighting', 'cooking_fuel', 'toilet', 'tenure'] as const;

/** Households; housing indicators the file has no column for are left as they are. */
export function upsertHouseholds(range: RowRange, housing: readonly string[], exclusive = false): SQL {
  const columns = [...HOUSEHOLD_COLUMNS, ...housing];
  return sql`
    with ${storeCte({
      table: 'households', key: 'id', columns, exclusive,
      select: sql`r.id, ${cols(columns, 'r.')}`,
      source: sql`from ${stage} r ${storedJoin('households', 'id')} where ${inRange(range)} and ${differs('id', columns)}`,
      stored: sql`x.id`,
    })} ${COUNTS}`;
}

const PERSON_COLUMNS = [
  'household_id', 'village_code', 'nik', 'nik_valid', 'kk_number', 'name', 'name_norm', 'sex', 'birth_place',
  'birth_date', 'relationship', 'marital_status', 'presence', 'disability', 'chronic_illness', 'ppks',
] as const;

/** Persons take their village from their household (the composite foreign key keeps the two equal). */
export const upsertPersons = (range: RowRange, exclusive = false) => sql`
  with r as (
    select r.*, h.village_code
    from ${stage} r join households h on h.id = r.household_id
    where ${inRange(range)}
  ), ${storeCte({
    table: 'persons', key: 'id', columns: PERSON_COLUMNS, exclusive,
    select: sql`r.id, ${cols(PERSON_COLUMNS, 'r.')}`,
    source: sql`from r ${storedJoin('persons', 'id')} where ${differs('id', PERSON_COLUMNS)}`,
    stored: sql`x.id`,
  })} ${COUNTS}`;

/**
 * Enrolments that may resolve differently now that the persons in import_changed were stored:
 * those linked to them, those with their NIK, and those with their regency and birth date
 * (CONTRACT.md section 9 matches on nothing else), then resolved again, set-based.
 */
export const resolveAfterPersons = () => resolveEnrolmentsStatement(sql`e.id in (
    select e2.id from enrolments e2 where e2.person_id in (select key from ${changed})
    union
    select e2.id from enrolments e2 join persons p on p.nik = e2.nik where p.id in (select key from ${changed}) and p.nik <> ''
    union
    select e2.id from enrolments e2 join persons p on p.regency_code = e2.regency_code and p.birth_date = e2.birth_date
    where p.id in (select key from ${changed})
  )`);

/** The same after households changed: their members may have moved to another regency. */
export const resolveAfterHouseholds = () => resolveEnrolmentsStatement(sql`e.id in (
    select e2.id from enrolments e2 where e2.household_id in (select key from ${changed})
    union
    select e2.id from enrolments e2 join persons p on p.regency_code = e2.regency_code and p.birth_date = e2.birth_date
    where p.household_id in (select key from ${changed})
  )`);

const ENROLMENT_COLUMNS = [
  'program_code', 'status', 'start_date', 'end_date', 'amount', 'village_code', 'nik', 'nik_valid', 'kk_number',
  'name', 'name_norm', 'birth_date',
] as const;
const RESOLVED_COLUMNS = [...ENROLMENT_COLUMNS, 'person_id', 'household_id'] as const;

/**
 * Enrolments as the program's list gives them, resolved to DTKS persons in the same statement
 * (CONTRACT.md section 9: by NIK, the most similar name when several share it, else by name and
 * birth date in the same regency): each row is written once, with its person and household.
 * A row whose listed columns are unchanged is not looked at again.
 */
export const upsertEnrolments = (range: RowRange, exclusive = false) => sql`
  with scope as materialized (
    select r.*, substr(r.village_code, 1, 5) as regency_code, x.id as stored_id
    from ${stage} r ${storedJoin('enrolments', 'id')}
    where ${inRange(range)} and ${differs('id', ENROLMENT_COLUMNS)}
  ), ${resolutionSteps}, ${storeCte({
    table: 'enrolments', key: 'id', columns: RESOLVED_COLUMNS, exclusive,
    select: sql`s.id, ${cols(ENROLMENT_COLUMNS, 's.')}, coalesce(n.person_id, m.person_id) as person_id, coalesce(n.household_id, m.household_id) as household_id`,
    source: sql`from scope s left join by_nik n on n.id = s.id left join by_name m on m.id = s.id`,
    // The stored record was looked up in scope.
    stored: sql`s.stored_id`,
  })} ${COUNTS}`;

const CIVIL_COLUMNS = ['kk_number', 'name', 'name_norm', 'sex', 'birth_place', 'birth_date', 'village_code', 'death_date'] as const;

export const upsertCivilRegistry = (range: RowRange, exclusive = false) => sql`
  with ${storeCte({
    table: 'civil_registry', key: 'nik', columns: CIVIL_COLUMNS, exclusive,
    select: sql`r.nik, ${cols(CIVIL_COLUMNS, 'r.')}`,
    source: sql`from ${stage} r ${storedJoin('civil_registry', 'nik')} where ${inRange(range)} and ${differs('nik', CIVIL_COLUMNS)}`,
    stored: sql`x.nik`,
  })} ${COUNTS}`;

/** Programs' own rows; their exclusions follow in replaceExclusions. Returns the changed codes. */
export const upsertPrograms = (range: RowRange) => sql`
  insert into programs as t (code, name, target_unit)
  select r.code, r.name, r.target_unit
  from ${stage} r
  where ${inRange(range)}
  ${upsertTail('t', 'code', ['name', 'target_unit'])}
  returning code, (xmax = 0) as inserted`;

/**
 * A program's row replaces the exclusions it declares (program_exclusions keeps each
 * declaration as given; readers take both directions). Returns the codes whose set changed.
 */
export const replaceExclusions = (range: RowRange) => sql`
  with r as (select r.code, r.exclusive_with from ${stage} r where ${inRange(range)}),
  gone as (
    delete from program_exclusions x using r
    where x.program_code = r.code and not (x.excluded_code = any(r.exclusive_with))
    returning x.program_code
  ), added as (
    insert into program_exclusions (program_code, excluded_code)
    select r.code, e.code from r cross join lateral unnest(r.exclusive_with) as e(code)
    on conflict do nothing
    returning program_code
  )
  select program_code as code from gone union select program_code from added`;

const REFERRAL_COLUMNS = [
  'village_code', 'category', 'status', 'registered_at', 'complainant_name', 'name_norm', 'nik', 'description', 'referred_to',
] as const;

/**
 * Historic SLRT records. A new record is placed in the DTKS as registerComplaint does (by NIK,
 * else by normalised name in the same village: in_dtks, person, household); an update keeps
 * what was found at registration. A new record or a changed status appends a referral event
 * and a status change bumps the version.
 */
export const upsertReferrals = (range: RowRange, actor: string, batchId: string) => sql`
  with r as (
    select r.* from ${stage} r ${storedJoin('referrals', 'id')} where ${inRange(range)} and ${differs('id', REFERRAL_COLUMNS)}
  ), linked as (
    select r.*, coalesce(by_nik.id, by_name.id) as person_id, coalesce(by_nik.household_id, by_name.household_id) as household_id
    from r
    left join lateral (
      select p.id, p.household_id from persons p where r.nik is not null and p.nik = r.nik
      order by similarity(coalesce(p.name_norm, ''), coalesce(r.name_norm, '')) desc, p.id limit 1
    ) by_nik on true
    left join lateral (
      select p.id, p.household_id from persons p
      where by_nik.id is null and r.name_norm <> '' and p.village_code = r.village_code
        and (p.name_norm = r.name_norm or similarity(p.name_norm, r.name_norm) >= ${RESOLUTION_NAME_SIMILARITY})
      order by (p.name_norm = r.name_norm) desc, similarity(p.name_norm, r.name_norm) desc, p.id limit 1
    ) by_name on true
  ), old as (
    select x.id, x.status from referrals x where x.id in (select id from r)
  ), up as (
    insert into referrals as t (id, ${cols(REFERRAL_COLUMNS)}, in_dtks, person_id, household_id, registered_by)
    select id, ${cols(REFERRAL_COLUMNS)}, person_id is not null, person_id, household_id, ${actor}
    from linked
    ${upsertTail('t', 'id', REFERRAL_COLUMNS, ', version = t.version + (t.status is distinct from excluded.status)::int')}
    returning t.id, t.status, t.referred_to, t.regency_code, (xmax = 0) as inserted
  ), events as (
    insert into referral_events (referral_id, regency_code, from_status, to_status, actor, note, referred_to)
    select up.id, up.regency_code, old.status, up.status, ${actor}, ${`import batch ${batchId}`}, up.referred_to
    from up left join old on old.id = up.id
    where old.id is null or old.status is distinct from up.status
    returning 1
  )
  select count(*) filter (where inserted)::int as inserted, count(*) filter (where not inserted)::int as updated,
    (select count(*)::int from events) as events
  from up`;
