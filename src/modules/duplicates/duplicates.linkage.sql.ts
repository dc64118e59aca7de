import { sql, type SQL } from 'drizzle-orm';
import {
  BLOCKING_RULES, candidateRule, COMPARISONS, levelWeight, nikHamming, priorWeight, type Comparison, type ModelParameters,
} from './duplicates.model.js';

/**
 * The SQL of PROBABLE_SAME_PERSON, one builder per step of the model (duplicates.model.ts),
 * chained into one statement by probablePairsQuery:
 *
 *   blocked    the pairs of every blocking rule, each rule AND NOT the earlier ones
 *   pairs      both enrolments' compared columns side by side (l_*, r_*), name similarity
 *   gammas     one CASE column per comparison: the key of the first level that holds
 *   weighted   one weight column per comparison (log2(m/u), the name's term frequency applied)
 *   scored     total = prior + Σ weights, probability, evidence in words from the same columns
 *
 * Enrolments compared are ACTIVE or SUSPENDED. `l` ranges over the changed enrolments (the
 * temporary table dedup_delta, every enrolment of the scope in a full scan), `r` over all: a
 * pair with both sides changed is proposed once (l.id < r.id). Pairs whose NIKs are the same
 * valid NIK are SAME_NIK's, not this kind's.
 */

export const LIVE = sql.raw(`('ACTIVE', 'SUSPENDED')`);

/** A SQL string literal of a constant written in code (level keys, labels): never input. */
export const lit = (text: string) => sql.raw(`'${text.replace(/'/g, "''")}'`);

const ruleOn = (index: number, l: string, r: string): SQL => sql`(${BLOCKING_RULES[index].on(l, r)})`;

/** Compared columns of enrolments, with their pair-column names (l_<name>, r_<name>). */
const COMPARED: Array<[string, string]> = [
  ['id', 'id'], ['name_norm', 'name'], ['birth_date', 'birth'], ['nik', 'nik'], ['village_code', 'village'], ['kk_number', 'kk'],
];

/**
 * Both sides' compared columns, ordered so that l_id < r_id, carried out of the blocking join
 * itself: no second lookup of each enrolment per pair.
 */
const orderedColumns = sql.raw(COMPARED.map(([column, name]) =>
  `case when l.id < r.id then l.${column} else r.${column} end as l_${name}, case when l.id < r.id then r.${column} else l.${column} end as r_${name}`)
  .join(',\n        '));

/** The pairs of all blocking rules, unioned; each rule excludes the pairs of the earlier ones. */
export function blockedPairs(everything = false): SQL {
  const parts = BLOCKING_RULES.map((_rule, index) => {
    const earlier = BLOCKING_RULES.slice(0, index).map((_, k) => sql`and not coalesce(${ruleOn(k, 'l', 'r')}, false)`);
    return sql`
      select l.program_code, l.regency_code, ${orderedColumns}
      from ${everything ? sql`enrolments` : sql`dedup_changed`} l
      join enrolments r on r.regency_code = l.regency_code and r.program_code = l.program_code and ${ruleOn(index, 'l', 'r')}
      where r.status in ${LIVE} and r.id <> l.id
        ${everything ? sql`and l.status in ${LIVE} and l.id < r.id` : sql`and (l.id < r.id or not exists (select 1 from dedup_delta x where x.id = r.id))`}
        and not (l.nik_valid and r.nik_valid and l.nik = r.nik)
        ${sql.join(earlier, sql` `)}`;
  });
  return sql.join(parts, sql` union all `);
}

/** Both sides of each pair in one row, ordered (l_id < r_id). */
const pairColumns = sql`
  a.id as l_id, b.id as r_id, a.program_code, a.regency_code,
  a.name_norm as l_name, b.name_norm as r_name, a.birth_date as l_birth, b.birth_date as r_birth,
  a.nik as l_nik, b.nik as r_nik, a.village_code as l_village, b.village_code as r_village,
  a.kk_number as l_kk, b.kk_number as r_kk,
  similarity(coalesce(a.name_norm, ''), coalesce(b.name_norm, '')) as s_name`;

/** gamma_<comparison>: the key of the first level whose condition holds, over the pair row `p`. */
export function gammaColumn(comparison: Comparison): SQL {
  const branches = comparison.levels.filter((l) => l.when).map((level) => sql`when ${level.when!} then ${lit(level.key)}`);
  const last = comparison.levels.at(-1)!;
  return sql`case ${sql.join(branches, sql` `)} else ${lit(last.key)} end as ${sql.raw(`g_${comparison.key}`)}`;
}

const num = (value: number) => sql.raw(Number.isFinite(value) ? value.toFixed(6) : '0');

/**
 * w_<comparison>: the level's log2(m/u). For a level with term frequency (the same name), the
 * weight is log2(m / tf(name)) instead (Splink's tf adjustment log2(u / tf) added to log2(m/u)),
 * clamped to ±TF_CLAMP around the plain weight.
 */
export const TF_CLAMP = 8;
export function weightColumn(parameters: ModelParameters, comparison: Comparison): SQL {
  const gamma = sql.raw(`p.g_${comparison.key}`);
  const branches = comparison.levels.map((level) => {
    const w = levelWeight(parameters, comparison.key, level);
    if (!level.termFrequency) return sql`when ${lit(level.key)} then ${num(w)}`;
    const u = parameters.comparisons[comparison.key][level.key].u;
    const adjust = sql`greatest(${num(-TF_CLAMP)}, least(${num(TF_CLAMP)}, log(2, (${num(u)} / greatest(p.name_tf, 1e-300))::numeric)::float8))`;
    return sql`when ${lit(level.key)} then ${num(w)} + ${adjust}`;
  });
  return sql`(case ${gamma} ${sql.join(branches, sql` `)} else 0 end)::float8 as ${sql.raw(`w_${comparison.key}`)}`;
}

