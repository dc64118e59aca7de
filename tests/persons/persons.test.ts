import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageOn, yearsBefore } from '../../src/modules/persons/persons.service.js';
import { codes, createTestApp, type TestApp } from '../helpers/app.js';
import { captureStatements, openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addHouseholds, addPersons, VILLAGES } from '../helpers/fixtures.js';

let db: TestDatabase;
let app: TestApp;

const today = new Date();
/** A birth date that makes a person exactly `age` today (UTC). */
const bornYearsAgo = (age: number) => yearsBefore(today, age);

const NIK = {
  slamet: '3509011203800001',
  sumiati: '3509015507850002',
  shared: '3509010101900003',
  mojo: '3576010202700004',
};

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  const d = db.database;
  await addHouseholds(d, [
    { id: 'H-JBR-1', villageCode: VILLAGES.padomasan, desil: 1 },
    { id: 'H-JBR-2', villageCode: VILLAGES.cakru, desil: 6 },
    { id: 'H-MJK-1', villageCode: VILLAGES.mentikan, desil: 2 },
  ]);
  await addPersons(d, [
    { id: 'P-01', householdId: 'H-JBR-1', villageCode: VILLAGES.padomasan, name: 'H. Slamet Riyadi', nik: NIK.slamet, kkNumber: '3509010101200001', birthDate: bornYearsAgo(45), ppks: ['FAKIR_MISKIN'] },
    { id: 'P-02', householdId: 'H-JBR-1', villageCode: VILLAGES.padomasan, name: 'Sumiati', nik: NIK.sumiati, sex: 'F', relationship: 'SPOUSE', birthDate: bornYearsAgo(40), disability: true },
    { id: 'P-03', householdId: 'H-JBR-1', villageCode: VILLAGES.padomasan, name: 'Muhammad Rizky', nik: NIK.shared, relationship: 'CHILD', birthDate: bornYearsAgo(12), ppks: ['ANAK_TELANTAR', 'FAKIR_MISKIN'] },
    { id: 'P-04', householdId: 'H-JBR-2', villageCode: VILLAGES.cakru, name: 'Moh. Riski', nik: NIK.shared, birthDate: bornYearsAgo(36), presence: 'MOVED' },
    { id: 'P-05', householdId: 'H-JBR-2', villageCode: VILLAGES.cakru, name: 'Siti Nurhaliza', sex: 'F', birthDate: bornYearsAgo(37), nik: null },
    { id: 'P-06', householdId: 'H-MJK-1', villageCode: VILLAGES.mentikan, name: 'Muhamad Rizki', nik: NIK.mojo, birthDate: '1970-02-02' },
    { id: 'P-07', householdId: 'H-MJK-1', villageCode: VILLAGES.mentikan, name: 'Sitti Noerhaliza', sex: 'F', birthDate: bornYearsAgo(37) },
  ]);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

