import { writeFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { seedDemo } from '../../seeds/demo.js';
import { Database } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { normalizeName } from '../lib/names.js';
import { isValidNik } from '../lib/nik.js';
import { enrolments } from '../../schema/index.js';
import { labelledSet } from '../modules/duplicates/duplicates.labelled.js';
import { pairGammasQuery } from '../modules/duplicates/duplicates.linkage.sql.js';
import { COMPARISONS, PARAMETERS_FILE, type ModelParameters } from '../modules/duplicates/duplicates.model.js';
import { runCli } from './run.js';

/**
 * Re-estimate the parameters of the PROBABLE_SAME_PERSON model (src/modules/duplicates/
 * duplicates.parameters.json), the way Splink's training steps do:
 *
 *   u  estimate_u_using_random_sampling: random pairs of enrolments of one regency and program
 *      (each enrolment paired with the next ones in an md5 order of its block), the share of each
 *      level among them;
 *   m  from labelled pairs: the share of each level among the true pairs of the labelled
 *      synthetic set (duplicates.labelled.ts, TRAINING_SEED; the tests measure another seed);
 *   λ  estimate_probability_two_random_records_match: pairs agreeing on a deterministic rule
 *      (same normalised name, same birth date, no shared valid NIK) divided by the rule's
 *      assumed recall, over all pairs of enrolments within one regency and program;
 *   token frequencies: the share of enrolments whose normalised name holds each token.
 *
 *   npm run dedup:estimate                      (the demo data set, in memory: deterministic)
 *   DATABASE_URL=postgres://… npm run dedup:estimate -- --from-database   (a real register)
 *
 * Levels are smoothed (+0.5 to every count) so no weight is infinite.
 */
export const TRAINING_SEED = 1;
const PAIRS_PER_ENROLMENT = 4;
const RULE_RECALL = 0.6;
const THRESHOLD = 0.9;

runCli(async () => {
  const fromDatabase = process.argv.includes('--from-database');
  const source = fromDatabase ? await Database.openPostgres(requireUrl()) : await Database.openPglite('memory://');
  await migrate(source);
  if (!fromDatabase) await seedDemo(source);

  // u from random pairs of the register.
  const randomPairs = sql`
    select o.id as lid, n.id as rid from (
      select id, regency_code, program_code, row_number() over (partition by regency_code, program_code order by md5(id)) as rn
      from enrolments where status in ('ACTIVE', 'SUSPENDED')
    ) o
    join lateral generate_series(1, ${PAIRS_PER_ENROLMENT}) k on true
    join (
      select id, regency_code, program_code, row_number() over (partition by regency_code, program_code order by md5(id)) as rn
      from enrolments where status in ('ACTIVE', 'SUSPENDED')
    ) n on n.regency_code = o.regency_code and n.program_code = o.program_code and n.rn = o.rn + k`;
  const uRows = await source.execute<Record<string, string>>(pairGammasQuery(randomPairs));
  const [{ agreeing, total }] = await source.execute<{ agreeing: number; total: number }>(sql`
    with blocks as (select regency_code, program_code, count(*)::float8 as n from enrolments
                    where status in ('ACTIVE', 'SUSPENDED') group by 1, 2)
    select (select count(*)::float8 from enrolments a join enrolments b on a.regency_code = b.regency_code and a.program_code = b.program_code
              and a.id < b.id and a.name_norm = b.name_norm and a.birth_date = b.birth_date
            where a.status in ('ACTIVE', 'SUSPENDED') and b.status in ('ACTIVE', 'SUSPENDED') and a.name_norm <> ''
              and not (a.nik_valid and b.nik_valid and a.nik = b.nik)) as agreeing,
           (select sum(n * (n - 1) / 2) from blocks) as total`);
  const tokens = await source.execute<{ token: string; share: number }>(sql`
    with t as (select distinct e.id, w.token from enrolments e cross join lateral unnest(string_to_array(e.name_norm, ' ')) w(token)
               where e.name_norm <> ''),
         n as (select count(*)::float8 as n from enrolments where name_norm <> '')
    select t.token, count(*) / (select n from n) as share from t group by t.token having count(*) >= 3
    order by share desc, t.token limit 2000`);
  const [{ n: named }] = await source.execute<{ n: number }>(sql`select count(*)::int as n from enrolments where name_norm <> ''`);
  await source.close();

  // m from the labelled synthetic set, loaded into a scratch database.
  const scratch = await Database.openPglite('memory://');
  await migrate(scratch);
  const villages = (await scratch.execute<{ code: string }>(sql`select code from regions where level = 'VILLAGE' and code like '35.09.%' order by code`))
    .map((r) => r.code).filter((_, i) => i % 7 === 0).slice(0, 24);
  const set = labelledSet(TRAINING_SEED, villages);
  await scratch.db.insert(enrolments).values(set.enrolments.map((e) => ({
    id: e.id, programCode: 'PBI_JK', status: 'ACTIVE' as const, villageCode: e.villageCode, nik: e.nik, nikValid: isValidNik(e.nik),
    kkNumber: e.kkNumber, name: e.name, nameNorm: normalizeName(e.name), birthDate: e.birthDate,
  })));
  const mRows = await scratch.execute<Record<string, string>>(pairGammasQuery(sql`
    select lid, rid from json_to_recordset(${JSON.stringify(set.matches.map(([lid, rid]) => ({ lid, rid })))}::json) as x(lid text, rid text)`));
  await scratch.close();

  const share = (rows: Record<string, string>[], comparison: string, levels: string[]) => {
    const counts = Object.fromEntries(levels.map((l) => [l, 0.5]));
    for (const row of rows) counts[row[comparison]] += 1;
    const sum = Object.values(counts).reduce((a, b) => a + b, 0);
    return Object.fromEntries(levels.map((l) => [l, counts[l] / sum]));
  };
  const comparisons: ModelParameters['comparisons'] = {};
  for (const comparison of COMPARISONS) {
    // m and u are shares among the pairs where the comparison has a value (null levels weigh 0).
    const levels = comparison.levels.filter((l) => !l.isNull).map((l) => l.key);
    const nonNull = (rows: Record<string, string>[]) => rows.filter((r) => levels.includes(r[comparison.key]));
    const m = share(nonNull(mRows), comparison.key, levels);
    const u = share(nonNull(uRows), comparison.key, levels);
    comparisons[comparison.key] = Object.fromEntries(levels.map((l) => [l, { m: round(m[l]), u: round(u[l]) }]));
  }
  const lambda = Math.min(0.5, Math.max(1e-9, agreeing / RULE_RECALL / Math.max(1, total)));
  const parameters: ModelParameters = {
    lambda: round(lambda),
    threshold: THRESHOLD,
    comparisons,
    tokenFrequencies: Object.fromEntries(tokens.map((t) => [t.token, round(t.share)])),
    defaultTokenFrequency: round(1 / Math.max(1, named)),
    provenance: {
      estimatedBy: 'npm run dedup:estimate',
      data: fromDatabase ? 'DATABASE_URL register' : 'demo data set (seeds/demo.ts)',
      randomPairs: uRows.length,
      labelledSeed: TRAINING_SEED,
      labelledMatches: mRows.length,
      deterministicRule: 'same name_norm and birth_date, no shared valid NIK',
      ruleRecall: RULE_RECALL,
      ruleAgreeingPairs: agreeing,
      pairsWithinRegencyAndProgram: total,
      namedEnrolments: named,
    },
  };
  writeFileSync(PARAMETERS_FILE, `${JSON.stringify(parameters, null, 2)}\n`);
  process.stdout.write(`wrote ${PARAMETERS_FILE.pathname}: λ=${parameters.lambda}, ${uRows.length} random pairs, ${mRows.length} labelled matches, ${tokens.length} tokens\n`);
  for (const [key, levels] of Object.entries(comparisons)) {
    process.stdout.write(`  ${key.padEnd(10)} ${Object.entries(levels).map(([l, { m, u }]) => `${l} ${Math.log2(m / u) >= 0 ? '+' : ''}${Math.log2(m / u).toFixed(1)}`).join('  ')}\n`);
  }
});

function round(x: number) {
  return Number(x.toPrecision(4));
}

function requireUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('--from-database needs DATABASE_URL');
  return url;
}
