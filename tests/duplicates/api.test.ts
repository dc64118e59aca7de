import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeNik } from '../../src/lib/nik.js';
import { encodeCursor } from '../../src/lib/pagination.js';
import { DuplicateScanner } from '../../src/modules/duplicates/duplicates.scan.js';
import { codes, createTestApp, type GraphQLResult, type TestApp } from '../helpers/app.js';
import { captureStatements, openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addEnrolments, addHouseholds, addPersons, VILLAGES } from '../helpers/fixtures.js';
import { ADMIN, META, storedCandidates } from './helpers.js';

/**
 * The GraphQL side: scope and guards of scanDuplicates, duplicateEnrolments and reviewDuplicate,
 * hostile input (nothing stored), keyset pages, and the statements of a page.
 */
let db: TestDatabase;
let app: TestApp;

const PAIRS = 60;
const pad = (n: number) => String(n).padStart(3, '0');
const nik = (serial: number, district = '35.09.01') => composeNik(district, '1970-04-04', 'M', serial);
const { padomasan: P, mentikan: M } = VILLAGES;
const PKH_PM = { programs: ['PKH'] };

const SCAN = `mutation($program: String, $regionCode: String) {
  scanDuplicates(program: $program, regionCode: $regionCode) { candidates newCandidates tookMs incremental compared byKind { kind candidates newCandidates } } }`;
const REVIEW = `mutation($id: ID!, $decision: ReviewStatus!, $note: String) {
  reviewDuplicate(id: $id, decision: $decision, note: $note) { id status reviewNote reviewedAt } }`;
const LIST = `query($filter: DuplicateFilter, $first: Int, $after: String) {
  duplicateEnrolments(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id kind score status evidence programs { code } enrolments { id nik name program { code } region { code } person { id name } } } } } }`;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  await addHouseholds(db.database, Array.from({ length: PAIRS }, (_, i) => ({ id: `H${pad(i)}`, villageCode: P })));
  await addPersons(db.database, Array.from({ length: PAIRS }, (_, i) => ({ id: `P${pad(i)}`, householdId: `H${pad(i)}`, villageCode: P, nik: nik(i + 1), name: `Warga ${pad(i)}` })));
  // 60 PKH pairs of one NIK in Jember (resolved to their DTKS person); a BPNT pair; a pair in Mojokerto;
  // BLT_DD + PKH of one NIK (exclusive).
  await addEnrolments(db.database, [
    ...Array.from({ length: PAIRS }, (_, i) => [
      { id: `E${pad(i)}a`, programCode: 'PKH', villageCode: P, nik: nik(i + 1), personId: `P${pad(i)}`, householdId: `H${pad(i)}` },
      { id: `E${pad(i)}b`, programCode: 'PKH', villageCode: P, nik: nik(i + 1), personId: `P${pad(i)}`, householdId: `H${pad(i)}` },
    ]).flat(),
    { id: 'BPa', programCode: 'BPNT', villageCode: P, nik: nik(500) },
    { id: 'BPb', programCode: 'BPNT', villageCode: P, nik: nik(500) },
    { id: 'MJa', programCode: 'PKH', villageCode: M, nik: nik(600, '35.76.01') },
    { id: 'MJb', programCode: 'PKH', villageCode: M, nik: nik(600, '35.76.01') },
    { id: 'XLa', programCode: 'BLT_DD', villageCode: P, nik: nik(700) },
    { id: 'XLb', programCode: 'PKH', villageCode: P, nik: nik(700) },
  ]);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

const counts = async () => db.database.execute<{ c: number; s: number; m: number; open: number }>(sql`
  select (select count(*)::int from duplicate_candidates) as c, (select count(*)::int from duplicate_scans) as s,
         (select count(*)::int from audit_entries where action = 'MUTATION') as m,
         (select count(*)::int from duplicate_candidates where status = 'OPEN') as open`).then((r) => r[0]);

