/**
 * Import benchmark: `DATABASE_URL=postgres://… npm run bench:import -- [--households 250000] [--reset] [--reuse]`
 * or, on the embedded database: `npm run bench:import -- --pglite [--households 25000]`.
 *
 * Stream-generates synthetic CSV files (bench/generate.ts) under bench/data/: 250,000
 * households / ~1,000,000 persons with their enrolments, civil-registry rows and referrals,
 * and a separate file of 1,000,000 enrolments over the same persons (--enrolments);
 * then imports each kind with the real CLI (`src/cli/import.ts`) as a child process under
 * /usr/bin/time, so the peak memory reported is the import process's own maximum RSS.
 * Finally re-imports the persons file (nothing changes: the idempotent path).
 *
 * --reset empties the registry tables first (refused unless the database name ends in _bench).
 * --reuse keeps existing files in bench/data/ instead of generating them again.
 * --pglite imports programs, households and persons (twice) into a fresh embedded database in a
 * temporary folder instead (files in bench/data-pglite/).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { BENCH_KINDS, generateFiles, generateLargeEnrolments, type BenchKind } from './generate.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Issue 13's targets on a 2-core machine (seconds), and the memory bound of every import. */
const TARGET_SECONDS: Record<string, number> = {
  households: 5, persons: 20, 'enrolments (1M)': 20, 'civil-registry': 15, 'persons (again)': 10, 'persons (PGlite)': 15,
};
const TARGET_PEAK_MB = 300;

interface Run {
  kind: string;
  /** How the CLI loaded the file (PADU_IMPORT_MODE=auto chooses; see the README's "Bulk loading"). */
  mode: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakMb: number;
  /** User + system CPU seconds of the import process (the parser's share; the server's is not in it). */
  cpuSeconds: number;
  /**
   * CPU seconds of the PostgreSQL backends serving the import (sampled from /proc while it runs;
   * only when the server runs on this machine): with cpuSeconds, what the import costs whatever
   * else the machine is doing. Null when /proc of the server is not readable.
   */
  serverCpuSeconds: number | null;
  exit: number;
  summary: string;
}

/** CPU seconds (utime + stime) of a process from /proc, or null. */
function procCpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // clock ticks (USER_HZ 100)
  } catch {
    return null;
  }
}

/** Samples the CPU time of the client backends of this database until stopped; returns their sum. */
function sampleServerCpu(url: string | undefined): { stop(): Promise<number | null> } {
  if (!url) return { stop: async () => null };
  const client = postgres(url, { max: 1, onnotice: () => {} });
  const seen = new Map<number, number>();
  let readable = false;
  let running = true;
  const loop = (async () => {
    while (running) {
      const pids = await client<{ pid: number }[]>`
        select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()`.catch(() => []);
      for (const { pid } of pids) {
        const cpu = procCpuSeconds(pid);
        if (cpu !== null) {
          readable = true;
          seen.set(pid, Math.max(seen.get(pid) ?? 0, cpu));
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await client.end({ timeout: 1 });
      return readable ? [...seen.values()].reduce((a, b) => a + b, 0) : null;
    },
  };
}

/** Run the import CLI under /usr/bin/time; wall time, max RSS and CPU of the import process and its server backends. */
async function importFile(kind: string, path: string, env: Record<string, string | undefined>): Promise<Run> {
  const server = sampleServerCpu(env.DATABASE_URL);
  let serverCpu: number | null = null;
  try {
    const run = await importProcess(kind, path, env);
    run.serverCpuSeconds = serverCpu = await server.stop();
    return run;
  } finally {
    if (serverCpu === null) await server.stop().catch(() => null);
  }
}

function importProcess(kind: string, path: string, env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // The process `npm run import` starts: bin/padu.mjs running the compiled dist/ (built by main()), 128 MB old space.
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB %M CPU_S %U %S', process.execPath, '--max-old-space-size=128', 'bin/padu.mjs', 'src/cli/import', kind, path], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderrTail = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderrTail = (stderrTail + d).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const peak = /PEAK_RSS_KB (\d+) CPU_S ([\d.]+) ([\d.]+)/.exec(stderrTail);
      const received = /(\d+) rows received/.exec(stdout);
      if (!peak || !received) return reject(new Error(`import ${kind} failed (exit ${code}): ${stdout}${stderrTail}`));
      const rows = Number(received[1]);
      const mode = /\((bulk|incremental) load\)/.exec(stdout)?.[1] ?? '?';
      resolve({ kind, mode, rows, seconds, rowsPerSecond: Math.round(rows / seconds), peakMb: Math.round(Number(peak[1]) / 1024), cpuSeconds: Number(peak[2]) + Number(peak[3]), serverCpuSeconds: null, exit: code ?? -1, summary: stdout.trim() });
    });
  });
}

const line = (run: Run) =>
  `${run.kind.padEnd(17)} ${run.mode.padEnd(11)} ${String(run.rows).padStart(9)} rows ${run.seconds.toFixed(1).padStart(7)} s ${String(run.rowsPerSecond).padStart(8)} rows/s  peak RSS ${run.peakMb} MB  CPU ${run.cpuSeconds.toFixed(1)} s + server ${run.serverCpuSeconds?.toFixed(1) ?? '?'} s  exit ${run.exit}\n`;

