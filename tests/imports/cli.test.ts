import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportsService } from '../../src/modules/imports/imports.service.js';
import { generateFiles } from '../../bench/generate.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { ADMIN, checksum, csv, rows, V } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'padu-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The CLI as `npm run import` runs it, in its own node process (tsx as a loader, no wrapper process). */
function start(args: string[], env: Record<string, string | undefined> = {}): { child: ChildProcess; done: Promise<Exit> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/import.ts', ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: undefined, PADU_DATA_DIR: join(dir, 'pglite-unused'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<Exit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}
const run = (args: string[], env?: Record<string, string | undefined>) => start(args, env).done;

const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('npm run import: refusals before any database work (exit 1)', () => {
  it('prints the usage without arguments', async () => {
    const result = await run([]);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toBe('padu: usage: npm run import -- <kind> <file.csv>   (kind: programs, households, persons, enrolments, civil-registry, referrals)\n');
  });

  it('refuses an unknown kind and an unreadable file', async () => {
    const unknown = await run(['people', file('p.csv', 'x\n')]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^padu: unknown kind "people"; usage: /);
    const missing = await run(['persons', join(dir, 'missing.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^padu: cannot read .*missing\.csv: ENOENT/);
  });
});

const url = process.env.DATABASE_URL;
/**
 * pg_locks lists every database's locks, and the test databases are clones of one template, so
 * their tables share OIDs: a lock on "persons" must be looked for in this database only.
 */
const THIS_DATABASE = sql`database = (select oid from pg_database where datname = current_database())`;

// The CLI opens the database by itself: these need a server both processes reach (PostgreSQL).
describe.skipIf(!url)('npm run import against PostgreSQL', () => {
  let a: TestDatabase;
  let b: TestDatabase;
  beforeAll(async () => {
    a = await openTestDatabase();
    b = await openTestDatabase();
  });
  afterAll(async () => {
    await a?.dispose();
    await b?.dispose();
  });

  it('exits 0 when every row is accepted, with a summary and no progress bar off a terminal', async () => {
    const result = await run(['households', file('hh.csv', csv('households', `HH-CLI-1,${V.jember1},Jl. Melati,001,002,2,2025-01-10`))], { DATABASE_URL: a.url });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^households .*hh\.csv: batch [0-9a-f-]{36} FINISHED: 1 rows received, 1 accepted \(1 new, 0 changed\), 0 rejected in \d+\.\d s \(incremental load\)\n$/);
  });

  it('exits 2 when rows are rejected, printing each as row N: field: message', async () => {
    const result = await run(['households', file('hh2.csv', csv('households',
      `HH-CLI-2,${V.jember1},"Jl. Melati\nNo. 2",001,002,2,2025-01-10`,
      `HH-CLI-3,${V.jember1},x,001,002,0,2025-01-10`,
      `HH-CLI-4,${V.jember1},x,001`))], { DATABASE_URL: a.url });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('row 2 (line 3): desil: must be a desil 1..10 (or empty when not ranked), got "0"\nrow 3 (line 4): has 4 cells, the header has 7\n');
    expect(result.stdout).toContain('3 rows received, 1 accepted (1 new, 0 changed), 2 rejected');
  });

  it('exits 1 and writes nothing when a header column is missing', async () => {
    const before = await rows(a.database, sql`select (select count(*) from import_batches)::int as b, (select count(*) from households)::int as h`);
    const result = await run(['households', file('hh3.csv', `household_id,village_code,address,rt,rw,desil\n${'HH-CLI-9,35.09.01.2001,x,1,1,1\n'.repeat(12_000)}`)], { DATABASE_URL: a.url });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^padu: .*hh3\.csv: the header lacks column collected_on; .*; nothing imported\n$/);
    expect(await rows(a.database, sql`select (select count(*) from import_batches)::int as b, (select count(*) from households)::int as h`)).toEqual(before);
  });

  it('exits 1 when the database is unreachable', async () => {
    const result = await run(['households', join(dir, 'hh.csv')], { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nothing' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^padu: cannot reach PostgreSQL at postgres:\/\/postgres@127\.0\.0\.1:1\/nothing/);
  });

  it('converges after being killed mid-way: the re-run leaves what one clean import leaves', async () => {
    // Two fresh databases: `a` is killed and re-run, `b` gets one clean import.
    await a.dispose();
    await b.dispose();
    [a, b] = [await openTestDatabase(), await openTestDatabase()];
    const files = await generateFiles(join(dir, 'gen'), { households: 8_000, regencies: ['35.09', '35.76', '13.72'], seed: 7 });
    const service = (t: TestDatabase) => new ImportsService(t.database);
    for (const t of [a, b]) {
      for (const kind of ['households', 'enrolments'] as const) {
        await service(t).importCsv(kind, createReadStream(files[kind].path), ADMIN);
      }
    }
    // Database a: the CLI is SIGKILLed once at least one chunk is committed, then run again.
    // Segments of 2,500 rows, so that the kill falls between committed segments of this small file.
    const killed = start(['persons', files.persons.path], { DATABASE_URL: a.url, PADU_IMPORT_CHUNK_ROWS: '2500' });
    let accepted = 0;
    for (let i = 0; i < 2000 && accepted < 5000; i++) {
      await new Promise((r) => setTimeout(r, 20));
      [{ accepted }] = await rows<{ accepted: number }>(a.database, sql`select coalesce(max(accepted), 0)::int as accepted from import_batches where kind = 'PERSONS'`);
    }
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    const [partial] = await rows<{ persons: number; status: string }>(a.database, sql`
      select (select count(*)::int from persons) as persons, (select status from import_batches where kind = 'PERSONS') as status`);
    expect(partial.status).toBe('RUNNING');
    expect(partial.persons).toBeGreaterThanOrEqual(5000);
    expect(partial.persons).toBeLessThan(files.persons.rows);

    const rerun = await run(['persons', files.persons.path], { DATABASE_URL: a.url });
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`${files.persons.rows} rows received, ${files.persons.rows} accepted (${files.persons.rows - partial.persons} new, 0 changed)`);

    // Database b: one clean import of the same file.
    const clean = await service(b).importCsv('persons', createReadStream(files.persons.path), ADMIN);
    expect(clean).toMatchObject({ received: files.persons.rows, accepted: files.persons.rows, rejected: 0 });

    for (const [table, key] of [['persons', 'id'], ['enrolments', 'id'], ['households', 'id']] as const) {
      const [left, right] = [await checksum(a.database, table, key), await checksum(b.database, table, key)];
      expect(left, table).toEqual(right);
    }
    expect((await checksum(a.database, 'persons', 'id')).count).toBe(files.persons.rows);
    const [linked] = await rows<{ n: number }>(a.database, sql`select count(*)::int as n from enrolments where person_id is not null`);
    expect(linked.n).toBeGreaterThan(1000);
    // The killed batch stays visible as RUNNING; the re-run finished.
    expect(await rows(a.database, sql`select status from import_batches where kind = 'PERSONS' order by started_at`)).toEqual([{ status: 'RUNNING' }, { status: 'FINISHED' }]);
  }, 240_000);

  it('a SIGKILLed bulk import leaves nothing: the indexes, foreign keys and rows are as before, and the re-run converges', async () => {
    await a.dispose();
    await b.dispose();
    [a, b] = [await openTestDatabase(), await openTestDatabase()];
    const files = await generateFiles(join(dir, 'gen-bulk'), { households: 8_000, regencies: ['35.09', '35.76', '13.72'], seed: 8 });
    for (const t of [a, b]) await new ImportsService(t.database).importCsv('households', createReadStream(files.households.path), ADMIN);
    const catalog = () => rows(a.database, sql`
      select indexname::text as name, indexdef as definition from pg_indexes where tablename = 'persons'
      union all select conname::text, pg_get_constraintdef(oid) from pg_constraint where conrelid = 'persons'::regclass
      order by 1`);
    const before = await catalog();
    // Killed while it holds the table's lock, after at least one segment was stored in its transaction.
    const killed = start(['persons', files.persons.path], { DATABASE_URL: a.url, PADU_IMPORT_MODE: 'bulk', PADU_IMPORT_CHUNK_ROWS: '2500' });
    let locked = false;
    for (let i = 0; i < 2000 && !locked; i++) {
      await new Promise((r) => setTimeout(r, 20));
      locked = (await rows(a.database, sql`
        select 1 from pg_locks where ${THIS_DATABASE} and relation = 'persons'::regclass and mode = 'AccessExclusiveLock' and granted`)).length > 0;
    }
    expect(locked).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    killed.child.kill('SIGKILL');
    expect((await killed.done).signal).toBe('SIGKILL');
    expect(killed.child.exitCode).toBeNull();
    // The server ends the killed session's transaction: wait for its lock to go.
    for (let i = 0; i < 200; i++) {
      const held = await rows(a.database, sql`select 1 from pg_locks where ${THIS_DATABASE} and relation = 'persons'::regclass and mode = 'AccessExclusiveLock'`);
      if (!held.length) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(await rows(a.database, sql`select count(*)::int as n from persons`)).toEqual([{ n: 0 }]);
    expect(await catalog()).toEqual(before);

    const rerun = await run(['persons', files.persons.path], { DATABASE_URL: a.url, PADU_IMPORT_MODE: 'bulk' });
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`persons: bulk load: persons is locked`);
    expect(rerun.stdout).toContain(`${files.persons.rows} rows received, ${files.persons.rows} accepted (${files.persons.rows} new, 0 changed)`);
    expect(rerun.stdout).toMatch(/\(bulk load\)\n$/);
    await new ImportsService(b.database).importCsv('persons', createReadStream(files.persons.path), { ...ADMIN, mode: 'incremental' });
    expect(await checksum(a.database, 'persons', 'id')).toEqual(await checksum(b.database, 'persons', 'id'));
    expect(await catalog()).toEqual(before);
  }, 240_000);

  it('refuses an unknown PADU_IMPORT_MODE before touching the database', async () => {
    const result = await run(['households', join(dir, 'hh.csv')], { DATABASE_URL: a.url, PADU_IMPORT_MODE: 'turbo' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('padu: PADU_IMPORT_MODE must be one of auto, bulk, incremental, got "turbo"\n');
  });
});
