import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import { generateApiKey, hashApiKey } from '../../src/auth/api-keys.js';
import { signToken, verifyToken } from '../../src/auth/tokens.js';
import { codes, createTestApp, TEST_JWT_SECRET, type TestApp } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

const key = new TextEncoder().encode(TEST_JWT_SECRET);
const now = () => Math.floor(Date.now() / 1000);

/** Sign arbitrary claims with the test secret: for claims signToken itself would refuse. */
const rawToken = (claims: Record<string, unknown>, secret: Uint8Array = key) =>
  new SignJWT({ iat: now(), ...claims }).setProtectedHeader({ alg: 'HS256' }).sign(secret);

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

const ME = '{ me { id role regions } }';

async function refused(credentials: Parameters<TestApp['execute']>[2]) {
  const result = await app.execute(ME, {}, credentials);
  expect(result.data ?? null).toBeNull();
  expect(codes(result)).toEqual(['UNAUTHENTICATED']);
  return result.errors![0].message;
}

describe('bearer tokens', () => {
  it('accepts a well-formed token and exposes its claims', async () => {
    const token = await signToken({ sub: 'dinsos-jember', role: 'MANAGER', regions: ['35.09'] }, TEST_JWT_SECRET);
    const result = await app.execute(ME, {}, { token });
    expect(result).toEqual({ data: { me: { id: 'dinsos-jember', role: 'MANAGER', regions: ['35.09'] } } });
  });

  it('refuses a request without credentials', async () => {
    expect(await refused({})).toMatch(/valid credentials are required/);
  });

  it('refuses an expired token', async () => {
    const token = await rawToken({ sub: 'a', role: 'ADMIN', regions: ['*'], exp: now() - 10 });
    expect(await refused({ token })).toBe('bearer token has expired');
  });

  it('refuses a token without exp', async () => {
    expect(await refused({ token: await rawToken({ sub: 'a', role: 'ADMIN', regions: ['*'] }) })).toMatch(/not a valid HS256 JWT/);
  });

  it('refuses a token signed with another key', async () => {
    const token = await rawToken({ sub: 'a', role: 'ADMIN', regions: ['*'], exp: now() + 60 }, new TextEncoder().encode('another-secret-another-secret-another'));
    expect(await refused({ token })).toBe('bearer token signature is not valid');
  });

  it('refuses a token whose payload was widened after signing', async () => {
    const token = await signToken({ sub: 'fac', role: 'FACILITATOR', regions: ['35.09.01'] }, TEST_JWT_SECRET);
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const widened = Buffer.from(JSON.stringify({ ...claims, regions: ['*'], role: 'ADMIN' })).toString('base64url');
    expect(await refused({ token: `${header}.${widened}.${signature}` })).toBe('bearer token signature is not valid');
  });

  it('refuses alg none and other algorithms', async () => {
    const none = `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'a', role: 'ADMIN', regions: ['*'], exp: now() + 60 })).toString('base64url')}.`;
    expect(await refused({ headers: { authorization: `Bearer ${none}` } })).toMatch(/Bearer <token>|not a valid/);
    const hs512 = await new SignJWT({ sub: 'a', role: 'ADMIN', regions: ['*'], exp: now() + 60 }).setProtectedHeader({ alg: 'HS512' }).sign(key);
    expect(await refused({ token: hs512 })).toMatch(/not a valid HS256 JWT/);
  });

  it.each([
    ['an unknown role', { role: 'SUPERUSER', regions: ['*'] }, /claim role is malformed/],
    ['a missing role', { regions: ['*'] }, /claim role is malformed/],
    ['regions not an array', { role: 'ADMIN', regions: '*' }, /claim regions is malformed/],
    ['empty regions', { role: 'ADMIN', regions: [] }, /claim regions is malformed/],
    ['a malformed region prefix', { role: 'ADMIN', regions: ['35.9'] }, /claim regions.0 is malformed/],
    ['a region prefix with SQL', { role: 'ADMIN', regions: ["35' or '1'='1"] }, /claim regions.0 is malformed/],
    ['a LIKE wildcard', { role: 'ADMIN', regions: ['35%'] }, /claim regions.0 is malformed/],
    ['"*" mixed with prefixes', { role: 'ADMIN', regions: ['*', '35.09'] }, /"\*" must stand alone/],
    ['a number as region', { role: 'ADMIN', regions: [35] }, /claim regions.0 is malformed/],
    ['a PROGRAM_MANAGER without programs', { role: 'PROGRAM_MANAGER', regions: ['35.09'] }, /must name its programs/],
    ['malformed program codes', { role: 'PROGRAM_MANAGER', regions: ['35.09'], programs: ['pkh;drop'] }, /claim programs.0 is malformed/],
    ['an empty subject', { sub: '', role: 'ADMIN', regions: ['*'] }, /claim sub is malformed|not a valid/],
  ])('refuses %s', async (_label, claims, message) => {
    const token = await rawToken({ sub: 'someone', exp: now() + 60, ...claims });
    expect(await refused({ token })).toMatch(message);
  });

  it.each([
    ['garbage', 'Bearer not-a-jwt'],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a missing token', 'Bearer '],
    ['two tokens in one header', 'Bearer a.b.c, Bearer d.e.f'],
    ['control characters', 'Bearer a.b.c\u0000'],
  ])('refuses an Authorization header with %s', async (_label, authorization) => {
    await refused({ headers: { authorization } });
  });

  it('refuses a huge token before parsing it', async () => {
    const huge = `${'a'.repeat(5000)}.${'b'.repeat(5000)}.c`;
    expect(await refused({ headers: { authorization: `Bearer ${huge}` } })).toMatch(/longer than 4096/);
  });

  it('refuses a request with both a bearer token and an API key', async () => {
    const token = await signToken({ sub: 'a', role: 'ADMIN', regions: ['*'] }, TEST_JWT_SECRET);
    expect(await refused({ token, apiKey: generateApiKey() })).toMatch(/send one credential/);
  });

  it('refuses a token once it has expired, though it was accepted (and remembered) before', async () => {
    const token = await signToken({ sub: 'short', role: 'ADMIN', regions: ['*'], ttl: '1h' }, TEST_JWT_SECRET);
    expect((await verifyToken(token, TEST_JWT_SECRET)).id).toBe('short');
    expect((await verifyToken(token, TEST_JWT_SECRET)).id).toBe('short');
    await expect(verifyToken(token, 'another-secret-0123456789-0123456789-abcdef')).rejects.toThrow(/signature is not valid/);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 2 * 3600_000);
      await expect(verifyToken(token, TEST_JWT_SECRET)).rejects.toThrow('bearer token has expired');
    } finally {
      vi.useRealTimers();
    }
  });

  it('deduplicates regions and drops programs of other roles', async () => {
    const token = await rawToken({ sub: 'x', role: 'ANALYST', regions: ['35.09', '35.09'], programs: ['PKH'], exp: now() + 60 });
    const viewer = await verifyToken(token, TEST_JWT_SECRET);
    expect(viewer).toMatchObject({ regions: ['35.09'], programs: [] });
    expect(Object.isFrozen(viewer)).toBe(true);
  });
});

describe('API keys', () => {
  it('authenticates an active key as EXTERNAL_APP with its regions, and refuses it once revoked', async () => {
    const apiKey = generateApiKey();
    await db.database.execute(sql`insert into api_keys (name, key_prefix, key_hash, regions)
      values ('simnangkis-jember', ${apiKey.slice(0, 12)}, ${hashApiKey(apiKey)}, ${'{35.09}'}::text[])`);
    const ok = await app.execute(ME, {}, { apiKey });
    expect(ok).toEqual({ data: { me: { id: 'apikey:simnangkis-jember', role: 'EXTERNAL_APP', regions: ['35.09'] } } });
    await db.database.execute(sql`update api_keys set revoked_at = now() where name = 'simnangkis-jember'`);
    expect(await refused({ apiKey })).toBe('X-Api-Key is unknown or revoked');
  });

  it.each(['', 'padu_short', `padu_${'x'.repeat(43)}', 'x`, 'x'.repeat(100_000)])('refuses a malformed key %#', async (apiKey) => {
    await refused({ headers: { 'x-api-key': apiKey } });
  });
});
