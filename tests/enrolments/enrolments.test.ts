import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/lib/pagination.js';
import { codes, createTestApp, type TestApp } from '../helpers/app.js';
import { captureStatements, openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addEnrolments, addHouseholds, addPersons, VILLAGES } from '../helpers/fixtures.js';

let db: TestDatabase;
let app: TestApp;

const pad = (n: number) => String(n).padStart(4, '0');
/** 120 Jember households (Padomasan), two members each, each head enrolled in PKH (odd) or BPNT (even). */
const JEMBER = 120;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  const d = db.database;
  const ids = Array.from({ length: JEMBER }, (_, i) => pad(i + 1));
  await addHouseholds(d, [
    ...ids.map((n) => ({ id: `H${n}`, villageCode: VILLAGES.padomasan, desil: (Number(n) % 10) + 1 })),
    { id: 'HM01', villageCode: VILLAGES.mentikan, desil: 1 },
  ]);
  await addPersons(d, [
    ...ids.flatMap((n) => [
      { id: `P${n}A`, householdId: `H${n}`, villageCode: VILLAGES.padomasan, name: `Budi ${n}` },
      { id: `P${n}B`, householdId: `H${n}`, villageCode: VILLAGES.padomasan, name: `Siti ${n}`, sex: 'F' as const, relationship: 'SPOUSE' as const },
    ]),
    { id: 'PM01A', householdId: 'HM01', villageCode: VILLAGES.mentikan, name: 'Mojo Kerto' },
  ]);
  await addEnrolments(d, [
    ...ids.map((n) => ({
      id: `E${n}`, programCode: Number(n) % 2 ? 'PKH' : 'BPNT', villageCode: VILLAGES.padomasan,
      nik: null, name: `Budi ${n}`, personId: `P${n}A`, householdId: `H${n}`,
    })),
    // Listed in Jember but resolving to nobody.
    { id: 'EU01', programCode: 'PKH', villageCode: VILLAGES.keting, name: 'Tidak Dikenal', status: 'SUSPENDED' as const },
    // Delivered in Mojokerto.
    { id: 'EM01', programCode: 'PKH', villageCode: VILLAGES.mentikan, name: 'Mojo Kerto', personId: 'PM01A', householdId: 'HM01' },
    // Delivered in Jember, but the person lives in Mojokerto: the person is out of a Jember scope.
    { id: 'EX01', programCode: 'PBI_JK', villageCode: VILLAGES.cakru, name: 'Mojo Kerto', personId: 'PM01A', householdId: 'HM01' },
  ]);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

const NESTED = `query($first: Int) { enrolments(first: $first) { edges { node { program { code } person { name household { desil members { name } } } } } } }`;

