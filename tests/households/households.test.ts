import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, createTestApp, type TestApp } from '../helpers/app.js';
import { captureStatements, openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addEnrolments, addHouseholds, addPersons, addReferrals, VILLAGES } from '../helpers/fixtures.js';

let db: TestDatabase;
let app: TestApp;

// Named households: Jember (35.09) in two districts, Mojokerto (35.76), Solok (13.72).
beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  const d = db.database;
  await addHouseholds(d, [
    { id: 'H-JBR-1', villageCode: VILLAGES.padomasan, desil: 1, address: 'Dusun Krajan', rt: '003', rw: '001' },
    { id: 'H-JBR-2', villageCode: VILLAGES.keting, desil: 4 },
    { id: 'H-JBR-3', villageCode: VILLAGES.cakru, desil: 7 },
    { id: 'H-JBR-4', villageCode: VILLAGES.cakru, desil: null },
    { id: 'H-MJK-1', villageCode: VILLAGES.mentikan, desil: 2 },
    { id: 'H-SLK-1', villageCode: VILLAGES.tanahGaram, desil: 1 },
  ]);
  await addPersons(d, [
    { id: 'P-JBR-1A', householdId: 'H-JBR-1', villageCode: VILLAGES.padomasan, name: 'Slamet Riyadi' },
    { id: 'P-JBR-1B', householdId: 'H-JBR-1', villageCode: VILLAGES.padomasan, name: 'Sumiati', sex: 'F', relationship: 'SPOUSE' },
    { id: 'P-JBR-2A', householdId: 'H-JBR-2', villageCode: VILLAGES.keting, name: 'Wahyudi' },
  ]);
  await addEnrolments(d, [
    { id: 'E-PKH-1', programCode: 'PKH', villageCode: VILLAGES.padomasan, householdId: 'H-JBR-1', personId: 'P-JBR-1B', status: 'ACTIVE' },
    { id: 'E-BPNT-1', programCode: 'BPNT', villageCode: VILLAGES.padomasan, householdId: 'H-JBR-1', personId: 'P-JBR-1A', status: 'SUSPENDED' },
    { id: 'E-PKH-2', programCode: 'PKH', villageCode: VILLAGES.keting, householdId: 'H-JBR-2', personId: 'P-JBR-2A', status: 'ENDED' },
    { id: 'E-BPNT-2', programCode: 'BPNT', villageCode: VILLAGES.keting, householdId: 'H-JBR-2', personId: 'P-JBR-2A', status: 'ACTIVE' },
    // A PKH benefit delivered in Mojokerto to the Jember household 3 (it moved): out of a Jember scope.
    { id: 'E-PKH-3', programCode: 'PKH', villageCode: VILLAGES.mentikan, householdId: 'H-JBR-3', status: 'ACTIVE' },
  ]);
  await addReferrals(d, [
    { id: 'R-1', villageCode: VILLAGES.padomasan, householdId: 'H-JBR-1', registeredAt: '2025-03-01T00:00:00Z' },
    { id: 'R-2', villageCode: VILLAGES.padomasan, householdId: 'H-JBR-1', registeredAt: '2025-04-01T00:00:00Z' },
    { id: 'R-3', villageCode: VILLAGES.mentikan, householdId: 'H-JBR-1', registeredAt: '2025-05-01T00:00:00Z' },
  ]);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

const LIST = 'query($f: HouseholdFilter, $first: Int, $after: String) { households(filter: $f, first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage } totalCount } }';
const ids = (result: any) => result.data.households.edges.map((e: any) => e.node.id);