describe('person', () => {
  it('reads a person by id with derived fields and the household', async () => {
    const result = await app.as('ADMIN', ['*'], `{ person(id: "P-01") { id nik nikMasked kkNumber name sex birthDate age relationship presence
      disability chronicIllness ppks household { id desil members { id } } enrolments { id } referrals { id } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.person).toEqual({
      id: 'P-01', nik: NIK.slamet, nikMasked: '3509xxxxxxxx0001', kkNumber: '3509010101200001', name: 'H. Slamet Riyadi', sex: 'M',
      birthDate: bornYearsAgo(45), age: 45, relationship: 'HEAD', presence: 'PRESENT', disability: null, chronicIllness: null,
      ppks: ['FAKIR_MISKIN'], household: { id: 'H-JBR-1', desil: 1, members: [{ id: 'P-01' }, { id: 'P-02' }, { id: 'P-03' }] },
      enrolments: [], referrals: [],
    });
  });

  it('reads a person by NIK; with a shared NIK, the first visible one by id', async () => {
    expect((await app.as('ADMIN', ['*'], `{ person(nik: "${NIK.sumiati}") { id } }`)).data).toEqual({ person: { id: 'P-02' } });
    expect((await app.as('ADMIN', ['*'], `{ person(nik: "${NIK.shared}") { id } }`)).data).toEqual({ person: { id: 'P-03' } });
    // P-03 is in 35.09.01: a viewer of 35.09.02 sees the other holder of the NIK.
    expect((await app.as('FACILITATOR', ['35.09.02'], `{ person(nik: "${NIK.shared}") { id } }`)).data).toEqual({ person: { id: 'P-04' } });
  });

  it('reads a person by NIK with its household and the members in one statement (plus the audit write)', async () => {
    const query = `{ person(nik: "${NIK.slamet}") { id name sex age household { id desil members { id name } } } }`;
    const { result, statements } = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'], query));
    expect(result.errors).toBeUndefined();
    const byId = await app.as('MANAGER', ['35.09'], `{ person(id: "${result.data!.person.id}") { id name sex age household { id desil members { id name } } } }`);
    expect(result.data).toEqual(byId.data);
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/regency_code/);
    expect(statements[1]).toMatch(/insert into audit_entries/);
  });

  it('treats a person outside the scope exactly like a missing one, by id and by NIK', async () => {
    const byId = await app.as('MANAGER', ['35.09'], '{ person(id: "P-06") { id } }');
    const missingId = await app.as('MANAGER', ['35.09'], '{ person(id: "P-99") { id } }');
    const byNik = await app.as('MANAGER', ['35.09'], `{ person(nik: "${NIK.mojo}") { id } }`);
    const missingNik = await app.as('MANAGER', ['35.09'], '{ person(nik: "3509019999990009") { id } }');
    for (const result of [byId, missingId, byNik, missingNik]) expect(result).toEqual({ data: { person: null } });
  });

  it.each([
    ['{ person { id } }', 'person needs exactly one of id and nik'],
    [`{ person(id: "P-01", nik: "${NIK.slamet}") { id } }`, 'person needs exactly one of id and nik'],
    ['{ person(nik: "35090112038000") { id } }', 'nik must be a NIK of 16 digits, got "35090112038000"'],
    ['{ person(nik: "350901120380000x") { id } }', 'nik must be a NIK of 16 digits, got "350901120380000x"'],
    ['{ person(nik: "3509011203800001\' or 1=1") { id } }', 'nik must be a NIK of 16 digits, got "3509011203800001\' or 1=1"'],
  ])('refuses %s', async (query, message) => {
    const result = await app.as('ADMIN', ['*'], query);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toBe(message);
  });
});

describe('persons', () => {
  const LIST = 'query($f: PersonFilter, $first: Int, $after: String) { persons(filter: $f, first: $first, after: $after) { edges { node { id } } pageInfo { hasNextPage endCursor } totalCount } }';
  const ids = (result: any) => result.data.persons.edges.map((e: any) => e.node.id);

  it('pages through the scope with cursors', async () => {
    const first = await app.as('MANAGER', ['35.09'], LIST, { first: 3 });
    expect(ids(first)).toEqual(['P-01', 'P-02', 'P-03']);
    expect(first.data!.persons.totalCount).toBe(5);
    const second = await app.as('MANAGER', ['35.09'], LIST, { first: 3, after: first.data!.persons.pageInfo.endCursor });
    expect(ids(second)).toEqual(['P-04', 'P-05']);
    expect(second.data!.persons.pageInfo.hasNextPage).toBe(false);
  });

  it.each([
    [{ sex: 'F' }, ['P-02', 'P-05', 'P-07']],
    [{ ageMin: 40, ageMax: 45 }, ['P-01', 'P-02']],
    [{ ageMin: 41 }, ['P-01', 'P-06']],
    [{ ageMax: 40 }, ['P-02', 'P-03', 'P-04', 'P-05', 'P-07']],
    [{ ageMin: 36, ageMax: 36 }, ['P-04']],
    [{ ageMax: 11 }, []],
    [{ ppks: 'FAKIR_MISKIN' }, ['P-01', 'P-03']],
    [{ ppks: 'ANAK_TELANTAR' }, ['P-03']],
    [{ presence: 'MOVED' }, ['P-04']],
    [{ desilMax: 2 }, ['P-01', 'P-02', 'P-03', 'P-06', 'P-07']],
    [{ regionCode: '35.76' }, ['P-06', 'P-07']],
    [{ regionCode: VILLAGES.cakru, sex: 'M' }, ['P-04']],
  ])('filters %j', async (filter, expected) => {
    const result = await app.as('ADMIN', ['*'], LIST, { f: filter });
    expect(result.errors).toBeUndefined();
    expect(ids(result)).toEqual(expected);
    expect(result.data!.persons.totalCount).toBe(expected.length);
  });

  it('yields nothing for a region outside the scope and counts only the scope', async () => {
    expect((await app.as('MANAGER', ['35.09'], LIST, { f: { regionCode: '35.76' } })).data!.persons.totalCount).toBe(0);
    expect((await app.as('MANAGER', ['35.76'], LIST, { f: { desilMax: 2 } })).data!.persons.totalCount).toBe(2);
  });

  it.each([
    [{ ageMin: -1 }, 'filter.ageMin must be between 0 and 150, got -1'],
    [{ ageMax: 151 }, 'filter.ageMax must be between 0 and 150, got 151'],
    [{ ageMin: 30, ageMax: 20 }, 'filter.ageMin must not be greater than filter.ageMax, got filter.ageMin 30 and filter.ageMax 20'],
    [{ desilMax: 0 }, 'filter.desilMax must be between 1 and 10, got 0'],
    [{ regionCode: 'Jember' }, 'filter.regionCode must be a Kemendagri region code such as 35.09 or 35.09.01.2001, got "Jember"'],
  ])('refuses the filter %j', async (filter, message) => {
    const result = await app.as('ADMIN', ['*'], LIST, { f: filter });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toBe(message);
  });

  it('refuses an unknown enum value in a filter before running anything', async () => {
    expect(codes(await app.as('ADMIN', ['*'], LIST, { f: { ppks: 'NOPE' } }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('searchPersons', () => {
  const SEARCH = 'query($n: String!, $b: Date, $r: String, $first: Int) { searchPersons(name: $n, birthDate: $b, regionCode: $r, first: $first) { score person { id name } } }';
  const found = (result: any) => result.data.searchPersons.map((m: any) => m.person.id);

  it('finds spelling variants and titles, best first, with a score 0..1', async () => {
    const result = await app.as('ADMIN', ['*'], SEARCH, { n: 'Mochammad Rizky, S.Pd.' });
    expect(result.errors).toBeUndefined();
    const matches = result.data!.searchPersons;
    expect(matches[0]).toEqual({ score: 1, person: { id: 'P-03', name: 'Muhammad Rizky' } });
    expect(found(result)).toEqual(expect.arrayContaining(['P-03', 'P-04', 'P-06']));
    const scores = matches.map((m: any) => m.score);
    expect(scores).toEqual([...scores].sort((a: number, b: number) => b - a));
    expect(scores.every((s: number) => s > 0 && s <= 1)).toBe(true);
  });

  it('matches old spelling and Siti/Sitti, Nur/Noer', async () => {
    const result = await app.as('ADMIN', ['*'], SEARCH, { n: 'Hj. Siti Nurhaliza' });
    expect(found(result).slice(0, 2).sort()).toEqual(['P-05', 'P-07']);
    expect(result.data!.searchPersons.slice(0, 2).map((m: any) => m.score)).toEqual([1, 1]);
  });

  it('narrows by birth date and region, and stays in scope', async () => {
    expect(found(await app.as('ADMIN', ['*'], SEARCH, { n: 'Siti Nurhaliza', r: '35.76' }))).toEqual(['P-07']);
    expect(found(await app.as('ADMIN', ['*'], SEARCH, { n: 'Muhammad Rizki', b: '1970-02-02' }))).toEqual(['P-06']);
    const scoped = await app.as('MANAGER', ['35.09'], SEARCH, { n: 'Muhammad Rizki' });
    expect(found(scoped)).not.toContain('P-06');
    expect(found(scoped).length).toBeGreaterThan(0);
    expect(found(await app.as('MANAGER', ['35.09'], SEARCH, { n: 'Muhammad Rizki', r: '35.76' }))).toEqual([]);
  });

  it('honours first', async () => {
    expect(found(await app.as('ADMIN', ['*'], SEARCH, { n: 'Muhammad Rizki', first: 1 }))).toHaveLength(1);
    expect(codes(await app.as('ADMIN', ['*'], SEARCH, { n: 'Rizki', first: 501 }))).toEqual(['BAD_USER_INPUT']);
  });

  it.each([
    [{ n: '' }, 'name must contain a personal name (titles and punctuation alone do not count), got ""'],
    [{ n: 'Dr. H., S.Pd.' }, 'name must contain a personal name (titles and punctuation alone do not count), got "Dr. H., S.Pd."'],
    [{ n: 'a'.repeat(201) }, 'name must be at most 200 characters, got 201'],
    [{ n: 'Rizki', r: '35' + '.09'.repeat(3) }, 'regionCode must be a Kemendagri region code such as 35.09 or 35.09.01.2001, got "35.09.09.09"'],
  ])('refuses %j', async (variables, message) => {
    const result = await app.as('ADMIN', ['*'], SEARCH, variables);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toBe(message);
  });

  it('refuses a birth date that is not a calendar date', async () => {
    expect(codes(await app.as('ADMIN', ['*'], SEARCH, { n: 'Rizki', b: '1990-02-30' }))).toEqual(['BAD_USER_INPUT']);
  });

  it('runs one search statement (plus the audit write), and the trigram index serves it on a large table', async () => {
    const { statements } = await captureStatements(db.database, () => app.as('ADMIN', ['*'], SEARCH, { n: 'Rizki' }));
    // the search, then the one INSERT of the READ audit entries (names are personal data)
    expect(statements).toHaveLength(2);
    expect(statements[1]).toMatch(/insert into audit_entries/);
    // With sequential scans off, the planner must be able to answer `name_norm % q` from a trigram index (GIN or GiST).
    const plan = await db.database.db.transaction(async (tx) => {
      await tx.execute(sql`set local enable_seqscan = off`);
      return db.database.execute<Record<string, string>>(sql`explain select id from persons p where p.name_norm % ${'rizki'}`, tx);
    });
    expect(plan.map((r) => Object.values(r)[0]).join('\n')).toMatch(/persons_name_norm_trgm_(gist_)?idx/);
  });
});

describe('age', () => {
  it('counts whole years on the day of the request', () => {
    const now = new Date('2026-03-01T10:00:00Z');
    expect(ageOn('2000-03-01', now)).toBe(26);
    expect(ageOn('2000-03-02', now)).toBe(25);
    expect(ageOn('2000-02-29', now)).toBe(26);
    expect(ageOn(null, now)).toBeNull();
    expect(yearsBefore(new Date('2024-02-29T00:00:00Z'), 1)).toBe('2023-02-28');
  });
});