describe('enrolments', () => {
  it('pages in id order with keyset cursors and a scoped totalCount', async () => {
    const first = await app.as('MANAGER', ['35.09'], '{ enrolments(first: 2) { edges { cursor node { id status } } pageInfo { hasNextPage endCursor } totalCount } }');
    expect(first.errors).toBeUndefined();
    const page = first.data!.enrolments;
    expect(page.edges.map((e: any) => e.node.id)).toEqual(['E0001', 'E0002']);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: page.edges[1].cursor });
    expect(page.totalCount).toBe(JEMBER + 2); // + EU01, EX01; EM01 is in Mojokerto

    const next = await app.as('MANAGER', ['35.09'], 'query($a: String) { enrolments(first: 2, after: $a) { edges { node { id } } } }', { a: page.pageInfo.endCursor });
    expect(next.data!.enrolments.edges.map((e: any) => e.node.id)).toEqual(['E0003', 'E0004']);
  });

  it('keeps the page boundary while rows are inserted before it', async () => {
    const first = await app.as('ADMIN', ['*'], '{ enrolments(first: 3) { pageInfo { endCursor } } }');
    await addEnrolments(db.database, [{ id: 'E0001a', programCode: 'PKH', villageCode: VILLAGES.padomasan, name: 'Sisipan' }]);
    try {
      const next = await app.as('ADMIN', ['*'], 'query($a: String) { enrolments(first: 2, after: $a) { edges { node { id } } } }', { a: first.data!.enrolments.pageInfo.endCursor });
      expect(next.data!.enrolments.edges.map((e: any) => e.node.id)).toEqual(['E0004', 'E0005']);
    } finally {
      await db.database.db.execute('delete from enrolments where id = \'E0001a\'' as never);
    }
  });

  it('runs the same number of statements for first: 10 and first: 100 (no N+1)', async () => {
    const ten = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'], NESTED, { first: 10 }));
    const hundred = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'], NESTED, { first: 100 }));
    expect(ten.result.errors).toBeUndefined();
    expect(hundred.result.errors).toBeUndefined();
    expect(hundred.result.data!.enrolments.edges).toHaveLength(100);
    expect(hundred.result.data!.enrolments.edges[0].node).toEqual({
      program: { code: 'PKH' }, person: { name: 'Budi 0001', household: { desil: 2, members: [{ name: 'Budi 0001' }, { name: 'Siti 0001' }] } },
    });
    // the page with its programs, persons, their households and members planned into it
    // (src/graphql/read-plan.ts), and the one INSERT of the request's READ audit entries
    // (person names are personal data)
    expect(ten.statements).toHaveLength(2);
    expect(ten.statements.at(-1)).toMatch(/insert into audit_entries/);
    expect(hundred.statements).toHaveLength(ten.statements.length);
  });

  it('prefetches persons selected through fragments too, and keeps the loaders\' answers otherwise', async () => {
    const fragment = `query { enrolments(first: 3) { edges { ... on EnrolmentEdge { node { ...E } } } } }
      fragment E on Enrolment { id person { id household { id } } }`;
    const viaFragment = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'], fragment));
    expect(viaFragment.result.data!.enrolments.edges.map((e: any) => e.node)).toEqual([
      { id: 'E0001', person: { id: 'P0001A', household: { id: 'H0001' } } },
      { id: 'E0002', person: { id: 'P0002A', household: { id: 'H0002' } } },
      { id: 'E0003', person: { id: 'P0003A', household: { id: 'H0003' } } },
    ]);
    expect(viaFragment.statements).toHaveLength(1);
    // Without person in the selection, no person is read; the household is planned into the page.
    const plain = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'], '{ enrolments(first: 3) { edges { node { household { id } } } } }'));
    expect(plain.result.data!.enrolments.edges.map((e: any) => e.node.household.id)).toEqual(['H0001', 'H0002', 'H0003']);
    expect(plain.statements).toHaveLength(1);
    expect(plain.statements[0]).not.toContain('from persons');
  });

  it('filters by program, status, region and link state', async () => {
    const q = 'query($f: EnrolmentFilter) { enrolments(filter: $f, first: 500) { edges { node { id } } totalCount } }';
    const pkh = await app.as('ADMIN', ['*'], q, { f: { program: 'PKH' } });
    expect(pkh.data!.enrolments.totalCount).toBe(JEMBER / 2 + 2);
    const suspended = await app.as('ADMIN', ['*'], q, { f: { status: 'SUSPENDED' } });
    expect(suspended.data!.enrolments.edges).toEqual([{ node: { id: 'EU01' } }]);
    const unlinked = await app.as('ADMIN', ['*'], q, { f: { unlinked: true } });
    expect(unlinked.data!.enrolments.edges).toEqual([{ node: { id: 'EU01' } }]);
    const linked = await app.as('ADMIN', ['*'], q, { f: { unlinked: false } });
    expect(linked.data!.enrolments.totalCount).toBe(JEMBER + 2);
    const mojokerto = await app.as('ADMIN', ['*'], q, { f: { regionCode: '35.76' } });
    expect(mojokerto.data!.enrolments.edges).toEqual([{ node: { id: 'EM01' } }]);
    const village = await app.as('ADMIN', ['*'], q, { f: { regionCode: VILLAGES.keting } });
    expect(village.data!.enrolments.edges).toEqual([{ node: { id: 'EU01' } }]);
  });

  it('yields nothing, without an error, for a regionCode outside the scope', async () => {
    const result = await app.as('MANAGER', ['35.09'], '{ enrolments(filter: { regionCode: "35.76" }) { edges { node { id } } totalCount } }');
    expect(result).toEqual({ data: { enrolments: { edges: [], totalCount: 0 } } });
  });

  it('shows a PROGRAM_MANAGER only the enrolments of its programs, nested too', async () => {
    const list = await app.as('PROGRAM_MANAGER', ['35.09'], '{ enrolments(first: 500) { edges { node { program { code } } } totalCount } }', {}, { programs: ['BPNT'] });
    expect(list.data!.enrolments.totalCount).toBe(JEMBER / 2);
    expect(new Set(list.data!.enrolments.edges.map((e: any) => e.node.program.code))).toEqual(new Set(['BPNT']));
    const nested = await app.as('PROGRAM_MANAGER', ['35.09'], '{ a: household(id: "H0001") { enrolments { id } } b: household(id: "H0002") { enrolments { id } } p: person(id: "P0001A") { enrolments { id } } }', {}, { programs: ['BPNT'] });
    expect(nested.data).toEqual({ a: { enrolments: [] }, b: { enrolments: [{ id: 'E0002' }] }, p: { enrolments: [] } });
  });

  it('resolves person and household only when they are in scope themselves', async () => {
    const result = await app.as('MANAGER', ['35.09'], '{ enrolments(filter: { program: "PBI_JK" }) { edges { node { id name region { code } person { id } household { id } } } } }');
    expect(result.data!.enrolments.edges).toEqual([{ node: { id: 'EX01', name: 'Mojo Kerto', region: { code: VILLAGES.cakru }, person: null, household: null } }]);
    const admin = await app.as('ADMIN', ['*'], '{ enrolments(filter: { program: "PBI_JK" }) { edges { node { person { id } household { id } } } } }');
    expect(admin.data!.enrolments.edges).toEqual([{ node: { person: { id: 'PM01A' }, household: { id: 'HM01' } } }]);
  });

  it('refuses first above 500 or negative, with the value in the message', async () => {
    for (const first of [501, -1]) {
      const result = await app.as('ADMIN', ['*'], 'query($n: Int) { enrolments(first: $n) { totalCount } }', { n: first });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].message).toBe(`first must be between 0 and 500, got ${first}`);
    }
    const zero = await app.as('ADMIN', ['*'], '{ enrolments(first: 0) { edges { node { id } } pageInfo { hasNextPage endCursor } } }');
    expect(zero.data!.enrolments).toEqual({ edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
  });

  it('defaults first to 50', async () => {
    const result = await app.as('ADMIN', ['*'], '{ enrolments { edges { node { id } } pageInfo { hasNextPage } } }');
    expect(result.data!.enrolments.edges).toHaveLength(50);
    expect(result.data!.enrolments.pageInfo.hasNextPage).toBe(true);
  });

  it.each([
    ['not base64', '!!!'],
    ['a forged key', Buffer.from(JSON.stringify({ v: 1, l: 'enrolments', k: "x' or 1=1 --", extra: 1 })).toString('base64url')],
    ['another list', encodeCursor('households', 'H0001')],
    ['another version', Buffer.from(JSON.stringify({ v: 2, l: 'enrolments', k: 'E0001' })).toString('base64url')],
    ['plain JSON', Buffer.from('[1,2]').toString('base64url')],
    ['empty', ''],
  ])('refuses a cursor that is %s with BAD_USER_INPUT', async (_label, after) => {
    const result = await app.as('ADMIN', ['*'], 'query($a: String) { enrolments(after: $a) { totalCount } }', { a: after });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toMatch(/^after is not a cursor of this list \(enrolments\), got /);
  });

  it('refuses malformed and unknown programs and malformed region codes', async () => {
    const q = 'query($f: EnrolmentFilter) { enrolments(filter: $f) { totalCount } }';
    const unknown = await app.as('ADMIN', ['*'], q, { f: { program: 'NOPE' } });
    expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.errors![0].message).toBe('filter.program must be the code of a known program, got "NOPE"');
    expect(codes(await app.as('ADMIN', ['*'], q, { f: { program: "pkh'; drop table x" } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.as('ADMIN', ['*'], q, { f: { regionCode: '35.09%' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.as('ADMIN', ['*'], q, { f: { status: 'DONE' } }))).toEqual(['BAD_USER_INPUT']);
  });
});
