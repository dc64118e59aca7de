import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codes, createTestApp, type TestApp } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addEnrolments, addHouseholds, addPersons, addReferrals, VILLAGES } from '../helpers/fixtures.js';

let db: TestDatabase;
let app: TestApp;
let mark = 0;

interface Entry { actor: string; role: string; action: string; operation: string | null; subject_type: string | null; subject_id: string | null; fields: string[]; village_code: string | null }
/**
 * Entries written since the last mark, oldest first, one per subject (READ entries of a request
 * are stored one row per subject type and field set: the view reads them per subject).
 */
const entries = () => db.database.execute<Entry>(sql`
  select actor, role, action, operation, subject_type, subject_id, fields, village_code from audit_subject_entries
  where id > ${mark} order by id, n`);

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  await addHouseholds(db.database, [
    { id: 'H-A1', villageCode: VILLAGES.padomasan }, { id: 'H-A2', villageCode: VILLAGES.mentikan },
  ]);
  await addPersons(db.database, [
    { id: 'P-A1', householdId: 'H-A1', villageCode: VILLAGES.padomasan, nik: '3509010101900001', name: 'Ahmad Dahlan', disability: false, birthDate: '1990-01-01' },
    { id: 'P-A2', householdId: 'H-A1', villageCode: VILLAGES.padomasan, nik: '3509014101920002', name: 'Siti Walidah' },
    { id: 'P-A3', householdId: 'H-A2', villageCode: VILLAGES.mentikan, nik: '3576010101900003', name: 'Bagus Hadi' },
  ]);
  await addEnrolments(db.database, [{ id: 'E-A1', programCode: 'PKH', villageCode: VILLAGES.padomasan, nik: '3509014101920002', name: 'Siti Walidah' }]);
  await addReferrals(db.database, [{ id: 'R-A1', villageCode: VILLAGES.padomasan, householdId: 'H-A1' }]);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});
beforeEach(async () => {
  const [{ id }] = await db.database.execute<{ id: number }>(sql`select coalesce(max(id), 0)::int as id from audit_entries`);
  mark = id;
});

describe('READ entries', () => {
  it('are written before the response, one per subject with the fields returned', async () => {
    const result = await app.as('MANAGER', ['35.09'], 'query Profil { household(id: "H-A1") { address members { id name nik disability age } } }');
    expect(result.errors).toBeUndefined();
    // The response has been produced: its entries are already in the table.
    const written = await entries();
    expect(written).toEqual([
      { actor: 'test-manager', role: 'MANAGER', action: 'READ', operation: 'Profil', subject_type: 'Household', subject_id: 'H-A1', fields: ['address'], village_code: VILLAGES.padomasan },
      { actor: 'test-manager', role: 'MANAGER', action: 'READ', operation: 'Profil', subject_type: 'Person', subject_id: 'P-A1', fields: ['disability', 'name', 'nik'], village_code: VILLAGES.padomasan },
      { actor: 'test-manager', role: 'MANAGER', action: 'READ', operation: 'Profil', subject_type: 'Person', subject_id: 'P-A2', fields: ['disability', 'name', 'nik'], village_code: VILLAGES.padomasan },
    ]);
  });

  it('are stored as one row per subject type and field set, and auditLog still answers per subject', async () => {
    const result = await app.as('MANAGER', ['35.09'], 'query Halaman { household(id: "H-A1") { members { id name } } }');
    expect(result.errors).toBeUndefined();
    const stored = await db.database.execute<{ subject_id: string | null; subject_ids: string[]; village_codes: string[]; fields: string[] }>(sql`
      select subject_id, subject_ids, village_codes, fields from audit_entries where id > ${mark} order by id`);
    expect(stored).toEqual([{ subject_id: null, subject_ids: ['P-A1', 'P-A2'], village_codes: [VILLAGES.padomasan, VILLAGES.padomasan], fields: ['name'] }]);
    const one = await app.as('AUDITOR', ['35.09'], '{ auditLog(filter: { subjectId: "P-A2", action: READ }, first: 1) { totalCount edges { node { subjectId operation fields } } } }');
    expect(one.data!.auditLog.edges[0].node).toEqual({ subjectId: 'P-A2', operation: 'Halaman', fields: ['name'] });
    // Keyset pages step through the subjects of one row.
    const q = 'query($a: String) { auditLog(first: 1, after: $a, filter: { actor: "test-manager" }) { edges { node { id subjectId } } pageInfo { endCursor } } }';
    const first = await app.as('ADMIN', ['*'], q);
    const second = await app.as('ADMIN', ['*'], q, { a: first.data!.auditLog.pageInfo.endCursor });
    expect([first, second].map((r) => r.data!.auditLog.edges[0].node.subjectId)).toEqual(['P-A1', 'P-A2']);
    expect(first.data!.auditLog.edges[0].node.id).not.toBe(second.data!.auditLog.edges[0].node.id);
    // Out of the subjects' region, the row's subjects are not listed.
    const elsewhere = await app.as('AUDITOR', ['35.76'], '{ auditLog(filter: { subjectId: "P-A2" }) { totalCount } }');
    expect(elsewhere.data!.auditLog.totalCount).toBe(0);
  });

  it('cover enrolment identities and complaint fields', async () => {
    await app.as('ADMIN', ['*'], '{ enrolments { edges { node { id nik } } } household(id: "H-A1") { referrals { description } } }');
    const written = await entries();
    expect(written.map((e) => [e.subject_type, e.subject_id, e.fields])).toEqual([
      ['Enrolment', 'E-A1', ['nik']], ['Referral', 'R-A1', ['description']],
    ]);
  });

  it('are not written for fields that are not personal data, nor for out-of-scope records', async () => {
    await app.as('MANAGER', ['35.76'], '{ household(id: "H-A1") { id address } persons { edges { node { id age sex } } } }');
    expect(await entries()).toEqual([]);
  });
});

