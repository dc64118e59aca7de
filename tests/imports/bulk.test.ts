/**
 * Bulk loading (src/modules/imports/imports.bulk.ts): when it is chosen, that it leaves the
 * catalog exactly as it found it (indexes and foreign keys rebuilt from their own definitions),
 * and that a bulk import that fails leaves nothing at all. That bulk and incremental imports
 * leave the same rows is tests/imports/equivalence.test.ts; a SIGKILLed bulk import is
 * tests/imports/cli.test.ts.
 */
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import postgres from 'postgres';
import { BULK_MIN_ROWS, chooseLoadMode, TableBusyError, type LoadModeInput } from '../../src/modules/imports/imports.bulk.js';
import { ImportsService, type ImportOptions } from '../../src/modules/imports/imports.service.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { ADMIN, HEADERS, csv, importText, rows, V } from './helpers.js';

describe('chooseLoadMode', () => {
  const input = (over: Partial<LoadModeInput>): LoadModeInput => ({
    requested: 'auto', expectedBytes: 150 * 1_000_000, rowsSeen: 1000, bytesSeen: 150_000, tableRows: async () => 0, ...over,
  });

  it('takes bulk or incremental when asked, without looking at the table', async () => {
    const tableRows = async () => { throw new Error('not asked'); };
    expect(await chooseLoadMode(input({ requested: 'bulk', expectedBytes: 10, tableRows }))).toBe('bulk');
    expect(await chooseLoadMode(input({ requested: 'incremental', tableRows }))).toBe('incremental');
  });

  it('auto: bulk for a large file into an empty table, or one at least twice the table', async () => {
    // 1M rows estimated (150 bytes a row).
    expect(await chooseLoadMode(input({}))).toBe('bulk');
    expect(await chooseLoadMode(input({ tableRows: async () => 500_000 }))).toBe('bulk');
    expect(await chooseLoadMode(input({ tableRows: async () => 500_001 }))).toBe('incremental');
    // The monthly update of a register as large as the file: incremental (most rows unchanged).
    expect(await chooseLoadMode(input({ tableRows: async () => 1_000_000 }))).toBe('incremental');
  });

  it('auto: incremental for a small file, or when the size is unknown (a GraphQL string)', async () => {
    expect(await chooseLoadMode(input({ expectedBytes: 150 * (BULK_MIN_ROWS - 1) }))).toBe('incremental');
    expect(await chooseLoadMode(input({ expectedBytes: null }))).toBe('incremental');
    expect(await chooseLoadMode(input({ rowsSeen: 0 }))).toBe('incremental');
  });
});

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

/** Every index and constraint of the register's tables, as the catalog states them. */
async function catalog() {
  return rows<{ table: string; name: string; definition: string }>(db.database, sql`
    select tablename::text as table, indexname::text as name, indexdef as definition from pg_indexes
    where tablename in ('households', 'persons', 'enrolments', 'civil_registry')
    union all
    select conrelid::regclass::text, conname::text, pg_get_constraintdef(oid) from pg_constraint
    where conrelid in ('households'::regclass, 'persons'::regclass, 'enrolments'::regclass, 'civil_registry'::regclass)
    order by 1, 2`);
}

const householdLines = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => `BH${String(from + i).padStart(6, '0')},${i % 2 ? V.jember1 : V.mojokerto},Jl. Mawar ${i},001,002,${(i % 10) + 1},2025-01-15`);
const personLines = (n: number) =>
  Array.from({ length: n }, (_, i) => `BP${String(i).padStart(6, '0')},BH${String(i).padStart(6, '0')},,,Warga ${i},${i % 2 ? 'F' : 'M'},,1980-01-0${(i % 9) + 1},HEAD,MARRIED,PRESENT,false,false,`);