async function main() {
  const { values } = parseArgs({
    options: {
      households: { type: 'string' },
      enrolments: { type: 'string', default: '1000000' },
      reset: { type: 'boolean', default: false },
      reuse: { type: 'boolean', default: false },
      pglite: { type: 'boolean', default: false },
    },
  });
  const pglite = values.pglite;
  const url = process.env.DATABASE_URL;
  if (!url && !pglite) {
    process.stderr.write('bench:import needs DATABASE_URL=postgres://… (a PostgreSQL database it may fill), or --pglite; refusing to run without it\n');
    process.exit(1);
  }
  const households = Number(values.households ?? (pglite ? 25_000 : 250_000));
  // Measure what `npm run import` runs: the compiled JavaScript, not tsx compiling at start-up.
  await new Promise<void>((resolve, reject) => {
    const build = spawn(process.execPath, ['bin/build.mjs'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    build.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`npm run build failed (exit ${code})`))));
  });
  const data = fileURLToPath(new URL(pglite ? './data-pglite/' : './data/', import.meta.url));
  const dataDir = pglite ? mkdtempSync(join(tmpdir(), 'padu-bench-import-')) : undefined;
  const env = pglite ? { DATABASE_URL: undefined, PADU_DATA_DIR: dataDir } : { DATABASE_URL: url };
  if (!pglite) {
    const database = await Database.openPostgres(url!, { max: 2 });
    try {
      await migrate(database);
      if (values.reset) {
        const [{ name }] = await database.execute<{ name: string }>(sql`select current_database() as name`);
        if (!name.endsWith('_bench')) throw new Error(`--reset empties tables: refused for database ${name} (its name must end in _bench)`);
        await database.execute(sql`truncate households, persons, enrolments, civil_registry, referrals, referral_events,
          duplicate_candidates, duplicate_candidate_enrolments, import_batches, import_errors cascade`);
        await database.execute(sql`delete from programs where not built_in`);
      }
    } finally {
      await database.close();
    }
  }

  let files: Record<BenchKind, { path: string; rows: number }>;
  let large: { path: string; rows: number } | undefined;
  if (values.reuse && existsSync(`${data}persons.csv`)) {
    files = Object.fromEntries(BENCH_KINDS.map((k) => [k, { path: `${data}${k}.csv`, rows: -1 }])) as typeof files;
    if (existsSync(`${data}enrolments-1m.csv`)) large = { path: `${data}enrolments-1m.csv`, rows: -1 };
    process.stdout.write(`reusing the files in ${data}\n`);
  } else {
    const started = performance.now();
    files = await generateFiles(data, { households });
    const counts = BENCH_KINDS.map((k) => `${files[k].rows} ${k}`).join(', ');
    process.stdout.write(`generated ${counts} in ${((performance.now() - started) / 1000).toFixed(1)} s into ${data}\n`);
  }
  if (!pglite && !large) {
    const started = performance.now();
    large = await generateLargeEnrolments(data, Number(values.enrolments));
    process.stdout.write(`generated ${large.rows} enrolments over the same persons in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }

  const runs: Run[] = [];
  const run = async (kind: BenchKind, path: string, label: string = kind) => {
    const result = await importFile(kind, path, env);
    result.kind = label;
    runs.push(result);
    process.stdout.write(line(result));
  };
  try {
    if (pglite) {
      await run('programs', files.programs.path);
      await run('households', files.households.path, 'households (PGlite)');
      await run('persons', files.persons.path, 'persons (PGlite)');
      await run('persons', files.persons.path, 'again (PGlite)');
    } else {
      for (const kind of BENCH_KINDS) await run(kind, files[kind].path);
      await run('enrolments', large!.path, 'enrolments (1M)');
      await run('persons', files.persons.path, 'persons (again)');
    }
  } finally {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }

  process.stdout.write('\nrows/s per kind (target time where issue 13 sets one):\n');
  for (const r of runs) {
    const target = TARGET_SECONDS[r.kind];
    const verdict = target === undefined ? '' : `  target < ${target} s: ${r.seconds < target ? 'met' : 'MISSED'}`;
    process.stdout.write(`  ${r.kind.padEnd(17)} ${r.mode.padEnd(11)} ${String(r.rowsPerSecond).padStart(8)} rows/s${verdict}\n`);
  }
  const peak = Math.max(...runs.map((r) => r.peakMb));
  process.stdout.write(
    (pglite
      ? `peak RSS of any import ${peak} MB (the ${TARGET_PEAK_MB} MB target is PostgreSQL's: here most of it is PGlite's WebAssembly heap, and the first run initialises the data directory)\n`
      : `peak RSS of any import ${peak} MB (target < ${TARGET_PEAK_MB} MB)\n`) +
      `times are wall clock of the whole CLI process (start-up, migration check, import, identity resolution);\n` +
      `CPU: the import process's own (parsing, validation, COPY encoding) + its server backends' (sampled from /proc). Load: ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`,
  );
  writeFileSync(`${data}results.json`, `${JSON.stringify({ households, pglite, at: new Date().toISOString(), runs }, null, 2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench:import: ${(error as Error).message}\n`);
  process.exit(1);
});
