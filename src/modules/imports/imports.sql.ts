import { sql, type SQL } from 'drizzle-orm';
import { RESOLUTION_NAME_SIMILARITY } from '../enrolments/enrolments.resolution.sql.js';

/**
 * The set-based statements of the CSV import. Each takes one chunk of rows as ONE JSON
 * parameter (json_to_recordset: the same statement on PGlite and postgres.js) and treats the
 * chunk as a set: anti-joins find the rows the database must refuse, one INSERT … ON CONFLICT
 * stores the rest. Unchanged rows are not rewritten (IS DISTINCT FROM), so importing the same
 * file twice changes nothing, not even updated_at.
 *
 * Column lists below are constants of this file; no value from a file is ever spliced in.
 */

/** `ON CONFLICT (key) DO UPDATE` that only touches rows whose columns differ. */
function upsertTail(table: string, key: string, columns: readonly string[], extra = ''): SQL {
  const set = columns.map((c) => `${c} = excluded.${c}`).join(', ');
  const mine = columns.map((c) => `${table}.${c}`).join(', ');
  const theirs = columns.map((c) => `excluded.${c}`).join(', ');
  return sql.raw(`on conflict (${key}) do update set ${set}${extra}, updated_at = now()
    where (${mine}) is distinct from (${theirs})`);
}

const COUNTS = sql.raw(`select count(*) filter (where inserted)::int as inserted,
  count(*) filter (where not inserted)::int as updated from up`);

export interface StoreCounts {
  inserted: number;
  updated: number;
}

/** Rows whose village_code is not a village of the region table. */
export const unknownVillages = (json: string, field = 'village_code') => sql`
  select r.row, ${field} as field,
    'must be a village of the region table; no village has code "' || r.code || '"' as message
  from json_to_recordset(${json}::json) as r(row int, code text)
  where not exists (select 1 from regions g where g.code = r.code and g.level = 'VILLAGE')`;

/** Rows whose household_id is not a DTKS household (import the households file first). */
export const unknownHouseholds = (json: string) => sql`
  select r.row, 'household_id' as field,
    'must be the id of an imported household; no household has id "' || r.code || '"' as message
  from json_to_recordset(${json}::json) as r(row int, code text)
  where not exists (select 1 from households h where h.id = r.code)`;

/** Rows whose program is not a program (built in or imported). */
export const unknownPrograms = (json: string) => sql`
  select r.row, 'program' as field,
    'must be the code of a program (built in or imported); no program has code "' || r.code || '"' as message
  from json_to_recordset(${json}::json) as r(row int, code text)
  where not exists (select 1 from programs p where p.code = r.code)`;

/** Programs rows that declare an exclusion with a code neither in the database nor in this chunk. */
export const unknownExclusions = (json: string) => sql`
  with r as (select * from json_to_recordset(${json}::json) as r(row int, code text, exclusive_with text[]))
  select r.row, 'exclusive_with' as field,
    'must list codes of existing programs or of programs in the same file; unknown ' ||
      string_agg('"' || x.code || '"', ', ' order by x.code) as message
  from r cross join lateral unnest(r.exclusive_with) as x(code)
  where not exists (select 1 from programs p where p.code = x.code)
    and not exists (select 1 from r r2 where r2.code = x.code)
  group by r.row`;

const HOUSEHOLD_COLUMNS = ['village_code', 'address', 'rt', 'rw', 'desil', 'collected_on'] as const;
export const HOUSING_COLUMNS = ['floor', 'wall', 'roof', 'water_source', 'lighting', 'cooking_fuel', 'toilet', 'tenure'] as const;

/** Households; housing indicators the file has no column for are left as they are. */
export function upsertHouseholds(json: string, housing: readonly string[]): SQL {
  const columns = [...HOUSEHOLD_COLUMNS, ...housing];
  const housingTypes = housing.map((c) => `, ${c} smallint`).join('');
  return sql`
    with up as (
      insert into households as t (id, ${sql.raw(columns.join(', '))})
      select id, ${sql.raw(columns.join(', '))}
      from json_to_recordset(${json}::json) as r(id text, village_code text, address text, rt text, rw text,
        desil smallint, collected_on date${sql.raw(housingTypes)})
      ${upsertTail('t', 'id', columns)}
      returning (xmax = 0) as inserted
    ) ${COUNTS}`;
}

