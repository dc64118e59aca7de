/**
 * `npm run bench:start`: cold start of `npm start` on the embedded database, as a newcomer
 * meets it. Three figures per run: until `me` answers for a printed token, until /readyz is
 * 200 (demo data loaded), and the server process's peak RSS (VmHWM, Linux). First on an empty
 * data directory, then on the existing one. Runs what `npm start` runs (bin/padu.mjs: dist/
 * when built, else the sources through tsx; `npm run build` first to measure the former).
 * Usage: npm run bench:start [-- RUNS]   (default 3 runs of each)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 3);
const port = 4790; // bench only: run one benchmark at a time

/** Peak resident set size of a live process, in MB (Linux /proc; NaN elsewhere). */
function peakRssMb(pid: number): number {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

async function startOnce(dataDir: string): Promise<{ me: number; ready: number; rss: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/padu.mjs', 'src/main'], {
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
  const rss = peakRssMb(child.pid!);
  child.kill('SIGTERM');
  await new Promise((r) => child.on('exit', r));
  return { me, ready, rss };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows: Record<string, { me: number[]; ready: number[]; rss: number[] }> = {
  empty: { me: [], ready: [], rss: [] },
  existing: { me: [], ready: [], rss: [] },
};
for (let i = 0; i < runs; i++) {
  const dir = mkdtempSync(join(tmpdir(), 'padu-bench-start-'));
  try {
    for (const kind of ['empty', 'existing'] as const) {
      const r = await startOnce(join(dir, 'data'));
      rows[kind].me.push(r.me);
      rows[kind].ready.push(r.ready);
      rows[kind].rss.push(r.rss);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`npm start cold start, embedded database, node ${process.version}, ${runs} runs (median [min-max]; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')})`);
for (const [kind, r] of Object.entries(rows)) {
  const f = (xs: number[]) => `${Math.round(median(xs))} [${Math.round(Math.min(...xs))}-${Math.round(Math.max(...xs))}]`;
  console.log(`  ${kind.padEnd(9)} data dir: me answered ${f(r.me)} ms, ready (demo data loaded) ${f(r.ready)} ms, peak RSS ${f(r.rss)} MB`);
}
