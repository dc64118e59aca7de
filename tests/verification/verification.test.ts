import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeKkNumber, composeNik } from '../../src/lib/nik.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { captureStatements, openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addCivilRecords, addEnrolments, addHouseholds, addPersons, VILLAGES } from '../helpers/fixtures.js';

/**
 * CONTRACT.md section 5 on named fixtures: every issue alone, several at once (in severity
 * order), the status filters of persons and enrolments (scoped), and the statement counts.
 */
let db: TestDatabase;
let app: TestApp;

const KK = composeKkNumber('35.09.01', '2015-03-02', 1);
const OTHER_KK = composeKkNumber('35.09.01', '2019-08-17', 2);
const nik = (serial: number, sex: 'M' | 'F' = 'M', birthDate = '1980-01-15') => composeNik('35.09.01', birthDate, sex, serial);

interface Case {
  id: string;
  name: string;
  nik: string | null;
  sex?: 'M' | 'F';
  birthDate?: string | null;
  kkNumber?: string;
  /** The civil-registry row of this NIK: what differs from the record; absent: no row. */
  civil?: { name?: string; sex?: 'M' | 'F'; birthDate?: string | null; villageCode?: string; deathDate?: string; kkNumber?: string };
  issues: string[];
}

/** Persons of household H1 (Padomasan, Jember). Each enrolment `E<id>` lists the same identity. */
const CASES: Case[] = [
  { id: 'VERIFIED', name: 'Budi Santoso', nik: nik(1), civil: {}, issues: [] },
  { id: 'VARIANT', name: 'Hj. Sitti Aminah, S.Pd.', nik: nik(2, 'F'), sex: 'F', civil: { name: 'SITI AMINAH' }, issues: [] },
  { id: 'NO_BIRTHDATE', name: 'Agus Salim', nik: nik(3), birthDate: null, civil: {}, issues: [] },
  { id: 'BAD_MONTH', name: 'Joko Widodo', nik: '3509011513800001', civil: undefined, issues: ['INVALID_NIK'] },
  { id: 'EMPTY_NIK', name: 'Tanpa NIK', nik: '', issues: ['INVALID_NIK'] },
  { id: 'NULL_NIK', name: 'Tanpa NIK Juga', nik: null, issues: ['INVALID_NIK'] },
  { id: 'NOT_FOUND', name: 'Eko Prasetyo', nik: nik(4), issues: ['NOT_FOUND'] },
  { id: 'DECEASED', name: 'Slamet Riyadi', nik: nik(5), civil: { deathDate: '2024-02-01' }, issues: ['DECEASED'] },
  { id: 'NAME', name: 'Budi Hartono', nik: nik(6), civil: { name: 'Budi Santoso' }, issues: ['NAME_MISMATCH'] },
  { id: 'BIRTHDATE', name: 'Rina Wulandari', nik: nik(7, 'F'), sex: 'F', civil: { birthDate: '1981-01-15' }, issues: ['BIRTHDATE_MISMATCH'] },
  { id: 'SEX', name: 'Dwi Setiawan', nik: nik(8), civil: { sex: 'F' }, issues: ['SEX_MISMATCH'] },
  { id: 'MOVED', name: 'Heru Purnomo', nik: nik(9), civil: { villageCode: VILLAGES.mentikan }, issues: ['MOVED'] },
  { id: 'MOVED_SAME_REGENCY', name: 'Wahyu Nugroho', nik: nik(10), civil: { villageCode: VILLAGES.cakru }, issues: [] },
  { id: 'KK', name: 'Indah Permata', nik: nik(11, 'F'), sex: 'F', civil: { kkNumber: OTHER_KK }, issues: ['KK_MISMATCH'] },
  {
    id: 'DEAD_AND_MORE', name: 'Ahmad Fauzi', nik: nik(12), civil: { name: 'Ahmad Dahlan', deathDate: '2023-05-05', villageCode: VILLAGES.tanahGaram, kkNumber: OTHER_KK },
    issues: ['DECEASED', 'NAME_MISMATCH', 'MOVED', 'KK_MISMATCH'],
  },
  {
    id: 'ALL_MISMATCHES', name: 'Sri Wahyuni', nik: nik(13, 'F'), sex: 'F',
    civil: { name: 'Sri Mulyani', birthDate: '1979-01-15', sex: 'M', villageCode: VILLAGES.mentikan, kkNumber: OTHER_KK },
    issues: ['NAME_MISMATCH', 'BIRTHDATE_MISMATCH', 'SEX_MISMATCH', 'MOVED', 'KK_MISMATCH'],
  },
];

