import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, createTestApp, type TestApp } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { csv, rows, V } from './helpers.js';

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

const IMPORT = `mutation($kind: ImportKind!, $csv: String!) {
  importRecords(kind: $kind, csv: $csv) { id kind status startedAt finishedAt received accepted rejected inserted updated errors { row field message } }
}`;
const BATCH = 'query($id: ID!, $first: Int) { importBatch(id: $id) { id kind received rejected errors(first: $first) { row field message } } }';

const HOUSEHOLDS = csv('households',
  `HH-GQL-1,${V.jember1},Jl. Melati,001,002,2,2025-01-10`,
  `HH-GQL-2,${V.jember1},Jl. Melati,001,002,12,2025-01-10`,
  `HH-GQL-3,35.09.01.9999,Jl. Melati,001,002,2,2025-01-10`,
  `HH-GQL-4,${V.jember1},Jl. Melati,001,002,2,2025-02-29`);

describe('importRecords', () => {
  let batchId: string;

  it('imports for an ADMIN and returns the batch with its row errors', async () => {
    const result = await app.as('ADMIN', ['*'], IMPORT, { kind: 'HOUSEHOLDS', csv: HOUSEHOLDS });
    expect(result.errors).toBeUndefined();
    const batch = result.data!.importRecords;
    batchId = batch.id;
    expect(batch).toMatchObject({ kind: 'HOUSEHOLDS', status: 'FINISHED', received: 4, accepted: 1, rejected: 3, inserted: 1, updated: 0 });
    expect(batch.startedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(batch.errors).toEqual([
      { row: 2, field: 'desil', message: 'must be a desil 1..10 (or empty when not ranked), got "12"' },
      { row: 3, field: 'village_code', message: 'must be a village of the region table; no village has code "35.09.01.9999"' },
      { row: 4, field: 'collected_on', message: 'must be a calendar date YYYY-MM-DD, got "2025-02-29"' },
    ]);
  });

  it('writes one IMPORT audit entry naming the batch', async () => {
    expect(await rows(db.database, sql`select actor, role, action, operation, subject_type, subject_id from audit_entries where subject_id = ${batchId}`)).toEqual([
      { actor: 'test-admin', role: 'ADMIN', action: 'IMPORT', operation: 'importRecords', subject_type: 'ImportBatch', subject_id: batchId },
    ]);
  });

  it.each(['MANAGER', 'SUPERVISOR', 'FACILITATOR', 'PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST', 'AUDITOR'] as const)('is FORBIDDEN for %s and writes nothing but the DENIED entry', async (role) => {
    const before = await rows(db.database, sql`select count(*)::int as n from import_batches`);
    const result = await app.as(role, ['35.09'], IMPORT, { kind: 'HOUSEHOLDS', csv: csv('households', `HH-DENIED,${V.jember1},x,1,1,1,2025-01-01`) });
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(result.data).toBeNull();
    expect(await rows(db.database, sql`select count(*)::int as n from import_batches`)).toEqual(before);
    expect(await rows(db.database, sql`select id from households where id = 'HH-DENIED'`)).toEqual([]);
    expect(await rows(db.database, sql`select action from audit_entries where actor = ${`test-${role.toLowerCase()}`} order by id desc limit 1`)).toEqual([{ action: 'DENIED' }]);
  });

  it('refuses a wrong header with BAD_USER_INPUT and creates no batch', async () => {
    const before = await rows(db.database, sql`select count(*)::int as n from import_batches`);
    const result = await app.as('ADMIN', ['*'], IMPORT, { kind: 'PERSONS', csv: 'person_id,name\nP-1,Ani\n' });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toMatch(/^the header lacks columns household_id, nik, kk_number, sex, /);
    expect(await rows(db.database, sql`select count(*)::int as n from import_batches`)).toEqual(before);
  });

  it('refuses an unknown kind in validation', async () => {
    expect(codes(await app.as('ADMIN', ['*'], IMPORT, { kind: 'PEOPLE', csv: '' }))).toEqual(['BAD_USER_INPUT']);
  });

  describe('importBatch', () => {
    it('reads a batch and pages its errors (first: default 50, at most 500)', async () => {
      const result = await app.as('ADMIN', ['*'], BATCH, { id: batchId, first: 2 });
      expect(result.errors).toBeUndefined();
      expect(result.data!.importBatch).toMatchObject({ id: batchId, kind: 'HOUSEHOLDS', received: 4, rejected: 3 });
      expect(result.data!.importBatch.errors.map((e: { row: number }) => e.row)).toEqual([2, 3]);
      const all = await app.as('ADMIN', ['*'], BATCH, { id: batchId });
      expect(all.data!.importBatch.errors).toHaveLength(3);
      const tooMany = await app.as('ADMIN', ['*'], BATCH, { id: batchId, first: 501 });
      expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
      expect(tooMany.errors![0].message).toBe('first must be 0..500, got 501');
    });

    it('returns null for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
      expect(await app.as('ADMIN', ['*'], BATCH, { id: '00000000-0000-4000-8000-000000000000' })).toEqual({ data: { importBatch: null } });
      const malformed = await app.as('ADMIN', ['*'], BATCH, { id: "1' or '1'='1" });
      expect(codes(malformed)).toEqual(['BAD_USER_INPUT']);
      expect(malformed.errors![0].message).toBe('id must be an import batch id (a UUID), got "1\' or \'1\'=\'1"');
    });

    it('is for ADMIN only', async () => {
      expect(codes(await app.as('MANAGER', ['*'], BATCH, { id: batchId }))).toEqual(['FORBIDDEN']);
    });
  });
});