const PERSON_COLUMNS = [
  'household_id', 'village_code', 'nik', 'nik_valid', 'kk_number', 'name', 'name_norm', 'sex', 'birth_place',
  'birth_date', 'relationship', 'marital_status', 'presence', 'disability', 'chronic_illness', 'ppks',
] as const;

/**
 * Persons take their village from their household (the composite foreign key keeps the two
 * equal). Also returns the regencies of the chunk's households, changed or not, for identity
 * resolution.
 */
export const upsertPersons = (json: string) => sql`
  with r as (
    select r.*, h.village_code
    from json_to_recordset(${json}::json) as r(id text, household_id text, nik text, nik_valid boolean,
      kk_number text, name text, name_norm text, sex sex, birth_place text, birth_date date,
      relationship relationship, marital_status marital_status, presence presence, disability boolean,
      chronic_illness boolean, ppks ppks_category[])
    join households h on h.id = r.household_id
  ), up as (
    insert into persons as t (id, ${sql.raw(PERSON_COLUMNS.join(', '))})
    select id, ${sql.raw(PERSON_COLUMNS.join(', '))} from r
    ${upsertTail('t', 'id', PERSON_COLUMNS)}
    returning (xmax = 0) as inserted
  )
  select (select count(*) filter (where inserted)::int from up) as inserted,
    (select count(*) filter (where not inserted)::int from up) as updated,
    (select coalesce(array_agg(distinct substr(village_code, 1, 5)), '{}') from r) as regencies`;

const ENROLMENT_COLUMNS = [
  'program_code', 'status', 'start_date', 'end_date', 'amount', 'village_code', 'nik', 'nik_valid', 'kk_number',
  'name', 'name_norm', 'birth_date',
] as const;

/** Enrolments as the program's list gives them; person and household come from resolution. */
export const upsertEnrolments = (json: string) => sql`
  with up as (
    insert into enrolments as t (id, ${sql.raw(ENROLMENT_COLUMNS.join(', '))})
    select id, ${sql.raw(ENROLMENT_COLUMNS.join(', '))}
    from json_to_recordset(${json}::json) as r(id text, program_code text, status enrolment_status,
      start_date date, end_date date, amount bigint, village_code text, nik text, nik_valid boolean,
      kk_number text, name text, name_norm text, birth_date date)
    ${upsertTail('t', 'id', ENROLMENT_COLUMNS)}
    returning (xmax = 0) as inserted
  ) ${COUNTS}`;

const CIVIL_COLUMNS = ['kk_number', 'name', 'name_norm', 'sex', 'birth_place', 'birth_date', 'village_code', 'death_date'] as const;

export const upsertCivilRegistry = (json: string) => sql`
  with up as (
    insert into civil_registry as t (nik, ${sql.raw(CIVIL_COLUMNS.join(', '))})
    select nik, ${sql.raw(CIVIL_COLUMNS.join(', '))}
    from json_to_recordset(${json}::json) as r(nik text, kk_number text, name text, name_norm text, sex sex,
      birth_place text, birth_date date, village_code text, death_date date)
    ${upsertTail('t', 'nik', CIVIL_COLUMNS)}
    returning (xmax = 0) as inserted
  ) ${COUNTS}`;

/** Programs' own rows; their exclusions follow in replaceExclusions. Returns the changed codes. */
export const upsertPrograms = (json: string) => sql`
  insert into programs as t (code, name, target_unit)
  select code, name, target_unit
  from json_to_recordset(${json}::json) as r(code text, name text, target_unit target_unit)
  ${upsertTail('t', 'code', ['name', 'target_unit'])}
  returning code, (xmax = 0) as inserted`;

/**
 * A program's row replaces the exclusions it declares (program_exclusions keeps each
 * declaration as given; readers take both directions). Returns the codes whose set changed.
 */
export const replaceExclusions = (json: string) => sql`
  with r as (select * from json_to_recordset(${json}::json) as r(code text, exclusive_with text[])),
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
export const upsertReferrals = (json: string, actor: string, batchId: string) => sql`
  with r as (
    select * from json_to_recordset(${json}::json) as r(id text, registered_at timestamptz, village_code text,
      category referral_category, complainant_name text, name_norm text, nik text, description text,
      status referral_status, referred_to text)
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
    insert into referrals as t (id, ${sql.raw(REFERRAL_COLUMNS.join(', '))}, in_dtks, person_id, household_id, registered_by)
    select id, ${sql.raw(REFERRAL_COLUMNS.join(', '))}, person_id is not null, person_id, household_id, ${actor}
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