/** Enrolment lists carry no sex: SEX_MISMATCH is not checked for them. */
const enrolmentIssues = (c: Case) => c.issues.filter((i) => i !== 'SEX_MISMATCH');
const statusOf = (issues: string[]) => issues[0] ?? 'VERIFIED';
const STATUSES = ['VERIFIED', 'INVALID_NIK', 'NOT_FOUND', 'DECEASED', 'NAME_MISMATCH', 'BIRTHDATE_MISMATCH', 'SEX_MISMATCH', 'MOVED', 'KK_MISMATCH'];
/** Filler enrolments for the page of 100 (all NOT_FOUND: valid NIKs nobody registered). */
const FILLER = 110;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  const d = db.database;
  await addHouseholds(d, [{ id: 'H1', villageCode: VILLAGES.padomasan }, { id: 'HM', villageCode: VILLAGES.mentikan }]);
  await addPersons(d, [
    ...CASES.map((c) => ({
      id: c.id, householdId: 'H1', villageCode: VILLAGES.padomasan, name: c.name, nik: c.nik, sex: c.sex ?? 'M' as const,
      birthDate: c.birthDate === undefined ? '1980-01-15' : c.birthDate, kkNumber: c.kkNumber ?? KK,
    })),
    // A Mojokerto person whose civil row is fine: out of a Jember viewer's scope.
    { id: 'MOJO', householdId: 'HM', villageCode: VILLAGES.mentikan, name: 'Mojo Kerto', nik: composeNik('35.76.01', '1970-07-07', 'M', 1), birthDate: '1970-07-07', kkNumber: KK },
  ]);
  await addCivilRecords(d, [
    ...CASES.filter((c) => c.civil).map((c) => ({
      nik: c.nik!, name: c.civil!.name ?? c.name, sex: c.civil!.sex ?? c.sex ?? 'M',
      birthDate: c.civil!.birthDate === undefined ? '1980-01-15' : c.civil!.birthDate,
      villageCode: c.civil!.villageCode ?? VILLAGES.padomasan, deathDate: c.civil!.deathDate ?? null, kkNumber: c.civil!.kkNumber ?? KK,
    })),
    { nik: composeNik('35.76.01', '1970-07-07', 'M', 1), name: 'Mojo Kerto', sex: 'M', birthDate: '1970-07-07', villageCode: VILLAGES.mentikan, kkNumber: KK, deathDate: '2022-01-01' },
  ]);
  await addEnrolments(d, [
    ...CASES.map((c) => ({
      id: `E-${c.id}`, programCode: 'PKH', villageCode: VILLAGES.padomasan, nik: c.nik, name: c.name,
      birthDate: c.birthDate === undefined ? '1980-01-15' : c.birthDate, kkNumber: c.kkNumber ?? KK, personId: c.id, householdId: 'H1',
    })),
    // Deceased, but no longer active, or in another program: not in the PKH-ACTIVE query.
    { id: 'E-DECEASED-SUSPENDED', programCode: 'PKH', status: 'SUSPENDED' as const, villageCode: VILLAGES.padomasan, nik: nik(5), name: 'Slamet Riyadi', birthDate: '1980-01-15', kkNumber: KK, personId: 'DECEASED' },
    { id: 'E-DECEASED-BPNT', programCode: 'BPNT', villageCode: VILLAGES.keting, nik: nik(5), name: 'Slamet Riyadi', birthDate: '1980-01-15', kkNumber: KK, personId: 'DECEASED' },
    // Deceased and active in PKH, but delivered in Mojokerto.
    { id: 'E-MOJO', programCode: 'PKH', villageCode: VILLAGES.mentikan, nik: composeNik('35.76.01', '1970-07-07', 'M', 1), name: 'Mojo Kerto', birthDate: '1970-07-07', kkNumber: KK, personId: 'MOJO' },
    ...Array.from({ length: FILLER }, (_, i) => ({
      id: `F-${String(i).padStart(3, '0')}`, programCode: 'BPNT', villageCode: VILLAGES.cakru, nik: nik(1000 + i), name: `Pengisi ${i}`, birthDate: '1980-01-15', kkNumber: KK,
    })),
  ]);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

const V = 'verification { status issues nameSimilarity }';

