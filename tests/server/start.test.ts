import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** `npm start` as a newcomer runs it: embedded database in a fresh folder, demo data, tokens. */
const dir = mkdtempSync(join(tmpdir(), 'padu-start-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

/** Port 0: the system picks a free port (parallel runs never collide); the banner names it. */
function start() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, PADU_DATA_DIR: join(dir, 'data'), PORT: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  let exitCode: number | null | undefined;
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve((exitCode = code))));
  const printed = (pattern: RegExp, ms: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`not printed within ${ms} ms: ${pattern}\n${stdout}\n${stderr}`)), ms);
      const check = () => {
        const match = pattern.exec(stdout);
        if (match) {
          clearTimeout(timer);
          resolve(match[1] ?? match[0]);
        } else if (exitCode !== undefined) {
          clearTimeout(timer);
          reject(new Error(`exited with ${exitCode} before printing ${pattern}:\n${stderr}`));
        } else setTimeout(check, 50);
      };
      check();
    });
  const port = () => printed(/serves http:\/\/127\.0\.0\.1:(\d+)\/graphql/, 150_000).then(Number);
  return { child, printed, port, exited, output: () => stdout };
}

const me = (port: number, token: string) =>
  fetch(`http://127.0.0.1:${port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ me { id role } }' }),
  }).then((r) => r.json() as Promise<any>);

describe('npm start', () => {
  it('serves `me` for a printed token on a fresh data directory, seeds once, stops cleanly on SIGTERM', async () => {
    const first = start();
    const adminToken = await first.printed(/ADMIN +regions=\*\n +(\S+)/, 150_000);
    const firstPort = await first.port();
    const body = await me(firstPort, adminToken);
    expect(body.data.me).toEqual({ id: 'demo-admin', role: 'ADMIN' });
    // Start-up time is measured by bench/start.ts, not asserted here.
    await first.printed(/Demo data set loaded in (\d+) ms/, 150_000);
    expect((await fetch(`http://127.0.0.1:${firstPort}/readyz`)).status).toBe(200);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // Second start on the same folder: no seeding, the same key signs the tokens.
    const second = start();
    await second.printed(/ready in \d+ ms/, 60_000);
    expect((await me(await second.port(), adminToken)).data.me.id).toBe('demo-admin');
    expect(second.output()).not.toContain('Loading the demo data set');
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 300_000);
});