describe('household', () => {
  it('reads a household with its region, members, enrolments and referrals', async () => {
    const result = await app.as('ADMIN', ['*'], `{ household(id: "H-JBR-1") {
      id address rt rw desil region { code level } members { id name }
      enrolments { id status } active: enrolments(status: ACTIVE) { id } referrals { id } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.household).toEqual({
      id: 'H-JBR-1', address: 'Dusun Krajan', rt: '003', rw: '001', desil: 1, region: { code: VILLAGES.padomasan, level: 'VILLAGE' },
      members: [{ id: 'P-JBR-1A', name: 'Slamet Riyadi' }, { id: 'P-JBR-1B', name: 'Sumiati' }],
      enrolments: [{ id: 'E-BPNT-1', status: 'SUSPENDED' }, { id: 'E-PKH-1', status: 'ACTIVE' }],
      active: [{ id: 'E-PKH-1' }],
      referrals: [{ id: 'R-3' }, { id: 'R-2' }, { id: 'R-1' }],
    });
  });

  it('treats a household outside the scope exactly like a missing one', async () => {
    const outside = await app.as('MANAGER', ['35.09'], '{ household(id: "H-MJK-1") { id } }');
    const missing = await app.as('MANAGER', ['35.09'], '{ household(id: "H-NONE") { id } }');
    expect(outside).toEqual({ data: { household: null } });
    expect(missing).toEqual(outside);
    const village = await app.as('FACILITATOR', ['35.09.01.2002'], '{ a: household(id: "H-JBR-1") { id } b: household(id: "H-JBR-2") { id } }');
    expect(village.data).toEqual({ a: null, b: { id: 'H-JBR-2' } });
  });

  it('hides nested enrolments and referrals placed outside the scope', async () => {
    const result = await app.as('MANAGER', ['35.09'], '{ a: household(id: "H-JBR-1") { referrals { id } } b: household(id: "H-JBR-3") { enrolments { id } } }');
    expect(result.data).toEqual({ a: { referrals: [{ id: 'R-2' }, { id: 'R-1' }] }, b: { enrolments: [] } });
  });

  it.each([['', 'empty'], ['x'.repeat(65), 'too long'], ['H\u0000', 'a control character']])('refuses the id %j (%s)', async (id) => {
    const result = await app.as('ADMIN', ['*'], 'query($id: ID!) { household(id: $id) { id } }', { id });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    // NUL is refused for every string of a request before any resolver (src/graphql/inputs.ts).
    expect(result.errors![0].message).toMatch(/^(id must be a record id of 1 to 64 printable characters|\$id must not contain NUL)/);
  });
});

describe('households', () => {
  it('lists in id order, scoped, with totalCount', async () => {
    const all = await app.as('ADMIN', ['*'], LIST);
    expect(ids(all)).toEqual(['H-JBR-1', 'H-JBR-2', 'H-JBR-3', 'H-JBR-4', 'H-MJK-1', 'H-SLK-1']);
    const jember = await app.as('MANAGER', ['35.09'], LIST, { first: 2 });
    expect(jember.data!.households).toEqual({ edges: [{ node: { id: 'H-JBR-1' } }, { node: { id: 'H-JBR-2' } }], pageInfo: { hasNextPage: true }, totalCount: 4 });
    const two = await app.as('MANAGER', ['35.76', '13.72'], LIST);
    expect(ids(two)).toEqual(['H-MJK-1', 'H-SLK-1']);
  });

  it('filters by region and deciles', async () => {
    expect(ids(await app.as('ADMIN', ['*'], LIST, { f: { regionCode: '35.09.02' } }))).toEqual(['H-JBR-3', 'H-JBR-4']);
    expect(ids(await app.as('ADMIN', ['*'], LIST, { f: { desilMax: 2 } }))).toEqual(['H-JBR-1', 'H-MJK-1', 'H-SLK-1']);
    expect(ids(await app.as('ADMIN', ['*'], LIST, { f: { desilMin: 2, desilMax: 4 } }))).toEqual(['H-JBR-2', 'H-MJK-1']);
    const outside = await app.as('MANAGER', ['35.09'], LIST, { f: { regionCode: '13.72' } });
    expect(outside).toEqual({ data: { households: { edges: [], pageInfo: { hasNextPage: false }, totalCount: 0 } } });
  });

  it('filters by ACTIVE enrolment of a program, and its absence', async () => {
    expect(ids(await app.as('ADMIN', ['*'], LIST, { f: { enrolledIn: 'PKH' } }))).toEqual(['H-JBR-1', 'H-JBR-3']);
    expect(ids(await app.as('ADMIN', ['*'], LIST, { f: { enrolledIn: 'BPNT' } }))).toEqual(['H-JBR-2']);
    expect(ids(await app.as('ADMIN', ['*'], LIST, { f: { regionCode: '35.09', desilMax: 4, notEnrolledIn: 'PKH' } }))).toEqual(['H-JBR-2']);
  });

  it('counts only the enrolments the viewer may see in enrolledIn', async () => {
    // H-JBR-3's PKH enrolment is delivered in Mojokerto: not visible to a Jember manager.
    expect(ids(await app.as('MANAGER', ['35.09'], LIST, { f: { enrolledIn: 'PKH' } }))).toEqual(['H-JBR-1']);
    // A PROGRAM_MANAGER of BPNT sees no PKH enrolment at all.
    expect(ids(await app.as('PROGRAM_MANAGER', ['35.09'], LIST, { f: { enrolledIn: 'PKH' } }, { programs: ['BPNT'] }))).toEqual([]);
  });

  it.each([
    [{ desilMin: 0 }, 'filter.desilMin must be between 1 and 10, got 0'],
    [{ desilMax: 11 }, 'filter.desilMax must be between 1 and 10, got 11'],
    [{ desilMin: 5, desilMax: 3 }, 'filter.desilMin must not be greater than filter.desilMax, got filter.desilMin 5 and filter.desilMax 3'],
    [{ enrolledIn: 'XYZ' }, 'filter.enrolledIn must be the code of a known program, got "XYZ"'],
    [{ notEnrolledIn: 'pkh' }, 'filter.notEnrolledIn must be a program code such as PKH or BPNT, got "pkh"'],
    [{ regionCode: '35.09.' }, 'filter.regionCode must be a Kemendagri region code such as 35.09 or 35.09.01.2001, got "35.09."'],
  ])('refuses the filter %j', async (filter, message) => {
    const result = await app.as('ADMIN', ['*'], LIST, { f: filter });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toBe(message);
  });

  it('loads nested fields in one statement per field, whatever the page size', async () => {
    const q = 'query($n: Int) { households(first: $n) { edges { node { region { code } members { household { id } enrolments { program { code } } referrals { history { toStatus } } } enrolments(status: ACTIVE) { id } referrals { id } } } } }';
    const { result, statements } = await captureStatements(db.database, () => app.as('ADMIN', ['*'], q, { n: 10 }));
    const small = await captureStatements(db.database, () => app.as('ADMIN', ['*'], q, { n: 1 }));
    expect(result.errors).toBeUndefined();
    // households with their members (and the members' households, enrolments and programs) and
    // enrolments(ACTIVE) planned into one statement; regions, referrals of households and referrals
    // of persons through their loaders (no person has a referral: history is never reached)
    expect(statements).toHaveLength(4);
    expect(small.statements).toHaveLength(4);
  });
});