describe('DENIED entries', () => {
  it('record every refused field, with its subject', async () => {
    const result = await app.as('ANALYST', ['35.09'], '{ person(id: "P-A1") { age nik name disability } }');
    expect(codes(result)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
    expect(result.data?.person.age).toBeTypeOf('number');
    expect(await entries()).toEqual([
      { actor: 'test-analyst', role: 'ANALYST', action: 'DENIED', operation: null, subject_type: 'Person', subject_id: 'P-A1', fields: ['disability', 'name', 'nik'], village_code: VILLAGES.padomasan },
    ]);
  });

  it('record refused operations', async () => {
    await app.as('FACILITATOR', ['35.09'], 'mutation Imp { importRecords(kind: PROGRAMS, csv: "x") { id } }');
    const written = await entries();
    expect(written.map((e) => [e.action, e.subject_type, e.fields])).toEqual([['DENIED', 'Mutation', ['importRecords']]]);
  });
});

describe('auditLog', () => {
  it('refuses a malformed instant in a variable as BAD_USER_INPUT', async () => {
    const result = await app.as('ADMIN', ['*'], 'query($f: DateTime) { auditLog(filter: { from: $f }) { totalCount } }', { f: 'yesterday' });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toMatch(/DateTime must be an ISO 8601 instant/);
  });

  it('lists entries newest first for ADMIN and AUDITOR, with filters and keyset pages', async () => {
    await app.as('MANAGER', ['35.09'], 'query A { person(id: "P-A1") { nik } }');
    await app.as('MANAGER', ['35.09'], 'query B { person(id: "P-A2") { nik } }');
    const page = await app.as('AUDITOR', ['*'], `{ auditLog(first: 1, filter: { actor: "test-manager", action: READ }) {
      totalCount edges { cursor node { actor role action operation subjectType subjectId fields at } } pageInfo { hasNextPage endCursor } } }`);
    expect(page.errors).toBeUndefined();
    const log = page.data!.auditLog;
    expect(log.edges[0].node).toMatchObject({ actor: 'test-manager', role: 'MANAGER', action: 'READ', operation: 'B', subjectType: 'Person', subjectId: 'P-A2', fields: ['nik'] });
    expect(log.edges[0].node.at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
    expect(log.pageInfo.hasNextPage).toBe(true);
    const next = await app.as('ADMIN', ['*'], 'query($a: String) { auditLog(first: 1, after: $a, filter: { actor: "test-manager", action: READ }) { edges { node { subjectId operation } } } }', { a: log.pageInfo.endCursor });
    expect(next.data!.auditLog.edges[0].node).toEqual({ subjectId: 'P-A1', operation: 'A' });
  });

  it('is region-scoped: a regency auditor sees entries about its own subjects only', async () => {
    await app.as('ADMIN', ['*'], '{ person(id: "P-A3") { nik } }');
    const jember = await app.as('AUDITOR', ['35.09'], '{ auditLog(first: 500, filter: { action: READ }) { edges { node { subjectId } } } }');
    const ids = jember.data!.auditLog.edges.map((e: any) => e.node.subjectId);
    expect(ids).not.toContain('P-A3');
    expect(ids).toContain('P-A1');
    const denials = await app.as('AUDITOR', ['35.09'], '{ auditLog(filter: { action: DENIED, subjectId: "importRecords" }) { totalCount } }');
    expect(denials.data!.auditLog.totalCount).toBe(0);
  });

  it.each([
    ['{ auditLog(first: 501) { totalCount } }', /first must be between 0 and 500/],
    ['{ auditLog(after: "bm9wZQ") { totalCount } }', /after is not a cursor of this list/],
    ['{ auditLog(filter: { from: "2026-01-02T00:00:00Z", to: "2026-01-01T00:00:00Z" }) { totalCount } }', /filter.from must not be after filter.to/],
  ])('refuses malformed input %s', async (query, message) => {
    const result = await app.as('ADMIN', ['*'], query);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toMatch(message);
  });
});
