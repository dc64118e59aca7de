/**
 * Analytics benchmark on the 1M-person register of bench/fill.sql.ts, in process through the same
 * Apollo pipeline and context factory as HTTP requests (no network in the timings), warm:
 *
 *   households-village-desil     HOUSEHOLDS by VILLAGE x DESIL for one regency          (target p95 < 0.5 s)
 *   persons-regency-age-sex      PERSONS by REGENCY x AGE_BAND x SEX, whole country     (target p95 < 2 s)
 *   enrolments-program-verif     ENROLMENTS by PROGRAM x VERIFICATION_STATUS, a province (target p95 < 3 s)
 *   coverage-pkh-village         coverage of PKH by village for a province              (target p95 < 2 s)
 *
 * each as ADMIN (exact counts) and as ANALYST (suppression and cell key perturbation), both
 * national viewers, so the region filter is the only narrowing. No rollups: every call reads the
 * live tables, so the numbers are right the moment an import commits.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/padu_bench_copy npm run bench:stats [-- --regency 35.09 --province 35 --runs 7 --explain]
 *   (a database filled by npm run bench:fill and migrated: npm run migrate; the regency defaults to
 *   the one with most households, the province to its province)
 *
 * Numbers, not pass/fail. p95 of `--runs` timed calls after one warm-up call; --explain also prints
 * the EXPLAIN ANALYZE of each statement as the ADMIN runs it.
 */
import { sql } from 'drizzle-orm';
import { signToken } from '../src/auth/tokens.js';
import type { Role } from '../src/auth/viewer.js';
import { loadConfig } from '../src/config.js';
import { createServices, type AppDeps } from '../src/context.js';
import { Database } from '../src/db/client.js';
import { buildPaduSchema } from '../src/graphql/schema.js';
import { createLogger } from '../src/lib/logger.js';
import { coverageSql, statsSql } from '../src/modules/analytics/analytics.sql.js';
import { createApollo } from '../src/server.js';
import { timedRequest } from './in-process.js';

const SECRET = 'bench-secret-0123456789-0123456789-abcdef';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to a database filled by npm run bench:fill (and migrated)');
  const runs = Number(arg('runs') ?? 7);
  const database = await Database.openPostgres(url, { max: 4 });
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const deps: AppDeps = { database, config, jwtSecret: SECRET, services: createServices(database), logger: createLogger('silent') };
  const apollo = createApollo(await buildPaduSchema(), deps);
  await apollo.start();

  const [{ keyed }] = await database.execute<{ keyed: boolean }>(sql`
    select exists (select 1 from information_schema.columns where table_name = 'persons' and column_name = 'record_key') as keyed`);
  if (!keyed) throw new Error('the database has no record keys yet: run npm run migrate on it first');

  const regency = arg('regency') ?? (await database.execute<{ r: string }>(sql`
    select regency_code as r from households group by 1 order by count(*) desc limit 1`))[0].r;
  const province = arg('province') ?? regency.slice(0, 2);
  const [counts] = await database.execute<Record<string, number>>(sql`select (select count(*)::int from households) as households,
    (select count(*)::int from persons) as persons, (select count(*)::int from enrolments) as enrolments,
    (select count(*)::int from households where regency_code = ${regency}) as "regencyHouseholds"`);
  process.stdout.write(`register: ${JSON.stringify(counts)}; regency ${regency}, province ${province}; ${runs} warm runs each\n\n`);

  const tokens = new Map<Role, string>();
  for (const role of ['ADMIN', 'ANALYST'] as const) tokens.set(role, await signToken({ sub: `bench-${role.toLowerCase()}`, role, regions: ['*'], programs: [] }, SECRET));

  const run = (role: Role, query: string, variables: Record<string, unknown>) => timedRequest(apollo, deps, tokens.get(role)!, query, variables);

  const STATS = `query($measure: StatMeasure!, $groupBy: [StatDimension!]!, $filter: StatFilter) {
    stats(measure: $measure, groupBy: $groupBy, filter: $filter) { keys { dimension value } count suppressed } }`;
  const COVERAGE = `query($program: String!, $level: RegionLevel!, $regionCode: String) {
    coverage(program: $program, level: $level, regionCode: $regionCode) {
      region { code } eligibleHouseholds enrolledHouseholds coveredEligibleHouseholds inclusionErrors exclusionErrors coverageRate } }`;

  const cases: Array<{ label: string; target: number; query: string; variables: Record<string, unknown>; field: string }> = [
    { label: 'households-village-desil', target: 500, query: STATS, field: 'stats',
      variables: { measure: 'HOUSEHOLDS', groupBy: ['VILLAGE', 'DESIL'], filter: { regionCode: regency } } },
    { label: 'persons-regency-age-sex', target: 2000, query: STATS, field: 'stats',
      variables: { measure: 'PERSONS', groupBy: ['REGENCY', 'AGE_BAND', 'SEX'] } },
    { label: 'enrolments-program-verif', target: 3000, query: STATS, field: 'stats',
      variables: { measure: 'ENROLMENTS', groupBy: ['PROGRAM', 'VERIFICATION_STATUS'], filter: { regionCode: province } } },
    { label: 'coverage-pkh-village', target: 2000, query: COVERAGE, field: 'coverage',
      variables: { program: 'PKH', level: 'VILLAGE', regionCode: province } },
  ];

  for (const c of cases) {
    for (const role of ['ADMIN', 'ANALYST'] as const) {
      const { data } = await run(role, c.query, c.variables); // warm-up: plan, buffers, connection
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push((await run(role, c.query, c.variables)).ms);
      const s = [...times].sort((a, b) => a - b);
      const p95 = percentile(s, 95);
      process.stdout.write(`${c.label.padEnd(26)} ${role.padEnd(8)} rows ${String(data[c.field].length).padStart(6)}  p50 ${percentile(s, 50).toFixed(0).padStart(6)} ms  p95 ${p95.toFixed(0).padStart(6)} ms  (target < ${c.target} ms: ${p95 < c.target ? 'met' : 'MISSED'})\n`);
    }
  }

  if (process.argv.includes('--explain')) {
    // The statements themselves, as the ADMIN runs them, with their plans.
    const admin = { id: 'bench', role: 'ADMIN', regions: ['*'], programs: [], via: 'token' } as const;
    const statements = [
      statsSql(admin, { measure: 'HOUSEHOLDS', groupBy: ['VILLAGE', 'DESIL'], filter: { regionCode: regency }, now: new Date(), disclosure: null, limit: 50_001 }),
      statsSql(admin, { measure: 'PERSONS', groupBy: ['REGENCY', 'AGE_BAND', 'SEX'], filter: {}, now: new Date(), disclosure: null, limit: 50_001 }),
      statsSql(admin, { measure: 'ENROLMENTS', groupBy: ['PROGRAM', 'VERIFICATION_STATUS'], filter: { regionCode: province }, now: new Date(), disclosure: null, limit: 50_001 }),
      coverageSql(admin, { program: 'PKH', level: 'VILLAGE', regionCode: province, eligibleDesilMax: 4, disclosure: null }),
    ];
    for (const [i, statement] of statements.entries()) {
      const plan = await database.execute<{ 'QUERY PLAN': string }>(sql`explain (analyze, costs off) ${statement}`);
      process.stdout.write(`\nEXPLAIN ANALYZE ${cases[i].label}:\n${plan.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}\n`);
    }
  }

  await apollo.stop();
  await database.close();
}

main().catch((error) => {
  process.stderr.write(`bench:stats: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
