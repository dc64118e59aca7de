import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyToken } from '../../src/auth/tokens.js';
import { BUILT_IN_PROGRAMS, unknownPrograms, unknownReferenceRegions, unknownRegions } from '../../src/cli/options.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

/**
 * Issue 15, item 5: `--ttl 2x` said "Invalid time period format" without naming the option,
 * `--regions 35.9` did not show the value, and `--regions 99.99` or `--programs XYZ` signed a
 * token for a region or program that does not exist.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'padu-cli-options-'));
const SECRET = 'cli-options-test-secret-0123456789abcdef';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The CLI as `npm run` starts it (bin/padu.mjs: compiled when built, else the sources). */
function run(name: string, args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, ['bin/padu.mjs', `src/cli/${name}`, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, PADU_DATA_DIR: join(dir, 'data'), JWT_SECRET: SECRET, ...env },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr.replace(/^padu: dist\/ is missing.*\n/, '') };
}

describe('npm run token', () => {
  it.each([
    [['--ttl', '2x'], 'padu: --ttl: "2x" is not a duration such as 30m, 12h or 7d (s, m, h or d after a whole number)'],
    [['--ttl', '0h'], 'padu: --ttl: "0h" is not a duration such as 30m, 12h or 7d (s, m, h or d after a whole number)'],
    [['--ttl', '400d'], 'padu: --ttl: "400d" is longer than a year'],
    [['--regions', '35.9'], 'padu: --regions: "35.9" is not a region code such as 35, 35.09, 35.09.01 or 35.09.01.2001 (or * for the whole country)'],
    [['--regions', '35.09,35.9'], 'padu: --regions: "35.9" is not a region code such as 35, 35.09, 35.09.01 or 35.09.01.2001 (or * for the whole country)'],
    [['--regions', "35.09'; drop table x"], 'padu: --regions: "35.09\'; drop table x" is not a region code such as 35, 35.09, 35.09.01 or 35.09.01.2001 (or * for the whole country)'],
    [['--regions', '*,35.09'], 'padu: --regions: "*" (the whole country) must stand alone, got "*,35.09"'],
    [['--regions', '99.99'], 'padu: --regions: no such region: "99.99"'],
    [['--regions', '35.09,35.99.01,35.09.01.9999'], 'padu: --regions: no such region: "35.99.01", "35.09.01.9999"'],
    [['--programs', 'pkh'], 'padu: --programs: "pkh" is not a program code such as PKH or BLT_DD'],
    [['--role', 'BOSS'], 'padu: --role: "BOSS" is not one of ADMIN, MANAGER, SUPERVISOR, FACILITATOR, PROGRAM_MANAGER, EXTERNAL_APP, ANALYST, AUDITOR'],
  ])('refuses %j naming the option and the value', (args, message) => {
    const options = { '--role': 'MANAGER', '--regions': '35.09' } as Record<string, string>;
    for (let i = 0; i < args.length; i += 2) options[args[i]] = args[i + 1];
    const result = run('token', Object.entries(options).flat());
    expect(result.stderr).toBe(`${message}\n`);
    expect(result).toMatchObject({ status: 1, stdout: '' });
  });

  it('refuses a program the database does not hold (--programs XYZ), checked in the configured database', () => {
    // PostgreSQL: the test database; embedded: a folder never created holds the built-ins only.
    const env = db.url ? { DATABASE_URL: db.url } : {};
    const result = run('token', ['--role', 'PROGRAM_MANAGER', '--regions', '35.09', '--programs', 'PKH,XYZ'], env);
    expect(result).toEqual({ status: 1, stdout: '', stderr: 'padu: --programs: no such program: "XYZ"\n' });
  });

  it('signs a token for existing codes, with the scope asked for', async () => {
    const result = run('token', ['--role', 'PROGRAM_MANAGER', '--regions', '35.09,35.76.01.1003', '--programs', 'PKH,BLT_DD', '--ttl', '30m', '--sub', 'ops']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const viewer = await verifyToken(result.stdout.trim(), SECRET);
    expect(viewer).toMatchObject({ id: 'ops', role: 'PROGRAM_MANAGER', regions: ['35.09', '35.76.01.1003'], programs: ['PKH', 'BLT_DD'] });
  });
});

describe('npm run apikey', () => {
  it('refuses a malformed --regions value before opening the database, naming it', () => {
    const result = run('apikey', ['create', '--name', 'x', '--regions', '35.9']);
    expect(result).toMatchObject({ status: 1, stdout: '' });
    expect(result.stderr).toBe('padu: --regions: "35.9" is not a region code such as 35, 35.09, 35.09.01 or 35.09.01.2001 (or * for the whole country)\n');
  });

  it.runIf(Boolean(process.env.DATABASE_URL))('refuses a region the database does not hold (--regions 99.99)', () => {
    const result = run('apikey', ['create', '--name', 'ghost', '--regions', '35.09,99.99'], { DATABASE_URL: db.url });
    expect(result).toMatchObject({ status: 1, stdout: '', stderr: 'padu: --regions: no such region: "99.99"\n' });
  });
});

describe('the code checks', () => {
  it('find unknown regions and programs in the database, in the order given', async () => {
    expect(await unknownRegions(db.database, ['35.09', '99.99', '*', '35.09.01.2001', '35.09.01.9999'])).toEqual(['99.99', '35.09.01.9999']);
    expect(await unknownPrograms(db.database, ['XYZ', 'PKH', 'BLT_DD', 'BLT-DD'])).toEqual(['XYZ', 'BLT-DD']);
  });

  it('know the built-in programs the migrations create', async () => {
    const rows = await db.database.execute<{ code: string }>(sql`select code from programs order by code`);
    expect(rows.map((r) => r.code)).toEqual([...BUILT_IN_PROGRAMS].sort());
  });

  it('read from the region reference exactly what the regions table holds', async () => {
    const sample = await db.database.execute<{ code: string }>(sql`
      select code from regions where code in ('11', '35.09', '35.09.01', '35.09.01.2001', '94.71.04.1001')
         or code = (select max(code) from regions) or code = (select min(code) from regions where level = 'VILLAGE')`);
    expect(sample.length).toBeGreaterThanOrEqual(5);
    expect(unknownReferenceRegions(sample.map((r) => r.code))).toEqual([]);
    expect(unknownReferenceRegions(['99', '35.99', '35.09.99', '35.09.01.9999', '35.09.01.200'])).toEqual(['99', '35.99', '35.09.99', '35.09.01.9999', '35.09.01.200']);
  });
});
