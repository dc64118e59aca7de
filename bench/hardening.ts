/**
 * Hardening benchmark (issue 14): does the worst request the limits allow leave the server
 * answering? Padu runs as a child process (NODE_ENV=production) on DATABASE_URL; this process
 * sends the heaviest requests that pass the cost limit (and the amplification query that must
 * not), one kind at a time, each ROUNDS times, while it polls GET /healthz every 5 ms. Printed
 * per request: its latency and HTTP status, and the /healthz latency (p50, p99, max) while it
 * ran: the event-loop blocking the request caused.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/padu_bench_x npm run bench:hardening
 *   (a database filled by bench:fill; BENCH_ROUNDS=3; BENCH_PARALLEL=1 sends that many copies at once)
 *
 * Numbers, not pass/fail.
 */
import { spawn } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { signToken } from '../src/auth/tokens.js';

const DATABASE_URL = process.env.DATABASE_URL;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PARALLEL = Number(process.env.BENCH_PARALLEL ?? 1);
const PORT = 4631;
const JWT_SECRET = 'bench-secret-0123456789-0123456789-abcdef';
const base = `http://127.0.0.1:${PORT}`;

const persons = (n: number, first: number, node: string) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: persons(first: ${first}, filter: { regionCode: "35.09" }) { edges { node { ${node} } } }`).join(' ')} }`;

const REQUESTS: Array<{ name: string; query: string; variables?: Record<string, unknown> }> = [
  {
    name: 'amplification, 30 aliases, first: $n = 500 (refused)',
    query: `query($n: Int) { ${Array.from({ length: 30 }, (_, i) => `a${i}: persons(first: $n) { edges { node { id household { members { id household { members { id household { members { id } } } } } } } } }`).join(' ')} }`,
    variables: { n: 500 },
  },
  {
    name: 'persons(first: 500) id verification { status issues nameSimilarity }',
    query: persons(1, 500, 'id verification { status issues nameSimilarity }'),
  },
  {
    name: '3 aliases x persons(first: 500) with 10 fields and verification (cost 19,506)',
    query: persons(3, 500, 'id name nik kkNumber sex birthDate relationship presence age ppks verification { status }'),
  },
  {
    name: '15 aliases x persons(first: 50) { household { members { id name } } } (cost 18,780)',
    query: persons(15, 50, 'id household { id members { id name } }'),
  },
  {
    name: 'enrolments(first: 500) with person { household { members { name } } } and verification',
    query: `{ enrolments(first: 500, filter: { regionCode: "35.09" }) { totalCount edges { node { id name nik status program { code } region { code name }
      verification { status issues nameSimilarity } person { id name household { id desil members { name } } } } } } }`,
  },
  {
    name: 'every village of a province with 3 levels of parents (refused at 100,000 values)',
    query: '{ regions(parentCode: "35", level: VILLAGE) { code name parent { code name parent { code name parent { code name } } } } }',
  },
  {
    name: 'every village of a province with its district (~50,000 values)',
    query: '{ regions(parentCode: "35", level: VILLAGE) { code name level parent { code name } } }',
  },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : 0;
};

async function waitUntilUp() {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error('Padu did not start');
}

async function main() {
  if (!DATABASE_URL) throw new Error('set DATABASE_URL to a database filled by bench:fill');
  const token = await signToken({ sub: 'bench-hardening', role: 'ADMIN', regions: ['*'], ttl: '4h' }, JWT_SECRET);
  const padu = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: String(PORT), NODE_ENV: 'production', JWT_SECRET, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  try {
    await waitUntilUp();
    process.stdout.write(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores; ${ROUNDS} rounds, ${PARALLEL} at once\n\n`);
    process.stdout.write('| request | status | request ms (median) | /healthz p50 ms | /healthz p99 ms | /healthz max ms |\n|---|---|---|---|---|---|\n');
    for (const request of REQUESTS) {
      const health: number[] = [];
      const durations: number[] = [];
      const statuses = new Set<number>();
      for (let round = 0; round < ROUNDS; round++) {
        let running = true;
        const poller = (async () => {
          while (running) {
            const started = performance.now();
            await fetch(`${base}/healthz`).then((r) => r.arrayBuffer());
            health.push(performance.now() - started);
            await sleep(5);
          }
        })();
        await sleep(50);
        const started = performance.now();
        await Promise.all(Array.from({ length: PARALLEL }, async () => {
          const response = await fetch(`${base}/graphql`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ query: request.query, variables: request.variables ?? {} }),
          });
          await response.arrayBuffer();
          statuses.add(response.status);
        }));
        durations.push(performance.now() - started);
        running = false;
        await poller;
      }
      const f = (n: number) => n.toFixed(1);
      process.stdout.write(`| ${request.name} | ${[...statuses].join(',')} | ${f(percentile(durations, 50))} | ${f(percentile(health, 50))} | ${f(percentile(health, 99))} | ${f(Math.max(...health))} |\n`);
    }
  } finally {
    padu.kill('SIGTERM');
  }
}

main().catch((error) => {
  process.stderr.write(`bench:hardening: ${(error as Error).message}\n`);
  process.exit(1);
});