describe('scanDuplicates', () => {
  it('refuses bad, unknown and out-of-scope arguments and roles, storing nothing', async () => {
    const before = await counts();
    const cases: Array<[string, GraphQLResult, string]> = [
      ['unknown program', await app.as('ADMIN', ['*'], SCAN, { program: 'NOPE' }), 'BAD_USER_INPUT'],
      ['malformed program', await app.as('ADMIN', ['*'], SCAN, { program: "PKH'; drop table x" }), 'BAD_USER_INPUT'],
      ['unknown region', await app.as('ADMIN', ['*'], SCAN, { regionCode: '35.99' }), 'BAD_USER_INPUT'],
      ['malformed region', await app.as('ADMIN', ['*'], SCAN, { regionCode: '35.09%' }), 'BAD_USER_INPUT'],
      ['region out of scope', await app.as('PROGRAM_MANAGER', ['35.09'], SCAN, { regionCode: '35.76' }, PKH_PM), 'FORBIDDEN'],
      ['another program', await app.as('PROGRAM_MANAGER', ['35.09'], SCAN, { program: 'BPNT' }, PKH_PM), 'FORBIDDEN'],
      ['a MANAGER', await app.as('MANAGER', ['35.09'], SCAN, {}), 'FORBIDDEN'],
      ['an ANALYST', await app.as('ANALYST', ['*'], SCAN, {}), 'FORBIDDEN'],
    ];
    for (const [label, result, code] of cases) {
      expect(codes(result), label).toEqual([code]);
      expect(result.data ?? null, label).toBeNull();
    }
    expect(cases[0][1].errors![0].message).toBe('program must be the code of a known program, got "NOPE"');
    const after = await counts();
    expect({ c: after.c, s: after.s, m: after.m }).toEqual({ c: before.c, s: before.s, m: before.m });
  });

  it('lets a PROGRAM_MANAGER scan its programs in its regions, counting what it may see', async () => {
    const result = await app.as('PROGRAM_MANAGER', ['35.09'], SCAN, {}, PKH_PM);
    expect(result.errors).toBeUndefined();
    expect(result.data!.scanDuplicates).toMatchObject({ candidates: PAIRS + 1, newCandidates: PAIRS + 1, incremental: false });
    // Only PKH candidates with an enrolment in Jember were stored: not BPNT's, not Mojokerto's.
    expect((await storedCandidates(db.database)).some((c) => c.programs.includes('BPNT') && !c.programs.includes('PKH'))).toBe(false);
    const [audit] = await db.database.execute<{ subject_type: string; actor: string }>(sql`
      select subject_type, actor from audit_entries where action = 'MUTATION' order by id desc limit 1`);
    expect(audit).toEqual({ subject_type: 'DuplicateScan', actor: 'test-program_manager' });
    // The national scan finds the rest.
    const national = await new DuplicateScanner(db.database).scan(ADMIN, {}, META);
    expect(national.newCandidates).toBe(2);
  });
});