describe('Person.verification', () => {
  it('reports every issue of section 5, alone and together, in severity order', async () => {
    const result = await app.as('MANAGER', ['35.09'], `{ persons(first: 100) { edges { node { id ${V} } } } }`);
    expect(result.errors).toBeUndefined();
    const byId = Object.fromEntries(result.data!.persons.edges.map((e: any) => [e.node.id, e.node.verification]));
    for (const c of CASES) {
      expect(byId[c.id], c.id).toMatchObject({ issues: c.issues, status: statusOf(c.issues) });
    }
    expect(Object.keys(byId).sort()).toEqual(CASES.map((c) => c.id).sort());
  });

  it('gives nameSimilarity from the normalised names, null without a civil row', async () => {
    const result = await app.as('ADMIN', ['*'], `{ a: person(id: "VARIANT") { ${V} } b: person(id: "NAME") { ${V} }
      c: person(id: "NOT_FOUND") { ${V} } d: person(id: "BAD_MONTH") { ${V} } e: person(id: "EMPTY_NIK") { ${V} } }`);
    expect(result.errors).toBeUndefined();
    const d = result.data!;
    expect(d.a.verification.nameSimilarity).toBe(1);
    expect(d.b.verification.nameSimilarity).toBeGreaterThan(0.2);
    expect(d.b.verification.nameSimilarity).toBeLessThan(0.6);
    expect([d.c, d.d, d.e].map((x: any) => x.verification.nameSimilarity)).toEqual([null, null, null]);
  });

  it('filters persons by every status, counted alike, in one statement', async () => {
    for (const status of STATUSES) {
      const { result, statements } = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'],
        'query($s: VerificationStatus) { persons(filter: { verificationStatus: $s }, first: 100) { totalCount edges { node { id verification { status } } } } }', { s: status }));
      expect(result.errors, status).toBeUndefined();
      const expected = CASES.filter((c) => statusOf(c.issues) === status).map((c) => c.id).sort();
      const page = result.data!.persons;
      expect(page.edges.map((e: any) => e.node.id), status).toEqual(expected);
      expect(page.totalCount, status).toBe(expected.length);
      for (const e of page.edges) expect(e.node.verification.status).toBe(status);
      // the page (verifications planned into it) and its count
      expect(statements, status).toHaveLength(2);
    }
  });

  it('keeps the filter inside the viewer\'s scope', async () => {
    const jember = await app.as('MANAGER', ['35.09'], '{ persons(filter: { verificationStatus: DECEASED }) { edges { node { id } } } }');
    expect(jember.data!.persons.edges.map((e: any) => e.node.id)).toEqual(['DEAD_AND_MORE', 'DECEASED']);
    const mojokerto = await app.as('MANAGER', ['35.76'], '{ persons(filter: { verificationStatus: DECEASED }) { edges { node { id } } } }');
    expect(mojokerto.data!.persons.edges.map((e: any) => e.node.id)).toEqual(['MOJO']);
    const elsewhere = await app.as('MANAGER', ['35.10'], '{ persons(filter: { verificationStatus: DECEASED }) { totalCount edges { node { id } } } }');
    expect(elsewhere.data!.persons).toEqual({ totalCount: 0, edges: [] });
  });

  it('refuses a status that is not one', async () => {
    const result = await app.as('ADMIN', ['*'], '{ persons(filter: { verificationStatus: ALIVE }) { totalCount } }');
    expect(result.errors?.[0].message).toMatch(/ALIVE/);
    expect(result.data).toBeUndefined();
  });
});

