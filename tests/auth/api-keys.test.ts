import { spawnSync } from 'node:child_process';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, hashApiKey, listApiKeys, revokeApiKey } from '../../src/auth/api-keys.js';
import { codes, createTestApp, type TestApp } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
let app: TestApp;
beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

describe('API keys', () => {
  it('stores only a hash, and the key works as EXTERNAL_APP at once', async () => {
    const { key, info } = await createApiKey(db.database, { name: 'simnangkis-kediri', regions: ['35.06', '35.71'] });
    expect(key).toMatch(/^padu_[A-Za-z0-9_-]{43}$/);
    expect(info).toMatchObject({ name: 'simnangkis-kediri', keyPrefix: key.slice(0, 12), regions: ['35.06', '35.71'], revokedAt: null });
    const stored = await db.database.execute<Record<string, string>>(sql`select * from api_keys where name = 'simnangkis-kediri'`);
    expect(JSON.stringify(stored)).not.toContain(key);
    expect(stored[0].key_hash).toBe(hashApiKey(key));
    const result = await app.execute('{ me { id role regions programs } }', {}, { apiKey: key });
    expect(result.data?.me).toEqual({ id: 'apikey:simnangkis-kediri', role: 'EXTERNAL_APP', regions: ['35.06', '35.71'], programs: [] });
  });

  it('records the last use', async () => {
    const [key] = (await listApiKeys(db.database)).filter((k) => k.name === 'simnangkis-kediri');
    expect(key.lastUsedAt).not.toBeNull();
  });

  it('stops working the moment it is revoked', async () => {
    const { key } = await createApiKey(db.database, { name: 'to-revoke', regions: ['13.72'] });
    expect(codes(await app.execute('{ me { id } }', {}, { apiKey: key }))).toEqual([]);
    const revoked = await revokeApiKey(db.database, 'to-revoke');
    expect(revoked.revokedAt).not.toBeNull();
    const after = await app.execute('{ me { id } }', {}, { apiKey: key });
    expect(codes(after)).toEqual(['UNAUTHENTICATED']);
    expect(after.data ?? null).toBeNull();
  });

  it.each([
    [{ name: '', regions: ['35.09'] }, /name must be/],
    [{ name: 'bad name; drop table', regions: ['35.09'] }, /name must be/],
    [{ name: 'x'.repeat(101), regions: ['35.09'] }, /name must be/],
    [{ name: 'ok', regions: [] }, /at least one region/],
    [{ name: 'ok', regions: ['35.9'] }, /is not a region code prefix/],
    [{ name: 'ok', regions: ['*', '35.09'] }, /must stand alone/],
    [{ name: 'simnangkis-kediri', regions: ['35.09'] }, /exists already/],
  ])('refuses %j', async (input, message) => {
    await expect(createApiKey(db.database, input)).rejects.toThrow(message);
  });

  it('refuses to revoke an unknown key', async () => {
    await expect(revokeApiKey(db.database, 'nobody')).rejects.toThrow(/no API key named "nobody"/);
  });
});

describe('npm run apikey', () => {
  it.each([[[]], [['rotate']], [['create', '--name', 'x']], [['create', '--bogus']]])('prints its usage for %j', (args) => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/apikey.ts', ...args], {
      env: { PATH: process.env.PATH, PADU_DATA_DIR: 'memory://' }, encoding: 'utf8', timeout: 60_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^padu: (usage:|Unknown option)/);
  });
});
