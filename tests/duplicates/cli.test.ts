import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeNik } from '../../src/lib/nik.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addEnrolments, VILLAGES } from '../helpers/fixtures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `npm run dedup` in its own node process (tsx as a loader). */
function run(args: string[], env: Record<string, string | undefined> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/dedup.ts', ...args], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: undefined, PADU_DATA_DIR: 'memory://', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

describe('npm run dedup: refusals before any database work (exit 1, one line)', () => {
  it('refuses unknown arguments and a flag without its value', async () => {
    const unknown = await run(['--programme', 'PKH']);
    expect(unknown).toMatchObject({ code: 1, stdout: '', stderr: 'padu: unknown argument "--programme"; usage: npm run dedup -- [--program CODE] [--region CODE] [--full]\n' });
    const missing = await run(['--region']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('padu: --region needs a value; usage: npm run dedup -- [--program CODE] [--region CODE] [--full]\n');
  });
});

const url = process.env.DATABASE_URL;

// The CLI opens the database by itself: these need a server both processes reach (PostgreSQL).
describe.skipIf(!url)('npm run dedup against PostgreSQL', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase();
    const nik = composeNik('35.09.01', '1966-10-10', 'F', 7);
    await addEnrolments(db.database, [
      { id: 'C1', programCode: 'PKH', villageCode: VILLAGES.padomasan, nik },
      { id: 'C2', programCode: 'PKH', villageCode: VILLAGES.keting, nik },
    ]);
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it('checks the program and the region against the database', async () => {
    const program = await run(['--program', 'NOPE'], { DATABASE_URL: db.url });
    expect(program).toMatchObject({ code: 1, stdout: '', stderr: 'padu: program must be the code of a known program, got "NOPE"\n' });
    const region = await run(['--region', '35.99'], { DATABASE_URL: db.url });
    expect(region).toMatchObject({ code: 1, stderr: 'padu: regionCode must be the code of an existing region, got "35.99"\n' });
  });

  it('prints candidates and new candidates per kind and the time; a second run finds nothing new', async () => {
    const first = await run(['--program', 'PKH', '--region', '35.09'], { DATABASE_URL: db.url });
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^dedup \(program PKH, region 35\.09\): full scan, 2 enrolments compared\n/);
    expect(first.stdout).toMatch(/ {2}SAME_NIK +1 candidates +1 new\n/);
    expect(first.stdout).toMatch(/ {2}total +1 candidates +1 new in [0-9.]+ s\n$/);
    const second = await run(['--program', 'PKH', '--region', '35.09'], { DATABASE_URL: db.url });
    expect(second.stdout).toMatch(/incremental scan/);
    expect(second.stdout).toMatch(/ {2}total +1 candidates +0 new in/);
  });
});