describe('Enrolment.verification', () => {
  it('compares the listed identity, without SEX_MISMATCH (lists carry no sex)', async () => {
    const result = await app.as('MANAGER', ['35.09'], `{ enrolments(filter: { program: "PKH", status: ACTIVE }, first: 100) { edges { node { id ${V} } } } }`);
    expect(result.errors).toBeUndefined();
    const byId = Object.fromEntries(result.data!.enrolments.edges.map((e: any) => [e.node.id, e.node.verification]));
    for (const c of CASES) expect(byId[`E-${c.id}`], c.id).toMatchObject({ issues: enrolmentIssues(c), status: statusOf(enrolmentIssues(c)) });
    expect(Object.keys(byId)).toHaveLength(CASES.length);
  });

  it('answers "every deceased person still ACTIVE in PKH in Jember" in one statement', async () => {
    const query = `{ enrolments(filter: { program: "PKH", status: ACTIVE, regionCode: "35.09", verificationStatus: DECEASED }) { edges { node { id } } } }`;
    const { result, statements } = await captureStatements(db.database, () => app.as('ADMIN', ['*'], query));
    expect(result.errors).toBeUndefined();
    expect(result.data!.enrolments.edges.map((e: any) => e.node.id)).toEqual(['E-DEAD_AND_MORE', 'E-DECEASED']);
    // The program check (programs by code) and the one statement that finds the rows.
    expect(statements).toHaveLength(2);
    expect(statements.filter((s) => /from enrolments/.test(s))).toHaveLength(1);
  });

  it('filters enrolments by every status, counted alike', async () => {
    for (const status of STATUSES) {
      const result = await app.as('MANAGER', ['35.09'],
        'query($s: VerificationStatus) { enrolments(filter: { program: "PKH", status: ACTIVE, verificationStatus: $s }, first: 100) { totalCount edges { node { id verification { status } } } } }', { s: status });
      expect(result.errors, status).toBeUndefined();
      const expected = CASES.filter((c) => statusOf(enrolmentIssues(c)) === status).map((c) => `E-${c.id}`).sort();
      expect(result.data!.enrolments.edges.map((e: any) => e.node.id), status).toEqual(expected);
      expect(result.data!.enrolments.totalCount, status).toBe(expected.length);
    }
  });

  it('keeps a PROGRAM_MANAGER to its programs', async () => {
    const pkh = await app.as('PROGRAM_MANAGER', ['35.09'], '{ enrolments(filter: { verificationStatus: DECEASED }) { edges { node { id } } } }', {}, { programs: ['BPNT'] });
    expect(pkh.data!.enrolments.edges.map((e: any) => e.node.id)).toEqual(['E-DECEASED-BPNT']);
  });

  it('reads a page of 100 enrolments with their verification in the page\'s one statement, whatever the page size', async () => {
    const page = (withVerification: boolean) => `query($first: Int) { enrolments(first: $first) { edges { node { id ${withVerification ? V : ''} } } } }`;
    const plain = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'], page(false), { first: 100 }));
    const ten = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'], page(true), { first: 10 }));
    const hundred = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'], page(true), { first: 100 }));
    expect(hundred.result.errors).toBeUndefined();
    const nodes = hundred.result.data!.enrolments.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(100);
    expect(nodes.filter((n: any) => n.id.startsWith('F-')).every((n: any) => n.verification.status === 'NOT_FOUND')).toBe(true);
    expect(nodes.find((n: any) => n.id === 'E-DEAD_AND_MORE').verification).toEqual({ status: 'DECEASED', issues: ['DECEASED', 'NAME_MISMATCH', 'MOVED', 'KK_MISMATCH'], nameSimilarity: expect.any(Number) });
    expect(plain.statements).toHaveLength(1);
    expect(ten.statements).toHaveLength(1);
    expect(hundred.statements).toHaveLength(1);
    // With person too: still the page's one statement (persons and households joined after the LIMIT).
    const both = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'], `{ enrolments(first: 100) { edges { node { id ${V} person { id ${V} } } } } }`));
    expect(both.result.errors).toBeUndefined();
    expect(both.result.data!.enrolments.edges.find((e: any) => e.node.id === 'E-SEX').node).toMatchObject({
      verification: { status: 'VERIFIED' }, person: { id: 'SEX', verification: { status: 'SEX_MISMATCH' } },
    });
    // the page, the persons and their verifications planned into it
    expect(both.statements).toHaveLength(1);
  });

  it('batches nested verifications too: persons and their enrolments, one statement each', async () => {
    const query = `{ persons(first: 100) { edges { node { ${V} enrolments { ${V} person { ${V} } } } } } }`;
    const { result, statements } = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'], query));
    expect(result.errors).toBeUndefined();
    const deceased = result.data!.persons.edges.find((e: any) => e.node.verification.issues.length === 1 && e.node.verification.status === 'DECEASED');
    expect(deceased.node.enrolments.map((e: any) => e.verification.status)).toEqual(['DECEASED', 'DECEASED', 'DECEASED']);
    // persons page with the person verifications, their enrolments, the enrolment verifications and
    // the enrolments' persons with theirs, all planned into the page's one statement.
    expect(statements.map((s) => s.replace(/\s+/g, ' ').slice(0, 40))).toHaveLength(1);
  });
});