describe('a bulk import', () => {
  it('loads, reports row errors, and leaves every index and foreign key as it found them', async () => {
    const before = await catalog();
    expect(before.filter((c) => c.table === 'persons').length).toBeGreaterThan(5);
    let mode: string | undefined;
    const households = await importText(db.database, 'households', csv('households', ...householdLines(300), 'BH-BAD,35.99.99.9999,,,,,'), {
      mode: 'bulk', chunkRows: 100, onLoadMode: (m) => (mode = m),
    });
    expect(mode).toBe('bulk');
    expect(households.batch).toMatchObject({ status: 'FINISHED', received: 301, accepted: 300, rejected: 1, inserted: 300 });
    expect(households.errors).toEqual([{ row: 301, field: 'village_code', message: expect.stringContaining('must be a village of the region table') }]);
    const persons = await importText(db.database, 'persons', csv('persons', ...personLines(300)), { mode: 'bulk', chunkRows: 70 });
    expect(persons.batch).toMatchObject({ status: 'FINISHED', accepted: 300, inserted: 300 });
    expect(await catalog()).toEqual(before);
    // The rebuilt indexes are valid and used: the members of a household by index.
    const [{ n }] = await rows<{ n: number }>(db.database, sql`select count(*)::int as n from persons where household_id = 'BH000007'`);
    expect(n).toBe(1);
    // The foreign keys are back and enforced.
    await expect(db.database.execute(sql`update persons set household_id = 'BH-NONE' where id = 'BP000001'`)).rejects.toThrow();
  });

  it('ends a segment at its size in text as well as in rows: long rows do not pile up in memory', async () => {
    const long = householdLines(200, 9000).map((line) => line.replace(/Jl\. Mawar \d+/, 'Jl. '.padEnd(480, 'x')));
    const settled: number[] = [];
    const { batch } = await importText(db.database, 'households', csv('households', ...long), {
      mode: 'bulk', chunkRows: 1_000_000, maxSegmentChars: 20_000, onProgress: ({ rows: n }) => settled.push(n),
    });
    expect(batch).toMatchObject({ status: 'FINISHED', received: 200, inserted: 200 });
    // About 37 rows of ~540 characters per 20,000: six segments, each settled in file order.
    expect(settled.length).toBeGreaterThanOrEqual(5);
    expect(settled).toEqual([...settled].sort((x, y) => x - y));
    expect(settled.at(-1)).toBe(200);
  });

  it('that fails rolls back as a whole: no row, no batch counters, the catalog as it was', async () => {
    const before = await catalog();
    const [{ n: householdsBefore }] = await rows<{ n: number }>(db.database, sql`select count(*)::int as n from households`);
    // The file breaks off (a network upload that dies) after two segments were stored.
    const lines = [HEADERS.households, ...householdLines(500, 1000)].join('\n') + '\n';
    const failing = Readable.from((async function* () {
      yield Buffer.from(lines);
      await new Promise((r) => setTimeout(r, 50));
      throw new Error('connection reset by peer');
    })());
    const service = new ImportsService(db.database);
    const options: ImportOptions = { ...ADMIN, mode: 'bulk', chunkRows: 200 };
    await expect(service.importCsv('households', failing, options)).rejects.toThrow('connection reset by peer');
    const [{ n: householdsAfter }] = await rows<{ n: number }>(db.database, sql`select count(*)::int as n from households`);
    expect(householdsAfter).toBe(householdsBefore);
    expect(await catalog()).toEqual(before);
    const [batch] = await rows(db.database, sql`select status, received, accepted, inserted from import_batches order by started_at desc limit 1`);
    expect(batch).toMatchObject({ status: 'FAILED', received: 0, accepted: 0, inserted: 0 });
  });

  // Another session holding the table (PGlite has one session): the bulk load gives up cleanly.
  it.skipIf(!process.env.DATABASE_URL)('gives up with TABLE_BUSY, changing nothing, when the table stays in use', async () => {
    const other = postgres(db.url!, { max: 1, onnotice: () => {} });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    const reader = other.begin(async (tx) => {
      await tx`select count(*) from households`; // a long report, say: its lock lasts until it commits
      locked();
      await held;
    });
    try {
      await lockTaken;
      const [{ n: before }] = await rows<{ n: number }>(db.database, sql`select count(*)::int as n from households`);
      const failing = importText(db.database, 'households', csv('households', ...householdLines(10, 5000)), { mode: 'bulk', lockTimeoutMs: 300 });
      await expect(failing).rejects.toThrow(TableBusyError);
      await expect(failing).rejects.toThrow(/households stayed in use for 0.3 s .*nothing was imported.*PADU_IMPORT_MODE=incremental/);
      const [{ n: after }] = await rows<{ n: number }>(db.database, sql`select count(*)::int as n from households`);
      expect(after).toBe(before);
      const [batch] = await rows(db.database, sql`select status, failure from import_batches order by started_at desc limit 1`);
      expect(batch).toMatchObject({ status: 'FAILED', failure: expect.stringContaining('stayed in use') });
    } finally {
      release();
      await reader;
      await other.end();
    }
  });

  it.skipIf(!process.env.DATABASE_URL)('waits for the lock in short attempts and loads once the table is free', async () => {
    const other = postgres(db.url!, { max: 1, onnotice: () => {} });
    let locked!: () => void;
    const lockTaken = new Promise<void>((r) => (locked = r));
    // Held longer than one attempt (2 s), then committed.
    const reader = other.begin(async (tx) => {
      await tx`select count(*) from households`;
      locked();
      await new Promise((r) => setTimeout(r, 2500));
    });
    try {
      await lockTaken;
      const started = Date.now();
      const { batch } = await importText(db.database, 'households', csv('households', ...householdLines(10, 6000)), { mode: 'bulk', lockTimeoutMs: 20_000 });
      expect(batch).toMatchObject({ status: 'FINISHED', inserted: 10 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    } finally {
      await reader;
      await other.end();
    }
  });

  it('is refused for a kind that is always incremental, and for an unknown mode', async () => {
    const service = new ImportsService(db.database);
    await expect(service.importCsv('programs', Readable.from(['x']), { ...ADMIN, mode: 'bulk' })).rejects.toThrow('programs files are always loaded incrementally');
    await expect(service.importCsv('persons', Readable.from(['x']), { ...ADMIN, mode: 'fast' as never })).rejects.toThrow('mode must be one of auto, bulk, incremental, got "fast"');
  });
});
