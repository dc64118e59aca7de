import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { signToken } from '../../src/auth/tokens.js';
import { Database } from '../../src/db/client.js';
import { lockFileOf } from '../../src/db/data-dir-lock.js';

/**
 * `npm start` as a newcomer and a process manager meet it: the npm process itself, on a fresh
 * embedded folder (issue 15, items 1-3: a second process on the folder, the start-up race, the
 * signal to the PID npm start gives).
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'padu-start-'));
const dataDir = join(dir, 'data');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  const lock = existsSync(lockFileOf(dataDir)) ? JSON.parse(readFileSync(lockFileOf(dataDir), 'utf8')) : undefined;
  if (lock?.pid) {
    try {
      process.kill(lock.pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

// The development key lives beside the data folder: written first, the test can sign its own
// token and ask from the first instant, before the banner prints any.
const SECRET = 'start-test-secret-0123456789abcdef0123456789';
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'dev-jwt-secret'), `${SECRET}\n`);

/** A free port, known before the server starts (port 0 would only be known from its banner). */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const env = (port: number, folder = dataDir) => ({
  ...process.env, DATABASE_URL: undefined, NODE_ENV: undefined, JWT_SECRET: undefined,
  PADU_DATA_DIR: folder, PORT: String(port), LOG_LEVEL: 'info',
});

