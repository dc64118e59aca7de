/**
 * Verification benchmark on the 1M-person register of bench/fill.sql.ts, in process through the
 * same Apollo pipeline and context factory as HTTP requests (no network in the timings):
 *
 *   filter-deceased    every DECEASED ACTIVE enrolment of one regency: totalCount and the first page of 100
 *   filter-not-found   the same for NOT_FOUND
 *   filter-all-ids     the whole matching set of each filter as one SQL statement (the service's WHERE)
 *   page-verification  a page of 100 enrolments of the regency with verification { status issues
 *                      nameSimilarity }, walking the regency page by page (no cache is warm twice)
 *   page-plain         the same pages without verification, for comparison
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/padu_h6_bench npm run bench:verification [-- --regency 35.24]
 *   (fill the database first: npm run bench:fill; the regency defaults to the one with most enrolments)
 *
 * As an ADMIN (whole country) the region filter is the only scope, the worst case for the planner.
 * Numbers, not pass/fail; the EXPLAIN ANALYZE of the DECEASED count is printed too.
 */
import { sql } from 'drizzle-orm';
import { signToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { createServices, type AppDeps } from '../src/context.js';
import { Database } from '../src/db/client.js';
import { buildPaduSchema } from '../src/graphql/schema.js';
import { createLogger } from '../src/lib/logger.js';
import { createApollo } from '../src/server.js';
import { timedRequest } from './in-process.js';

const SECRET = 'bench-secret-0123456789-0123456789-abcdef';
const PAGES = Number(process.env.BENCH_PAGES ?? 200);
const REPEAT = 5;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
function summary(label: string, ms: number[], extra = '') {
  const s = [...ms].sort((a, b) => a - b);
  process.stdout.write(`${label.padEnd(20)} n=${String(s.length).padEnd(4)} p50 ${percentile(s, 50).toFixed(1).padStart(7)} ms  p95 ${percentile(s, 95).toFixed(1).padStart(7)} ms  max ${s[s.length - 1].toFixed(1).padStart(7)} ms  ${extra}\n`);
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to a database filled by npm run bench:fill');
  const database = await Database.openPostgres(url, { max: 4 });
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const deps: AppDeps = { database, config, jwtSecret: SECRET, services: createServices(database), logger: createLogger('silent') };
  const apollo = createApollo(await buildPaduSchema(), deps);
  await apollo.start();
  const token = await signToken({ sub: 'bench-admin', role: 'ADMIN', regions: ['*'], programs: [] }, SECRET);

  const run = (query: string, variables: Record<string, unknown>) => timedRequest(apollo, deps, token, query, variables);

  const [{ regency, n }] = arg('regency')
    ? await database.execute<{ regency: string; n: number }>(sql`select ${arg('regency')!}::text as regency, count(*)::int as n from enrolments where regency_code = ${arg('regency')!}`)
    : await database.execute<{ regency: string; n: number }>(sql`select regency_code as regency, count(*)::int as n from enrolments group by 1 order by 2 desc limit 1`);
  const [counts] = await database.execute<Record<string, number>>(sql`select (select count(*)::int from persons) as persons,
    (select count(*)::int from enrolments) as enrolments, (select count(*)::int from civil_registry) as civil_registry`);
  process.stdout.write(`register: ${JSON.stringify(counts)}; regency ${regency}: ${n} enrolments\n\n`);

  const FILTER = `query($regency: String!, $status: VerificationStatus!) {
    enrolments(filter: { regionCode: $regency, status: ACTIVE, verificationStatus: $status }, first: 100) {
      totalCount edges { node { id name nik program { code } verification { status issues nameSimilarity } } } } }`;
  for (const status of ['DECEASED', 'NOT_FOUND']) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < REPEAT; i++) {
      const { ms, data } = await run(FILTER, { regency, status });
      times.push(ms);
      total = data.enrolments.totalCount;
    }
    summary(`filter-${status.toLowerCase().replace('_', '-')}`, times, `(${total} ACTIVE ${status} enrolments, totalCount + first 100 with verification)`);

    const where = deps.services.enrolments.filterWhere({ id: 'bench', role: 'ADMIN', regions: ['*'], programs: [] } as never,
      { regionCode: regency, status: 'ACTIVE', verificationStatus: status as never });
    const all: number[] = [];
    let rows = 0;
    for (let i = 0; i < REPEAT; i++) {
      const started = performance.now();
      rows = (await database.execute(sql`select e.id from enrolments e where ${where} order by e.id`)).length;
      all.push(performance.now() - started);
    }
    summary('filter-all-ids', all, `(${rows} ids of ${status}, one statement)`);
  }

  const PAGE = (withVerification: boolean) => `query($regency: String!, $after: String) {
    enrolments(filter: { regionCode: $regency }, first: 100, after: $after) {
      pageInfo { endCursor hasNextPage } edges { node { id name nik status ${withVerification ? 'verification { status issues nameSimilarity }' : ''} } } } }`;
  for (const [label, withVerification] of [['page-verification', true], ['page-plain', false]] as const) {
    const times: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < PAGES; i++) {
      const { ms, data } = await run(PAGE(withVerification), { regency, after });
      if (i >= 5) times.push(ms); // the first pages warm the plan cache and the connection pool
      after = data.enrolments.pageInfo.hasNextPage ? data.enrolments.pageInfo.endCursor : null;
    }
    summary(label, times, '(first: 100, consecutive pages)');
  }

  const where = deps.services.enrolments.filterWhere({ id: 'bench', role: 'ADMIN', regions: ['*'], programs: [] } as never,
    { regionCode: regency, status: 'ACTIVE', verificationStatus: 'DECEASED' });
  const plan = await database.execute<{ 'QUERY PLAN': string }>(sql`explain (analyze, costs off) select count(*) from enrolments e where ${where}`);
  process.stdout.write(`\nEXPLAIN ANALYZE, count of ACTIVE DECEASED enrolments in ${regency}:\n${plan.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}\n`);

  await apollo.stop();
  await database.close();
}

main().catch((error) => {
  process.stderr.write(`bench:verification: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
