/**
 * API benchmark: Padu and PostGraphile 5 over the same PostgreSQL database, driven over HTTP by
 * autocannon, one server at a time, for three operations at concurrency 1 and 32:
 *
 *   person-nik        person(nik) with the household (Padu) / allPeople(condition: {nik}) (PostGraphile)
 *   enrolments-page   the nested page of the registry-API issue, first: 100
 *   search            searchPersons(name) / a search_persons(q) SQL function with the same SQL, unscoped
 *
 * Padu runs as a MANAGER scoped to province 35 (region scope in every statement, cursor and
 * argument checks); PostGraphile runs its stock Amber preset without any authorisation.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/padu_h4_bench npm run bench:api
 *   (fill the database first: npx tsx bench/fill.sql.ts; BENCH_SECONDS=10 per run by default;
 *    BENCH_SKIP_POSTGRAPHILE=1 to run Padu alone; BENCH_OPERATIONS=enrolments-page to run some;
 *    BENCH_GUARDS=compare to run Padu a second time without field guards and READ auditing,
 *    bench/unguarded-server.ts, and report what the guards cost)
 *
 * Numbers, not pass/fail. Every operation is checked once on each server (no errors, a non-empty
 * answer) before it is measured, so an error path is never benchmarked.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import postgres from 'postgres';
import { signToken } from '../src/auth/tokens.js';
import { normalizeName } from '../src/lib/names.js';

const DATABASE_URL = process.env.DATABASE_URL;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = 2;
const CONCURRENCY = [1, 32];
const PADU_PORT = 4611;
const PGL_PORT = 4612;
const JWT_SECRET = 'bench-secret-0123456789-0123456789-abcdef';

const SEARCH_NAMES = [
  'Hj. Sitti Aminah', 'Moh. Rizki Santoso', 'Djoko Widodo', 'Noer Hasanah', 'Achmad Rachman', 'Tjahjani Rahayu',
  'Sri Wulandari, S.Pd.', 'M. Yusuf Hidayat', 'Dewi Lestari', 'Budi Soeharto', 'Agus Setiawan', 'Fatimah Nasution',
  'Eko Prasetyo', 'Siti Nur Hasanah', 'Heru Gunawan', 'Ratna Kusuma',
];

interface Operation {
  name: string;
  query: string;
  variables: () => Record<string, unknown>;
  /** Whether a response's data holds an answer (checked once before measuring). */
  answered: (data: any) => boolean;
}

function cycle<T>(items: T[]): () => T {
  let i = 0;
  return () => items[i++ % items.length];
}

function paduOperations(niks: string[]): Operation[] {
  const nik = cycle(niks);
  const name = cycle(SEARCH_NAMES);
  return [
    {
      name: 'person-nik',
      query: 'query($nik: String!) { person(nik: $nik) { id name birthDate sex household { id desil } } }',
      variables: () => ({ nik: nik() }),
      answered: (d) => d?.person?.id != null,
    },
    {
      name: 'enrolments-page',
      query: 'query { enrolments(first: 100) { edges { node { program { code } person { name household { desil members { name } } } } } } }',
      variables: () => ({}),
      answered: (d) => d?.enrolments?.edges?.length === 100,
    },
    {
      name: 'search',
      query: 'query($name: String!) { searchPersons(name: $name, first: 10) { score person { id name birthDate } } }',
      variables: () => ({ name: name() }),
      answered: (d) => Array.isArray(d?.searchPersons) && d.searchPersons.length > 0,
    },
  ];
}

function postgraphileOperations(niks: string[]): Operation[] {
  const nik = cycle(niks);
  const name = cycle(SEARCH_NAMES.map(normalizeName));
  return [
    {
      name: 'person-nik',
      query: 'query($nik: String!) { allPeople(condition: { nik: $nik }, first: 1) { nodes { rowId name birthDate sex householdByHouseholdIdAndVillageCode { rowId desil } } } }',
      variables: () => ({ nik: nik() }),
      answered: (d) => d?.allPeople?.nodes?.length === 1,
    },
    {
      name: 'enrolments-page',
      query: `query { allEnrolments(first: 100, orderBy: PRIMARY_KEY_ASC) { edges { node {
        programByProgramCode { code }
        personByPersonId { name householdByHouseholdIdAndVillageCode { desil peopleByHouseholdIdAndVillageCode { nodes { name } } } } } } } }`,
      variables: () => ({}),
      answered: (d) => d?.allEnrolments?.edges?.length === 100,
    },
    {
      name: 'search',
      query: 'query($q: String!) { searchPersons(q: $q, lim: 10) { nodes { rowId name birthDate } } }',
      variables: () => ({ q: name() }),
      answered: (d) => d?.searchPersons?.nodes?.length > 0,
    },
  ];
}

interface Result {
  server: string;
  operation: string;
  concurrency: number;
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function measure(url: string, headers: Record<string, string>, op: Operation, connections: number, seconds: number) {
  const latencies: number[] = [];
  const instance = autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    connections,
    duration: seconds,
    requests: [{ setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ query: op.query, variables: op.variables() }) }) }],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    requests: result.requests.total,
    rps: result.requests.total / (result.duration || seconds),
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

async function check(url: string, headers: Record<string, string>, op: Operation) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: op.query, variables: op.variables() }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: unknown };
  if (body.errors || !op.answered(body.data)) {
    throw new Error(`${url} ${op.name}: no answer: ${JSON.stringify(body).slice(0, 400)}`);
  }
}

