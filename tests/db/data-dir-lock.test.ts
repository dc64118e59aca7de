import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir, lockFileOf } from '../../src/db/data-dir-lock.js';

/**
 * Issue 15, item 1: a second process on the same embedded folder lost its writes. Whichever
 * process opens the folder holds its lock; the others refuse at once. (No database is opened
 * here: the lock is taken before PGlite starts, so this runs the same on both drivers.)
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'padu-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (name: string, args: string[], dataDir: string) =>
  spawnSync(process.execPath, ['--import', 'tsx', `src/cli/${name}.ts`, ...args], {
    cwd: ROOT, env: { PATH: process.env.PATH, PADU_DATA_DIR: dataDir }, encoding: 'utf8', timeout: 60_000,
  });

/** A separate process that takes the lock, says so, and waits to be killed. */
function holder(dataDir: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
    `const { lockDataDir } = await import('./src/db/data-dir-lock.ts'); lockDataDir(process.argv[1], 'holder-test'); console.log('locked'); setInterval(() => {}, 1000);`,
    dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => String(chunk).includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return { child, locked, exited };
}

describe('the embedded folder lock', () => {
  it('refuses every CLI that opens a folder another process holds, in one line naming its PID and what to do', async () => {
    const dataDir = join(dir, 'held');
    const h = holder(dataDir);
    await h.locked;
    try {
      const csv = join(dir, 'programs.csv');
      writeFileSync(csv, 'code,name,target_unit,exclusive_with\nZZ_TEST,Test,FAMILY,\n');
      for (const [name, args] of [['import', ['programs', csv]], ['seed', []], ['migrate', []], ['apikey', ['list']]] as const) {
        const started = Date.now();
        const result = cli(name, [...args], dataDir);
        expect(result.status, `${name}: ${result.stderr}`).toBe(1);
        expect(result.stdout).toBe('');
        const lines = result.stderr.trimEnd().split('\n');
        expect(lines, name).toHaveLength(1);
        expect(lines[0]).toMatch(new RegExp(`^padu: the embedded database .*held is in use by process ${h.child.pid} \\(holder-test, since `));
        expect(lines[0]).toContain('stop that process first');
        expect(lines[0]).toContain('importRecords');
        expect(lines[0]).toContain('PostgreSQL (DATABASE_URL)');
        // Refused before the database starts: no waiting, nothing written into the folder.
        expect(Date.now() - started).toBeLessThan(15_000);
      }
      expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(false);
    } finally {
      h.child.kill('SIGKILL');
      await h.exited;
    }
  });

  it('takes over the lock of a killed process (kill -9 leaves the file behind)', async () => {
    const dataDir = join(dir, 'killed');
    const h = holder(dataDir);
    await h.locked;
    h.child.kill('SIGKILL');
    await h.exited;
    expect(JSON.parse(readFileSync(lockFileOf(dataDir), 'utf8')).pid).toBe(h.child.pid);
    const release = lockDataDir(dataDir, 'test');
    expect(JSON.parse(readFileSync(lockFileOf(dataDir), 'utf8'))).toMatchObject({ pid: process.pid, command: 'test' });
    release();
    expect(existsSync(lockFileOf(dataDir))).toBe(false);
  });

  it('takes over a lock whose PID now belongs to a later process, and an unreadable lock file', () => {
    const dataDir = join(dir, 'reused');
    const file = lockFileOf(dataDir);
    // This very process, but "started" at another instant: the PID was reused (Linux /proc).
    const startTicks = existsSync(`/proc/${process.pid}/stat`) ? 1 : null;
    if (startTicks !== null) {
      writeFileSync(file, JSON.stringify({ pid: process.pid, startTicks, command: 'server', since: '2026-01-01T00:00:00.000Z' }));
      lockDataDir(dataDir, 'test')();
    }
    writeFileSync(file, '{"pi');
    lockDataDir(dataDir, 'test')();
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a second open in the same process too, and a release never removes a lock another process took', () => {
    const dataDir = join(dir, 'twice');
    const release = lockDataDir(dataDir, 'first');
    expect(() => lockDataDir(dataDir, 'second')).toThrow(DataDirLockedError);
    // Someone else's lock (as after a takeover): our release leaves it.
    const other = { pid: 1, startTicks: null, command: 'server', since: '2026-01-01T00:00:00.000Z' };
    writeFileSync(lockFileOf(dataDir), JSON.stringify(other));
    release();
    expect(JSON.parse(readFileSync(lockFileOf(dataDir), 'utf8'))).toEqual(other);
    rmSync(lockFileOf(dataDir));
  });
});
