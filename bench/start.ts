/**
 * `npm run bench:start`: cold start of `npm start` on the embedded database, as a newcomer
 * meets it. Two figures per run: until `me` answers for a printed token, and until /readyz is
 * 200 (demo data loaded). First on an empty data directory, then on the existing one.
 * Usage: npm run bench:start [-- RUNS]   (default 3 runs of each)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 3);
const port = 4790; // bench only: run one benchmark at a time

async function startOnce(dataDir: string): Promise<{ me: number; ready: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, PADU_DATA_DIR: dataDir, PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (c) => (out += c));
  const token = await new Promise<string>((resolve) => {
    const poll = () => {
      const m = /ADMIN +regions=\*\n +(\S+)/.exec(out);
      if (m) resolve(m[1]);
      else setTimeout(poll, 20);
    };
    poll();
  });
  const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: '{"query":"{ me { id } }"}',
  });
  if (!response.ok) throw new Error(`me failed: ${response.status}`);
  const me = performance.now() - started;
  for (;;) {
    if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const ready = performance.now() - started;
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  return { me, ready };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: Record<string, { me: number[]; ready: number[] }> = { empty: { me: [], ready: [] }, existing: { me: [], ready: [] } };
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'padu-bench-start-'));
  try {
    for (const kind of ['empty', 'existing'] as const) {
      const r = await startOnce(join(dir, 'data'));
      rows[kind].me.push(r.me);
      rows[kind].ready.push(r.ready);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`npm start cold start, embedded database, ${runs} runs (median [min-max] ms)`);
for (const [kind, r] of Object.entries(rows)) {
  const f = (xs: number[]) => `${Math.round(median(xs))} [${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))}]`;
  console.log(`  ${kind.padEnd(9)} data dir: me answered ${f(r.me)}, ready (demo data loaded) ${f(r.ready)}`);
}