async function waitFor(url: string, child: ChildProcess, label: string) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode != null) throw new Error(`${label} exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${label} did not start`);
}

async function stop(child: ChildProcess) {
  if (child.exitCode != null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
  if (child.exitCode == null) child.kill('SIGKILL');
}

async function runServer(label: string, child: ChildProcess, url: string, headers: Record<string, string>, ops: Operation[], results: Result[]) {
  try {
    await waitFor(url, child, label);
    for (const op of ops) await check(url, headers, op);
    for (const op of ops) {
      for (const c of CONCURRENCY) {
        await measure(url, headers, op, c, WARMUP_SECONDS);
        const m = await measure(url, headers, op, c, SECONDS);
        results.push({ server: label, operation: op.name, concurrency: c, ...m });
        process.stdout.write(`${label.padEnd(13)} ${op.name.padEnd(16)} c=${String(c).padEnd(3)} ${m.rps.toFixed(0).padStart(6)} req/s  p50 ${m.p50} ms  p95 ${m.p95} ms  p99 ${m.p99} ms  errors ${m.errors}\n`);
      }
    }
  } finally {
    await stop(child);
  }
}

async function main() {
  if (!DATABASE_URL) throw new Error('set DATABASE_URL to the benchmark database filled by bench/fill.sql.ts');
  const admin = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  const [{ persons }] = await admin<{ persons: number }[]>`select count(*)::int as persons from persons`;
  // 500 NIKs of persons in the MANAGER's scope (province 35), spread over the table.
  const niks = (await admin<{ nik: string }[]>`
    select nik from persons where nik_valid and regency_code like '35.%' and abs(hashtext(id)) % 1000 = 7 order by id limit 500`).map((r) => r.nik);
  const skipPgl = process.env.BENCH_SKIP_POSTGRAPHILE === '1';
  if (!skipPgl) await admin.unsafe(readFileSync('bench/postgraphile/bench.sql', 'utf8'));
  await admin.end();
  process.stdout.write(`database: ${persons} persons; ${SECONDS} s per run (after ${WARMUP_SECONDS} s warm-up); Node ${process.version}\n`);

  const results: Result[] = [];
  const token = await signToken({ sub: 'bench-manager', role: 'MANAGER', regions: ['35'], programs: [], ttl: '4h' }, JWT_SECRET);
  const padu = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: String(PADU_PORT), NODE_ENV: 'production', JWT_SECRET, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const only = process.env.BENCH_OPERATIONS?.split(',');
  const selected = (ops: Operation[]) => (only ? ops.filter((o) => only.includes(o.name)) : ops);
  await runServer('padu', padu, `http://127.0.0.1:${PADU_PORT}/graphql`, { authorization: `Bearer ${token}` }, selected(paduOperations(niks)), results);

  if (process.env.BENCH_GUARDS === 'compare') {
    const bare = spawn(process.execPath, ['--import', 'tsx', 'bench/unguarded-server.ts'], {
      env: { ...process.env, PORT: String(PADU_PORT + 2), JWT_SECRET, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    await runServer('padu-unguarded', bare, `http://127.0.0.1:${PADU_PORT + 2}/graphql`, { authorization: `Bearer ${token}` }, selected(paduOperations(niks)), results);
    process.stdout.write('\n| operation | concurrency | guarded req/s | unguarded req/s | guarded / unguarded | guarded p95 ms | unguarded p95 ms |\n|---|---|---|---|---|---|---|\n');
    for (const r of results.filter((x) => x.server === 'padu')) {
      const u = results.find((x) => x.server === 'padu-unguarded' && x.operation === r.operation && x.concurrency === r.concurrency);
      if (u) process.stdout.write(`| ${r.operation} | ${r.concurrency} | ${r.rps.toFixed(0)} | ${u.rps.toFixed(0)} | ${(r.rps / u.rps).toFixed(2)} | ${r.p95} | ${u.p95} |\n`);
    }
  }

  if (!skipPgl) {
    const pgl = spawn(process.execPath, ['--import', './node20-shim.mjs', 'server.mjs'], {
      cwd: 'bench/postgraphile',
      env: { ...process.env, PORT: String(PGL_PORT), GRAPHILE_ENV: 'production' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    await runServer('postgraphile', pgl, `http://127.0.0.1:${PGL_PORT}/graphql`, {}, selected(postgraphileOperations(niks)), results);
  }

  process.stdout.write('\n| operation | concurrency | Padu req/s | Padu p50/p95/p99 ms | PostGraphile req/s | PostGraphile p50/p95/p99 ms | Padu / PostGraphile |\n|---|---|---|---|---|---|---|\n');
  for (const r of results.filter((x) => x.server === 'padu')) {
    const o = results.find((x) => x.server === 'postgraphile' && x.operation === r.operation && x.concurrency === r.concurrency);
    const cell = (x?: Result) => (x ? `${x.p50} / ${x.p95} / ${x.p99}` : 'n/a');
    process.stdout.write(`| ${r.operation} | ${r.concurrency} | ${r.rps.toFixed(0)} | ${cell(r)} | ${o ? o.rps.toFixed(0) : 'n/a'} | ${cell(o)} | ${o ? (r.rps / o.rps).toFixed(2) : 'n/a'} |\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`bench:api: ${(error as Error).message}\n`);
  process.exit(1);
});