describe('duplicateEnrolments', () => {
  it('shows a PROGRAM_MANAGER only candidates of its programs, listing only its enrolments', async () => {
    const result = await app.as('PROGRAM_MANAGER', ['35.09'], LIST, { filter: { kind: 'EXCLUSIVE_PROGRAMS' } }, PKH_PM);
    expect(result.errors).toBeUndefined();
    const [edge] = result.data!.duplicateEnrolments.edges;
    expect(result.data!.duplicateEnrolments.totalCount).toBe(1);
    expect(edge.node.programs.map((p: { code: string }) => p.code)).toEqual(['BLT_DD', 'PKH']);
    expect(edge.node.enrolments.map((e: { id: string }) => e.id)).toEqual(['XLb']);
    const bpnt = await app.as('PROGRAM_MANAGER', ['*'], LIST, { filter: { program: 'BPNT' } }, PKH_PM);
    expect(bpnt.data!.duplicateEnrolments.totalCount).toBe(0);
    const elsewhere = await app.as('PROGRAM_MANAGER', ['35.76'], LIST, {}, PKH_PM);
    expect(elsewhere.data!.duplicateEnrolments.edges.map((e: any) => e.node.enrolments.map((x: any) => x.id))).toEqual([['MJa', 'MJb']]);
    const national = await app.as('ADMIN', ['*'], LIST, { filter: { regionCode: '35.76' } });
    expect(national.data!.duplicateEnrolments.totalCount).toBe(1);
    const all = await app.as('ADMIN', ['*'], LIST, { filter: { kind: 'SAME_NIK', status: 'OPEN', minScore: 1 }, first: 500 });
    expect(all.data!.duplicateEnrolments.totalCount).toBe(PAIRS + 2);
  });

  it('pages by keyset and refuses foreign or forged cursors', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const result: GraphQLResult = await app.as('PROGRAM_MANAGER', ['35.09'], LIST, { first: 25, after }, PKH_PM);
      expect(result.errors).toBeUndefined();
      const connection: any = result.data!.duplicateEnrolments;
      seen.push(...connection.edges.map((e: any) => e.node.id));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(PAIRS + 1);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort((a, b) => Number(a) - Number(b))).toEqual(seen);
    for (const cursor of [encodeCursor('enrolments', '1'), encodeCursor('duplicates', 'x1'), 'garbage!']) {
      expect(codes(await app.as('ADMIN', ['*'], LIST, { after: cursor })), cursor).toEqual(['BAD_USER_INPUT']);
    }
    expect(codes(await app.as('ADMIN', ['*'], LIST, { first: 501 }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.as('ADMIN', ['*'], LIST, { filter: { minScore: 2 } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.as('ADMIN', ['*'], LIST, { filter: { program: 'NOPE' } }))).toEqual(['BAD_USER_INPUT']);
  });

  it('is refused to roles without a review queue, and audits identity fields of listed enrolments', async () => {
    for (const role of ['ANALYST', 'EXTERNAL_APP', 'AUDITOR'] as const) {
      const result = await app.as(role, ['*'], LIST, {});
      expect(codes(result), role).toContain('FORBIDDEN');
    }
    await app.as('PROGRAM_MANAGER', ['35.09'], LIST, { filter: { kind: 'EXCLUSIVE_PROGRAMS' } }, PKH_PM);
    const [read] = await db.database.execute<{ subject_id: string; fields: string[] }>(sql`
      select subject_id, fields from audit_subject_entries where action = 'READ' and subject_type = 'Enrolment' order by id desc limit 1`);
    expect(read).toEqual({ subject_id: 'XLb', fields: ['name', 'nik'] });
  });

  it('runs the same few statements for a page of 5 and of 50, enrolments and persons included', async () => {
    const query = `query($first: Int) { duplicateEnrolments(first: $first, filter: {program: "PKH"}) {
      edges { node { id score enrolments { id nik program { code } person { id name household { id } } } } } } }`;
    const five = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'], query, { first: 5 }));
    const fifty = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'], query, { first: 50 }));
    expect(fifty.result.errors).toBeUndefined();
    expect(fifty.result.data!.duplicateEnrolments.edges).toHaveLength(50);
    const persons = fifty.result.data!.duplicateEnrolments.edges.flatMap((e: any) => e.node.enrolments.map((x: any) => x.person?.name));
    expect(persons.filter((n: string | undefined) => n?.startsWith('Warga '))).toHaveLength(98);
    // the filter's program check, the page with its enrolments, their programs, their persons
    // (households prefetched with them), and the one INSERT of the request's READ audit entries
    expect(five.statements).toHaveLength(5);
    expect(fifty.statements).toHaveLength(five.statements.length);
    expect(fifty.statements.at(-1)).toMatch(/insert into audit_entries/);
  });
});

describe('reviewDuplicate', () => {
  it('refuses hostile input and out-of-scope ids, storing nothing', async () => {
    const [pkh] = await storedCandidates(db.database, sql`c.kind = 'SAME_NIK' and c.program_codes = '{PKH}' and c.regency_code = '35.09'`);
    const [bpnt] = await storedCandidates(db.database, sql`c.program_codes = '{BPNT}'`);
    const [mojokerto] = await storedCandidates(db.database, sql`c.regency_code = '35.76'`);
    const before = await counts();
    const as = (vars: Record<string, unknown>, role: 'PROGRAM_MANAGER' | 'MANAGER' = 'PROGRAM_MANAGER') =>
      app.as(role, ['35.09'], REVIEW, vars, PKH_PM);
    const cases: Array<[string, Record<string, unknown>, string, string?]> = [
      ['unknown id', { id: '987654321', decision: 'DISMISSED', note: 'x' }, 'NOT_FOUND'],
      ['another program', { id: bpnt.id, decision: 'DISMISSED', note: 'x' }, 'NOT_FOUND'],
      ['another regency', { id: mojokerto.id, decision: 'DISMISSED', note: 'x' }, 'NOT_FOUND'],
      ['malformed id', { id: "1 or 1=1", decision: 'DISMISSED', note: 'x' }, 'BAD_USER_INPUT'],
      ['1 MB note', { id: pkh.id, decision: 'DISMISSED', note: 'a'.repeat(1 << 20) }, 'BAD_USER_INPUT'],
      ['control characters', { id: pkh.id, decision: 'DISMISSED', note: 'bukan\u0000duplikat\u001b[2J' }, 'BAD_USER_INPUT'],
      ['dismiss without a note', { id: pkh.id, decision: 'DISMISSED' }, 'BAD_USER_INPUT'],
      ['decision OPEN', { id: pkh.id, decision: 'OPEN', note: 'x' }, 'BAD_USER_INPUT'],
      ['decision RESOLVED', { id: pkh.id, decision: 'RESOLVED', note: 'x' }, 'BAD_USER_INPUT'],
      ['a MANAGER', { id: pkh.id, decision: 'CONFIRMED' }, 'FORBIDDEN', 'MANAGER'],
    ];
    for (const [label, vars, code, role] of cases) {
      const result = await as(vars, role as never);
      expect(codes(result), label).toEqual([code]);
      expect(result.data ?? null, label).toBeNull();
    }
    const after = await counts();
    expect(after).toEqual(before);
    expect((await storedCandidates(db.database, sql`c.id = ${pkh.id}::bigint`))[0].status).toBe('OPEN');
  });

  it('confirms with the reviewer, the time and a MUTATION entry; a second decision is refused', async () => {
    const [pkh] = await storedCandidates(db.database, sql`c.kind = 'SAME_NIK' and c.program_codes = '{PKH}' and c.regency_code = '35.09'`);
    const confirmed = await app.as('PROGRAM_MANAGER', ['35.09'], REVIEW, { id: pkh.id, decision: 'CONFIRMED', note: '  Terdaftar dua kali.  ' }, PKH_PM);
    expect(confirmed.errors).toBeUndefined();
    expect(confirmed.data!.reviewDuplicate).toMatchObject({ id: pkh.id, status: 'CONFIRMED', reviewNote: 'Terdaftar dua kali.' });
    expect(Date.now() - Date.parse(confirmed.data!.reviewDuplicate.reviewedAt)).toBeLessThan(60_000);
    const [entry] = await db.database.execute<{ subject_type: string; subject_id: string; fields: string[] }>(sql`
      select subject_type, subject_id, fields from audit_entries where action = 'MUTATION' order by id desc limit 1`);
    expect(entry).toEqual({ subject_type: 'DuplicateCandidate', subject_id: pkh.id, fields: ['reviewNote', 'reviewedAt', 'status'] });
    const again = await app.as('ADMIN', ['*'], REVIEW, { id: pkh.id, decision: 'DISMISSED', note: 'salah' });
    expect(codes(again)).toEqual(['BAD_USER_INPUT']);
    expect(again.errors![0].message).toMatch(/CONFIRMED cannot become DISMISSED/);
  });
});
