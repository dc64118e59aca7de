/**
 * The COPY-based import must leave exactly what the row-by-row (JSON chunk) import left.
 *
 * tests/imports/equivalence.reference.json was written by THIS test running against the
 * previous implementation (commit "Record what the chunked import leaves", before the COPY
 * path existed), on both drivers, which agreed: `PADU_WRITE_IMPORT_REFERENCE=1 npx vitest run
 * tests/imports/equivalence.test.ts` rewrites it. The scenario covers inserts, updates, unchanged
 * rows, moves between regencies, enrolments imported before and after their persons (identity
 * resolution both ways), rejected and repeated rows, and a re-import. The new implementation is
 * compared with those numbers, not with itself.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFiles, type BenchKind } from '../../bench/generate.js';
import { kindByName } from '../../src/modules/imports/imports.kinds.js';
import { ImportsService } from '../../src/modules/imports/imports.service.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { ADMIN, checksum, rows } from './helpers.js';

const REFERENCE = new URL('./equivalence.reference.json', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'padu-equivalence-'));
let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** Columns that are not the import's doing: instants, generated ids, random keys added by other features. */
const VOLATILE = ['created_at', 'updated_at', 'at', 'id_seq', 'record_key'];

const TABLES: Array<[string, string]> = [
  ['programs', 'code'],
  ['program_exclusions', 'program_code, excluded_code'],
  ['households', 'id'],
  ['persons', 'id'],
  ['enrolments', 'id'],
  ['civil_registry', 'nik'],
  ['referrals', 'id'],
  // Events have an identity id in insertion order; the content in a stable order is what counts.
  ['referral_events', 'referral_id, to_status, from_status'],
];

async function tableChecksums(): Promise<Record<string, { count: number; md5: string }>> {
  const out: Record<string, { count: number; md5: string }> = {};
  for (const [table, order] of TABLES) {
    // The events' note names the batch (a random id); their id is insertion order.
    const volatile = table === 'referral_events' ? [...VOLATILE, 'id', 'note'] : VOLATILE;
    out[table] = await checksum(db.database, table, order, volatile);
  }
  return out;
}

const md5 = (text: string) => createHash('md5').update(text).digest('hex');

// Both load modes must leave it: segments committed one by one, and one bulk transaction that
// drops and rebuilds the indexes and foreign keys (imports.bulk.ts), asked for every kind that has it.
describe.each(['incremental', 'bulk'] as const)('the %s import leaves what the row-by-row import left', (mode) => {
  it('for a first load, a monthly update with moves, rejects and repeats, and a re-import', async () => {
    if (mode === 'bulk') {
      // A fresh database: the same scenario from the start.
      await db.dispose();
      db = await openTestDatabase();
    }
    const regencies = ['35.09', '35.76', '13.72'];
    const first = await generateFiles(join(dir, 'a'), { households: 1500, regencies, seed: 11 });
    const second = await generateFiles(join(dir, 'b'), { households: 1200, regencies, seed: 12 });
    // Hostile and repeated rows at the end of the update's persons file.
    appendFileSync(second.persons.path, [
      'P0000000011,H000000002,3509014501900001,,Kunci Ganda,F,,1990-01-05,HEAD,MARRIED,PRESENT,false,false,',
      'P-NOHOUSE,H-NONE,,,Tanpa Rumah,M,,,,,,,,',
      'P-BADSEX,H000000003,,,Salah Kelamin,W,,,,,,,,',
      'P-BADDATE,H000000003,,,Salah Tanggal,M,,1990-02-30,,,,,,',
      '',
    ].join('\r\n'));

    const service = new ImportsService(db.database);
    const batches: unknown[] = [];
    const load = async (kind: BenchKind, path: string) => {
      const chosen = kindByName(kind)?.bulk ? mode : 'incremental';
      let used: string | undefined;
      const batch = await service.importCsv(kind, createReadStream(path), { ...ADMIN, chunkRows: 2500, mode: chosen, onLoadMode: (m) => (used = m) });
      expect(used).toBe(chosen);
      const errors = await service.errorsOf([batch.id], 10_000);
      batches.push([kind, batch.status, batch.received, batch.accepted, batch.rejected, batch.inserted, batch.updated,
        errors.length, md5(JSON.stringify(errors.map((e) => [e.row, e.field, e.message])))]);
    };
    for (const kind of ['programs', 'households', 'persons', 'enrolments', 'civil-registry', 'referrals'] as const) {
      await load(kind, first[kind].path);
    }
    // The update arrives enrolments first: they resolve against the old persons, then again as
    // households move and persons change.
    for (const kind of ['enrolments', 'households', 'persons', 'civil-registry', 'referrals', 'programs'] as const) {
      await load(kind, second[kind].path);
    }
    await load('persons', second.persons.path);
    await load('enrolments', first.enrolments.path);

    const [{ linked }] = await rows<{ linked: number }>(db.database, sql`select count(person_id)::int as linked from enrolments`);
    const actual = { batches, tables: await tableChecksums(), linked };
    if (process.env.PADU_WRITE_IMPORT_REFERENCE && mode === 'incremental') writeFileSync(REFERENCE, `${JSON.stringify(actual, null, 2)}\n`);
    const reference = JSON.parse(readFileSync(REFERENCE, 'utf8'));
    expect(actual.batches).toEqual(reference.batches);
    expect(actual.tables).toEqual(reference.tables);
    expect(actual.linked).toBe(reference.linked);
    expect(linked).toBeGreaterThan(500);
  }, 300_000);
});