/** The words of one comparison for a reviewer: its level's label and weight, e.g. "nama mirip 0.91 (+6.2)". */
function evidenceTerm(comparison: Comparison): SQL {
  const gamma = sql.raw(`p.g_${comparison.key}`);
  const weight = sql.raw(`p.w_${comparison.key}`);
  const branches = comparison.levels.map((level) => {
    const [before, after] = level.label.split('{sim}');
    const label = after === undefined ? lit(level.label) : sql`${lit(before)} || to_char(p.s_name, 'FM0.00') || ${lit(after)}`;
    return sql`when ${lit(level.key)} then ${label}`;
  });
  return sql`(case ${gamma} ${sql.join(branches, sql` `)} end) || ' (' || to_char(${weight}, 'FMSG990.0') || ')'`;
}

/**
 * The CTEs from pairs to gammas: `source` yields (lid, rid) pairs of enrolment ids; the result
 * CTE `gammas` has both sides' columns, s_name, nik_hamming and one g_<comparison> per comparison.
 */
export function gammaCtes(source: SQL, withColumns = false): SQL {
  return sql`
    pairs as (${withColumns
      ? sql`select k.*, similarity(coalesce(k.l_name, ''), coalesce(k.r_name, '')) as s_name from (${source}) k`
      : sql`select ${pairColumns}
      from (${source}) k
      join enrolments a on a.id = least(k.lid, k.rid)
      join enrolments b on b.id = greatest(k.lid, k.rid)`}
    ),
    hammed as (
      select p.*, case when p.l_nik ~ '^[0-9]{16}$' and p.r_nik ~ '^[0-9]{16}$' then ${nikHamming} end as nik_hamming
      from pairs p
    ),
    gammas as (
      select p.*, ${sql.join(COMPARISONS.map(gammaColumn), sql`, `)} from hammed p
    )`;
}

/** The gamma of every comparison for the given pairs (estimation, blocking-recall tests). */
export function pairGammasQuery(source: SQL): SQL {
  return sql`with ${gammaCtes(source)}
    select l_id as lid, r_id as rid, ${sql.join(COMPARISONS.map((c) => sql.raw(`g_${c.key} as "${c.key}"`)), sql`, `)} from gammas`;
}

/** The enrolments to compare (temporary table dedup_delta), live ones only. */
const CHANGED = sql`dedup_changed as (
  select e.id, e.program_code, e.regency_code, e.birth_date, e.nik, e.nik_valid, e.name_norm, e.village_code, e.kk_number
  from enrolments e join dedup_delta x on x.id = e.id
  where e.status in ${LIVE}
)`;

/** The pairs the blocking rules propose among the compared enrolments (blocking-recall tests). */
export function blockedPairsQuery(): SQL {
  return sql`with ${CHANGED} select l_id as lid, r_id as rid from (${blockedPairs()}) b`;
}

/**
 * The statement that scores every blocked pair and inserts those at or above the threshold into
 * dedup_found (kind, fingerprint, member ids, score, evidence). `tokenFrequencies` travels as one
 * JSON parameter.
 */
export function probablePairsInsert(parameters: ModelParameters, everything = false): SQL {
  const prior = priorWeight(parameters);
  const weights = COMPARISONS.map((c) => sql.raw(`p.w_${c.key}`));
  const thresholdWeight = Math.log2(parameters.threshold / (1 - parameters.threshold)) - prior;
  return sql`
    with ${CHANGED},
    blocked as (${blockedPairs(everything)}),
    ${gammaCtes(sql`select * from blocked`, true)},
    token_frequencies as materialized (
      select key as token, value::float8 as frequency from json_each_text(${JSON.stringify(parameters.tokenFrequencies)}::json)
    ),
    name_tf as (
      select n.name, exp(sum(ln(coalesce(f.frequency, ${num(parameters.defaultTokenFrequency)})))) as tf
      from (select distinct g.l_name as name from gammas g where g.g_name = 'exact') n
      cross join lateral unnest(string_to_array(n.name, ' ')) t(token)
      left join token_frequencies f on f.token = t.token
      group by n.name
    ),
    weighted as (
      select p.*, ${sql.join(COMPARISONS.map((c) => weightColumn(parameters, c)), sql`, `)}
      from (select g.*, t.tf as name_tf from gammas g left join name_tf t on g.g_name = 'exact' and t.name = g.l_name) p
    ),
    scored as (
      select p.*, ${sql.join(weights, sql` + `)} as total from weighted p
    )
    insert into dedup_found (kind, fingerprint, member_ids, score, evidence)
    select 'PROBABLE_SAME_PERSON', md5('PROBABLE_SAME_PERSON|' || p.l_id || '|' || p.r_id), array[p.l_id, p.r_id],
      1 / (1 + power(2::float8, -(${num(prior)} + p.total))),
      array[${sql.join(COMPARISONS.map(evidenceTerm), sql`, `)},
        'bobot awal ' || to_char(${num(prior)}::float8, 'FMSG990.0') || ', jumlah ' || to_char(${num(prior)} + p.total, 'FMSG990.0')]
    from scored p
    where p.total >= ${num(thresholdWeight)} and ${candidateRule}`;
}
