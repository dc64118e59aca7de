import { sql, type SQL } from 'drizzle-orm';
import { LIVE } from './duplicates.linkage.sql.js';

/**
 * The exact kinds (CONTRACT.md section 6), each ONE set-based statement that inserts into the
 * scan's temporary table dedup_found one candidate per key, grouping every ACTIVE or SUSPENDED
 * enrolment of that key (not only pairs), score 1:
 *
 *   SAME_NIK            (program, NIK) for valid NIKs only (enrolments.nik_valid, src/lib/nik.ts)
 *   SAME_FAMILY         FAMILY programs: (program, KK number); HOUSEHOLD programs: (program,
 *                       resolved DTKS household)
 *   EXCLUSIVE_PROGRAMS  a NIK, or a KK number, enrolled in two programs that exclude each other
 *                       (program_exclusions read in both directions, built-in or imported); the
 *                       group holds the enrolments of that key in programs with an excluding
 *                       partner present. A KK group with exactly the members of a NIK group is
 *                       the same finding and is not stored twice.
 *
 * Keys are read from the temporary table dedup_affected (the changed enrolments and the other
 * members of the candidates they belong to), so an incremental scan recomputes exactly the keys
 * that can have changed; a group is always complete (every enrolment of the key), so one key
 * gives one candidate whoever scans it.
 */

/** A KK number that can group a family: 16 digits, not all zeros. An empty one never matches. */
export const kkUsable = (alias: string) =>
  sql.raw(`(${alias}.kk_number ~ '^[0-9]{16}$' and ${alias}.kk_number <> '0000000000000000')`);

const affected = (condition: SQL) => sql`(select a.* from enrolments a join dedup_affected x on x.id = a.id where ${condition})`;

/**
 * Which keys a statement recomputes: those of dedup_affected, or every key when the scan compares
 * the whole register (`everything`: a national full scan of all programs; the filter would only
 * cost a semi-join of the register with itself).
 */
const keyFilter = (everything: boolean, keys: string, columns: string, condition: SQL) =>
  everything ? sql`` : sql`and (${sql.raw(keys)}) in (select ${sql.raw(columns)} from ${affected(condition)} k)`;

export function sameNikInsert(everything = false): SQL {
  return sql`
    insert into dedup_found (kind, fingerprint, member_ids, score, evidence)
    select 'SAME_NIK', md5('SAME_NIK|' || e.program_code || '|' || e.nik), array_agg(e.id order by e.id), 1,
      array['NIK sama (valid) pada ' || count(*) || ' pendaftaran ' || e.program_code]
    from enrolments e
    where e.status in ${LIVE} and e.nik_valid
      ${keyFilter(everything, 'e.program_code, e.nik', 'k.program_code, k.nik', sql`a.nik_valid`)}
    group by e.program_code, e.nik
    having count(*) > 1`;
}

export function sameFamilyInsert(everything = false): SQL {
  return sql`
    insert into dedup_found (kind, fingerprint, member_ids, score, evidence)
    select 'SAME_FAMILY', md5('SAME_FAMILY|' || e.program_code || '|kk|' || e.kk_number), array_agg(e.id order by e.id), 1,
      array['nomor KK sama pada ' || count(*) || ' pendaftaran ' || e.program_code || ' (program per keluarga)']
    from enrolments e join programs g on g.code = e.program_code and g.target_unit = 'FAMILY'
    where e.status in ${LIVE} and ${kkUsable('e')}
      ${keyFilter(everything, 'e.program_code, e.kk_number', 'k.program_code, k.kk_number', kkUsable('a'))}
    group by e.program_code, e.kk_number
    having count(*) > 1
    union all
    select 'SAME_FAMILY', md5('SAME_FAMILY|' || e.program_code || '|household|' || e.household_id), array_agg(e.id order by e.id), 1,
      array['rumah tangga DTKS sama pada ' || count(*) || ' pendaftaran ' || e.program_code || ' (program per rumah tangga)']
    from enrolments e join programs g on g.code = e.program_code and g.target_unit = 'HOUSEHOLD'
    where e.status in ${LIVE} and e.household_id is not null
      ${keyFilter(everything, 'e.program_code, e.household_id', 'k.program_code, k.household_id', sql`a.household_id is not null`)}
    group by e.program_code, e.household_id
    having count(*) > 1`;
}

export function exclusiveProgramsInsert(everything = false): SQL {
  const groups = (keyName: 'nik' | 'kk', keyColumn: string, usable: SQL, usableA: SQL) => sql`
    ${sql.raw(`by_${keyName}`)} as (
      select e.${sql.raw(keyColumn)} as key, e.id, e.program_code
      from enrolments e
      where e.status in ${LIVE} and ${usable}
        ${keyFilter(everything, `e.${keyColumn}`, `k.${keyColumn}`, usableA)}
    ),
    ${sql.raw(`${keyName}_programs`)} as (
      select b.key, array_agg(distinct b.program_code) as programs from ${sql.raw(`by_${keyName}`)} b
      group by b.key having count(distinct b.program_code) > 1
    ),
    ${sql.raw(`${keyName}_groups`)} as (
      select b.key, array_agg(b.id order by b.id) as ids, array_agg(distinct b.program_code) as programs
      from ${sql.raw(`by_${keyName}`)} b join ${sql.raw(`${keyName}_programs`)} k on k.key = b.key
      where exists (select 1 from exclusions x where x.a = b.program_code and x.b = any(k.programs))
      group by b.key
    )`;
  return sql`
    insert into dedup_found (kind, fingerprint, member_ids, score, evidence)
    with exclusions as (
      select program_code as a, excluded_code as b from program_exclusions
      union select excluded_code, program_code from program_exclusions
    ),
    ${groups('nik', 'nik', sql`e.nik_valid`, sql`a.nik_valid`)},
    ${groups('kk', 'kk_number', kkUsable('e'), kkUsable('a'))}
    select 'EXCLUSIVE_PROGRAMS', md5('EXCLUSIVE_PROGRAMS|nik|' || n.key), n.ids, 1,
      array['program saling eksklusif (' || array_to_string(n.programs, ', ') || ') dengan NIK yang sama']
    from nik_groups n
    union all
    select 'EXCLUSIVE_PROGRAMS', md5('EXCLUSIVE_PROGRAMS|kk|' || k.key), k.ids, 1,
      array['program saling eksklusif (' || array_to_string(k.programs, ', ') || ') dengan nomor KK yang sama']
    from kk_groups k left join nik_groups n on n.ids = k.ids
    where n.key is null`;
}
