import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('has the contract defaults', () => {
    expect(loadConfig({})).toMatchObject({
      env: 'development', dataDir: '.padu/data', port: 4000, host: '127.0.0.1', statsMinCell: 5, databaseUrl: undefined,
    });
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: ' ' })).toMatchObject({ databaseUrl: undefined, port: 4000 });
  });

  it.each([
    [{ DATABASE_URL: 'not a url' }, /^invalid configuration: DATABASE_URL: must be a URL like postgres:\/\/.*got "not a url"$/],
    [{ DATABASE_URL: 'mysql://root@localhost/db' }, /DATABASE_URL: must be a URL like postgres/],
    [{ DATABASE_URL: 'postgres://user:hunter2@/db' }, /got "postgres:\/\/user:\*\*\*@\/db"/],
    [{ PORT: '70000' }, /^invalid configuration: PORT: /],
    [{ PORT: 'eighty' }, /^invalid configuration: PORT: /],
    [{ NODE_ENV: 'staging' }, /^invalid configuration: NODE_ENV: /],
    [{ STATS_MIN_CELL: '0' }, /^invalid configuration: STATS_MIN_CELL: /],
    [{ NODE_ENV: 'production' }, /^invalid configuration: JWT_SECRET is required when NODE_ENV=production$/],
    [{ NODE_ENV: 'production', JWT_SECRET: 'short' }, /JWT_SECRET must be at least 32 characters/],
  ])('refuses %j with one clear line', (env, message) => {
    let error: unknown;
    try {
      loadConfig(env as NodeJS.ProcessEnv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('hunter2');
    expect((error as Error).message).not.toContain('\n');
  });
});

/** Start the real entry point and return what it printed when it gave up. */
function start(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH, PADU_DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stderr: result.stderr.trim(), stdout: result.stdout };
}

describe('npm start with bad configuration', () => {
  it('stops with one line for a malformed DATABASE_URL', () => {
    const { status, stderr } = start({ DATABASE_URL: 'postgres//oops' });
    expect(status).toBe(1);
    expect(stderr).toBe('padu: invalid configuration: DATABASE_URL: must be a URL like postgres://user:password@host:5432/database, got "postgres//oops"');
  });

  it('stops with one line for an unreachable server, without the password', () => {
    const { status, stderr } = start({ DATABASE_URL: 'postgres://padu:secret-pw@127.0.0.1:1/padu' });
    expect(status).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^padu: cannot reach PostgreSQL at postgres:\/\/padu:\*\*\*@127\.0\.0\.1:1\/padu: ECONNREFUSED/);
    expect(stderr).not.toContain('secret-pw');
  });

  it('stops with one line for a missing JWT_SECRET in production', () => {
    const { status, stderr } = start({ NODE_ENV: 'production' });
    expect(status).toBe(1);
    expect(stderr).toBe('padu: invalid configuration: JWT_SECRET is required when NODE_ENV=production');
  });
});
