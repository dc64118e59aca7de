/**
 * Import benchmark: `DATABASE_URL=postgres://… npm run bench:import -- [--households 250000] [--reset] [--reuse]`
 *
 * Stream-generates synthetic CSV files (bench/generate.ts) under bench/data/: 250,000
 * households / ~1,000,000 persons with their enrolments, civil-registry rows and referrals;
 * then imports each kind with the real CLI (`src/cli/import.ts`) as a child process under
 * /usr/bin/time, so the peak memory reported is the import process's own maximum RSS.
 * Finally re-imports the persons file (nothing changes: the idempotent path).
 *
 * --reset empties the registry tables first (refused unless the database name ends in _bench).
 * --reuse keeps existing files in bench/data/ instead of generating them again.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { BENCH_KINDS, generateFiles, type BenchKind } from './generate.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DATA = fileURLToPath(new URL('./data/', import.meta.url));
const TARGET = { personsSeconds: 60, peakMb: 300 };

interface Run {
  kind: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakMb: number;
  exit: number;
  summary: string;
}

/** Run the import CLI under /usr/bin/time; wall time and max RSS of the import process. */
function importFile(kind: string, path: string, url: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // The same process `npm run import` starts (tsx as a loader in one node process, 128 MB old space).
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_RSS_KB %M', process.execPath, '--max-old-space-size=128', '--import', 'tsx', 'src/cli/import.ts', kind, path], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderrTail = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderrTail = (stderrTail + d).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - started) / 1000;
      const peak = /PEAK_RSS_KB (\d+)/.exec(stderrTail);
      const received = /(\d+) rows received/.exec(stdout);
      if (!peak || !received) return reject(new Error(`import ${kind} failed (exit ${code}): ${stdout}${stderrTail}`));
      const rows = Number(received[1]);
      resolve({ kind, rows, seconds, rowsPerSecond: Math.round(rows / seconds), peakMb: Math.round(Number(peak[1]) / 1024), exit: code ?? -1, summary: stdout.trim() });
    });
  });
}

async function main() {
  const { values } = parseArgs({
    options: { households: { type: 'string', default: '250000' }, reset: { type: 'boolean', default: false }, reuse: { type: 'boolean', default: false } },
  });
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('bench:import needs DATABASE_URL=postgres://… (a PostgreSQL database it may fill); refusing to run without it\n');
    process.exit(1);
  }
  const households = Number(values.households);
  const database = await Database.openPostgres(url, { max: 2 });
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

  let files: Record<BenchKind, { path: string; rows: number }>;
  if (values.reuse && existsSync(`${DATA}persons.csv`)) {
    files = Object.fromEntries(BENCH_KINDS.map((k) => [k, { path: `${DATA}${k}.csv`, rows: -1 }])) as typeof files;
    process.stdout.write(`reusing the files in ${DATA}\n`);
  } else {
    const started = performance.now();
    files = await generateFiles(DATA, { households });
    const counts = BENCH_KINDS.map((k) => `${files[k].rows} ${k}`).join(', ');
    process.stdout.write(`generated ${counts} in ${((performance.now() - started) / 1000).toFixed(1)} s into ${DATA}\n`);
  }

  const runs: Run[] = [];
  for (const kind of BENCH_KINDS) {
    const run = await importFile(kind, files[kind].path, url);
    runs.push(run);
    process.stdout.write(`${run.kind.padEnd(15)} ${String(run.rows).padStart(9)} rows ${run.seconds.toFixed(1).padStart(7)} s ${String(run.rowsPerSecond).padStart(8)} rows/s  peak RSS ${run.peakMb} MB  exit ${run.exit}\n`);
  }
  const again = await importFile('persons', files.persons.path, url);
  again.kind = 'persons (again)';
  runs.push(again);
  process.stdout.write(`${again.kind.padEnd(15)} ${String(again.rows).padStart(9)} rows ${again.seconds.toFixed(1).padStart(7)} s ${String(again.rowsPerSecond).padStart(8)} rows/s  peak RSS ${again.peakMb} MB  exit ${again.exit}\n`);

  const persons = runs.find((r) => r.kind === 'persons')!;
  const peak = Math.max(...runs.map((r) => r.peakMb));
  process.stdout.write(
    `\npersons: ${persons.seconds.toFixed(1)} s (target < ${TARGET.personsSeconds} s); peak RSS of any import ${peak} MB (target < ${TARGET.peakMb} MB)\n` +
      `times are wall clock of the whole CLI process (start-up, migration check, import, identity resolution)\n`,
  );
  writeFileSync(`${DATA}results.json`, `${JSON.stringify({ households, at: new Date().toISOString(), runs }, null, 2)}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench:import: ${(error as Error).message}\n`);
  process.exit(1);
});
