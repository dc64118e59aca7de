import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureStatements, openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { codes, createTestApp, type TestApp } from '../helpers/app.js';

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

describe('me', () => {
  it('returns the caller as authenticated', async () => {
    const result = await app.as('PROGRAM_MANAGER', ['35.09', '35.76'], '{ me { id role regions programs } }', {}, { programs: ['PKH', 'BPNT'] });
    expect(result.errors).toBeUndefined();
    expect(result.data?.me).toEqual({ id: 'test-program_manager', role: 'PROGRAM_MANAGER', regions: ['35.09', '35.76'], programs: ['PKH', 'BPNT'] });
  });
});

describe('region', () => {
  it('resolves a village with its parent chain', async () => {
    const result = await app.as('ADMIN', ['*'], '{ region(code: "35.09.01.2001") { code level name parent { code level parent { code parent { code name parent { code } } } } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data?.region).toMatchObject({
      code: '35.09.01.2001', level: 'VILLAGE',
      parent: { code: '35.09.01', level: 'DISTRICT', parent: { code: '35.09', parent: { code: '35', name: 'Jawa Timur', parent: null } } },
    });
  });

  it('treats a region outside the scope exactly like a missing one', async () => {
    const outside = await app.as('MANAGER', ['35.09'], '{ region(code: "35.76") { code } }');
    const missing = await app.as('MANAGER', ['35.09'], '{ region(code: "35.99") { code } }');
    expect(outside).toEqual({ data: { region: null } });
    expect(missing).toEqual(outside);
  });

  it('shows the ancestors of the scope, but not their other children', async () => {
    const result = await app.as('FACILITATOR', ['35.09.01'], '{ p: region(code: "35") { code } r: region(code: "35.09") { code } sibling: region(code: "35.09.02") { code } }');
    expect(result.data).toEqual({ p: { code: '35' }, r: { code: '35.09' }, sibling: null });
  });

  it.each(['', '35.9', '3509', "35.09' or '1'='1", '35.09.%', 'x'.repeat(10_000)])('refuses malformed code %j with BAD_USER_INPUT', async (code) => {
    const result = await app.as('ADMIN', ['*'], 'query($c: String!) { region(code: $c) { code } }', { c: code });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0].message).toMatch(/code must be a Kemendagri region code/);
  });
});

describe('regions', () => {
  it('lists the provinces by default, all 38 for a national scope', async () => {
    const result = await app.as('ADMIN', ['*'], '{ regions { code level } }');
    expect(result.data?.regions).toHaveLength(38);
    expect(result.data?.regions.every((r: { level: string }) => r.level === 'PROVINCE')).toBe(true);
  });

  it('lists the children of a parent, scoped', async () => {
    const all = await app.as('ADMIN', ['*'], '{ regions(parentCode: "35") { code } }');
    expect(all.data?.regions).toHaveLength(38); // Jawa Timur: 29 kabupaten + 9 kota
    const scoped = await app.as('MANAGER', ['35.09', '35.76'], '{ regions(parentCode: "35") { code } }');
    expect(scoped.data?.regions.map((r: { code: string }) => r.code)).toEqual(['35.09', '35.76']);
  });

  it('lists descendants at a level under a parent', async () => {
    const result = await app.as('MANAGER', ['35.09'], '{ regions(parentCode: "35.09", level: DISTRICT) { code } }');
    expect(result.data?.regions).toHaveLength(31);
    const villages = await app.as('MANAGER', ['35.09'], '{ regions(parentCode: "35.09", level: VILLAGE) { code } }');
    expect(villages.data?.regions.length).toBe(248);
  });

  it('lists a whole level inside the scope', async () => {
    const result = await app.as('MANAGER', ['13.72'], '{ regions(level: VILLAGE) { code } }');
    expect(result.data?.regions.length).toBeGreaterThan(5);
    expect(result.data?.regions.every((r: { code: string }) => r.code.startsWith('13.72.'))).toBe(true);
  });

  it('refuses a list larger than 10,000 regions with a hint', async () => {
    const result = await app.as('ADMIN', ['*'], '{ regions(level: VILLAGE) { code } }');
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors?.[0].message).toContain('narrow it with parentCode');
  });

  it('refuses a malformed parentCode and an unknown level', async () => {
    expect(codes(await app.as('ADMIN', ['*'], '{ regions(parentCode: "35.x") { code } }'))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.as('ADMIN', ['*'], '{ regions(level: CITY) { code } }'))).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('batches parents: one statement per level of nesting, whatever the list length', async () => {
    const { result, statements } = await captureStatements(db.database, () =>
      app.as('ADMIN', ['*'], '{ regions(parentCode: "35.09", level: VILLAGE) { code parent { code parent { code } } } }'));
    expect(result.data?.regions).toHaveLength(248);
    expect(statements).toHaveLength(3);
  });
});

describe('programs', () => {
  it('lists the six built-in programs with their exclusions in both directions', async () => {
    const result = await app.as('ANALYST', ['35.09'], '{ programs { code name targetUnit exclusiveWith { code } } }');
    expect(result.errors).toBeUndefined();
    const byCode = Object.fromEntries(result.data!.programs.map((p: any) => [p.code, p]));
    expect(Object.keys(byCode).sort()).toEqual(['BLT_DD', 'BPNT', 'PBI_JK', 'PIP', 'PKH', 'RTLH']);
    expect(byCode.BLT_DD.exclusiveWith.map((p: any) => p.code)).toEqual(['BPNT', 'PKH']);
    expect(byCode.PKH.exclusiveWith.map((p: any) => p.code)).toEqual(['BLT_DD']);
    expect(byCode.PBI_JK).toMatchObject({ targetUnit: 'INDIVIDUAL', exclusiveWith: [] });
    expect(byCode.RTLH.targetUnit).toBe('HOUSEHOLD');
  });

  it('needs two statements for the list and every exclusion', async () => {
    const { statements } = await captureStatements(db.database, () => app.as('ADMIN', ['*'], '{ programs { code exclusiveWith { code exclusiveWith { code } } } }'));
    // The nested level asks for codes the first level already loaded: served from the loader's cache.
    expect(statements).toHaveLength(2);
  });
});