/** `npm start`, the npm process itself: its PID is the one a process manager knows. */
function npmStart(port: number, folder = dataDir) {
  const child = spawn('npm', ['start'], { cwd: ROOT, env: env(port, folder), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve((exit = { code, signal }))));
  const printed = (pattern: RegExp, ms: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not printed within ${ms} ms: ${pattern}\n${stdout}\n${stderr}`)), ms);
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] ?? match[0]);
        } else if (exit) {
          clearTimeout(timer);
          reject(new Error(`exited with ${JSON.stringify(exit)} before printing ${pattern}:\n${stderr}`));
        } else setTimeout(check, 50);
      };
      check();
    });
  return { child, printed, exited, stdout: () => stdout, stderr: () => stderr };
}

const graphql = (port: number, token: string, query: string) =>
  fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query }),
  }).then((r) => r.json() as Promise<any>);

/** The server's own PID, from the folder's lock. */
const serverPid = () => JSON.parse(readFileSync(lockFileOf(dataDir), 'utf8')).pid as number;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const importCli = (args: string[]) =>
  spawnSync(process.execPath, ['bin/padu.mjs', 'src/cli/import', ...args], { cwd: ROOT, env: env(0), encoding: 'utf8', timeout: 120_000 });

const HOUSEHOLD = 'HH-START-TEST-1';
const csvFile = join(dir, 'households.csv');
writeFileSync(csvFile, `household_id,village_code,address,rt,rw,desil,collected_on\n${HOUSEHOLD},35.09.01.2001,Jl. Mawar,001,002,3,2025-02-01\n`);

describe('npm start', () => {
  it('waits from the first connection until the demo data is in, refuses a second process on its folder, stops on SIGTERM to the npm PID', async () => {
    const port = await freePort();
    const token = await signToken({ sub: 'start-test', role: 'ADMIN', regions: ['*'] }, SECRET);
    const first = npmStart(port);

    // Item 2: poll from the instant the process starts. Every answer must be whole: /readyz
    // 503 until the demo data is in, then 200 for good; every query sees all 2,600 households.
    const readyz: number[] = [];
    const totals: number[] = [];
    let queriesSentBeforeReady = 0;
    const deadline = Date.now() + 240_000;
    while (!(readyz.at(-1) === 200 && totals.length > 0)) {
      if (Date.now() > deadline) throw new Error(`not ready in time:\n${first.stdout()}\n${first.stderr()}`);
      const beforeReady = !readyz.includes(200);
      const [status, body] = await Promise.all([
        fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status, () => undefined),
        graphql(port, token, '{ households(first: 1) { totalCount } }').then((b) => b, () => undefined),
      ]);
      if (status !== undefined) readyz.push(status);
      if (body !== undefined) {
        if (beforeReady) queriesSentBeforeReady++;
        expect(body.errors).toBeUndefined();
        totals.push(body.data.households.totalCount);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    expect(readyz[0], 'the first answer of /readyz').toBe(503);
    expect(readyz.slice(readyz.indexOf(200)).every((s) => s === 200), `503 after 200: ${readyz.join(',')}`).toBe(true);
    expect(readyz.slice(0, readyz.indexOf(200)).every((s) => s === 503)).toBe(true);
    expect(queriesSentBeforeReady, 'queries sent while loading').toBeGreaterThan(0);
    expect(new Set(totals)).toEqual(new Set([2600]));
    await first.printed(/Demo data set loaded in (\d+) ms/, 30_000);
    const adminToken = await first.printed(/ADMIN +regions=\*\n +(\S+)/, 30_000);
    expect((await graphql(port, adminToken, '{ me { id role } }')).data.me).toEqual({ id: 'demo-admin', role: 'ADMIN' });
    expect(first.stdout()).toContain(`signed with the key in ${join(dir, 'dev-jwt-secret')}`);

    // Item 1: the import CLI on the same folder refuses at once, naming the server's PID;
    // before, it reported the row accepted and the row was lost.
    const pid = serverPid();
    expect(pid).not.toBe(first.child.pid); // npm's child: node itself (npm start execs it)
    const refused = importCli(['households', csvFile]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(new RegExp(`^padu: the embedded database .* is in use by process ${pid} \\(server, since .*importRecords.*PostgreSQL`, 'm'));
    expect((await graphql(port, token, `{ household(id: "${HOUSEHOLD}") { id } }`)).data.household).toBeNull();

    // Item 3: SIGTERM to the npm PID stops the server: "stopped" logged, exit 0, nothing left.
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.stderr()).toMatch(/"msg":"stopped"/);
    expect(alive(pid)).toBe(false);
    expect(existsSync(lockFileOf(dataDir))).toBe(false);

    // The folder is free now: the import goes in and stays.
    const imported = importCli(['households', csvFile]);
    expect(imported.stderr.replace(/^padu: dist\/ is missing.*\n/, '')).toBe('');
    expect(imported.status).toBe(0);

    // Second start on the same folder: no seeding, the same key, the imported row; SIGINT.
    const second = npmStart(port);
    await second.printed(/ready in \d+ ms/, 120_000);
    expect(second.stdout()).not.toContain('Loading the demo data set');
    expect((await graphql(port, adminToken, `{ household(id: "${HOUSEHOLD}") { id } }`)).data.household).toEqual({ id: HOUSEHOLD });
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    const secondPid = serverPid();
    second.child.kill('SIGINT');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect(second.stderr()).toMatch(/"msg":"stopped"/);
    expect(alive(secondPid)).toBe(false);
  }, 600_000);

  it('stops cleanly on SIGTERM while the first start is still loading the demo data, which is rolled back', async () => {
    const folder = join(dir, 'interrupted');
    const started = npmStart(await freePort(), folder);
    await started.printed(/Loading the demo data set/, 240_000);
    started.child.kill('SIGTERM');
    expect(await started.exited).toEqual({ code: 0, signal: null });
    expect(started.stderr()).toMatch(/"msg":"stopped"/);
    expect(started.stdout()).not.toContain('Demo data set loaded');
    expect(existsSync(lockFileOf(folder))).toBe(false);
    // All or nothing: the register is empty, so the next start seeds it again.
    const database = await Database.openPglite(folder);
    try {
      const [{ n }] = await database.execute<{ n: number }>(sql`select count(*)::int as n from households`);
      expect(n).toBe(0);
    } finally {
      await database.close();
    }
  }, 600_000);
});
