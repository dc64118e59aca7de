/**
 * In-process driver for CPU profiles of the read path (no HTTP, no autocannon): runs the
 * operations of bench/api.ts sequentially through Apollo, guarded or not, as the bench MANAGER.
 *
 *   DATABASE_URL=postgres://…/padu_bench_copy node --cpu-prof --cpu-prof-dir=/tmp/prof \
 *     --import tsx bench/profile-api.ts [enrolments-page|person-nik] [iterations] [unguarded]
 *
 * Open the .cpuprofile in Chrome DevTools or speedscope. Numbers printed are wall time of the
 * loop: a sanity check, not a benchmark (bench:api is the benchmark).
 */
import { HeaderMap } from '@apollo/server';
import postgres from 'postgres';
import { bootstrap } from '../src/app.js';
import { signToken } from '../src/auth/tokens.js';
import { loadConfig } from '../src/config.js';
import { buildPaduSchema, buildUnguardedSchema } from '../src/graphql/schema.js';
import { createLogger } from '../src/lib/logger.js';
import { contextFromHeaders, createApollo } from '../src/server.js';

const [operation = 'enrolments-page', iterationsArg = '300', mode = 'guarded'] = process.argv.slice(2);
const JWT_SECRET = 'bench-secret-0123456789-0123456789-abcdef';
const QUERIES: Record<string, string> = {
  'person-nik': 'query($nik: String!) { person(nik: $nik) { id name birthDate sex household { id desil } } }',
  'enrolments-page': 'query { enrolments(first: 100) { edges { node { program { code } person { name household { desil members { name } } } } } } }',
};

const config = loadConfig({ ...process.env, NODE_ENV: 'development', JWT_SECRET, LOG_LEVEL: 'warn' });
const app = await bootstrap(config, createLogger(config.logLevel));
const schema = mode === 'unguarded' ? await buildUnguardedSchema() : await buildPaduSchema();
const apollo = createApollo(schema, app);
await apollo.start();
const admin = postgres(process.env.DATABASE_URL!, { max: 1 });
const niks = (await admin<{ nik: string }[]>`select nik from persons where nik_valid and regency_code like '35.%' and abs(hashtext(id)) % 1000 = 7 order by id limit 500`).map((r) => r.nik);
await admin.end();
const token = await signToken({ sub: 'bench-manager', role: 'MANAGER', regions: ['35'], programs: [], ttl: '1h' }, JWT_SECRET);

const run = async (i: number) => {
  const headers = new HeaderMap([['content-type', 'application/json'], ['authorization', `Bearer ${token}`]]);
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query: QUERIES[operation], variables: { nik: niks[i % niks.length] } } },
    context: () => contextFromHeaders(app, headers),
  });
  if (response.body.kind !== 'complete' || response.body.string.includes('"errors"')) throw new Error(JSON.stringify(response.body).slice(0, 500));
};
const iterations = Number(iterationsArg);
// PROFILE_SQL=1: time every statement (first 60 characters of its text), printed at the end.
const sqlTimes = new Map<string, number[]>();
if (process.env.PROFILE_SQL === '1') {
  const execute = app.database.execute.bind(app.database);
  app.database.execute = (async (query: any, executor?: any) => {
    const started = performance.now();
    try {
      return await execute(query, executor);
    } finally {
      const text = (app.database.db as any).dialect.sqlToQuery(query).sql.replace(/\s+/g, ' ').trim().slice(0, 60);
      sqlTimes.set(text, [...(sqlTimes.get(text) ?? []), performance.now() - started]);
      if (process.env.PROFILE_SQL_DUMP === '1' && sqlTimes.get(text)!.length === 1) {
        const q = (app.database.db as any).dialect.sqlToQuery(query);
        process.stdout.write(`${q.sql}\n-- ${JSON.stringify(q.params)}\n`);
      }
    }
  }) as typeof app.database.execute;
}
for (let i = 0; i < 30; i++) await run(i);
const started = performance.now();
const cpu = process.cpuUsage();
for (let i = 0; i < iterations; i++) await run(i);
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
// CPU time of this Node process per request (user + system): less sensitive to other load than wall time.
process.stdout.write(`${operation} ${mode}: ${iterations} in ${ms.toFixed(0)} ms, ${(ms / iterations).toFixed(2)} ms each, Node CPU ${((used.user + used.system) / 1000 / iterations).toFixed(2)} ms each\n`);
for (const [text, times] of sqlTimes) {
  times.sort((a, b) => a - b);
  process.stdout.write(`${String(times.length).padStart(6)}x  p50 ${times[times.length >> 1].toFixed(2)} ms  ${text}\n`);
}
await apollo.stop();
await app.database.close();
