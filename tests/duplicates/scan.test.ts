import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeKkNumber, composeNik } from '../../src/lib/nik.js';
import { normalizeName } from '../../src/lib/names.js';
import { DuplicateScanner } from '../../src/modules/duplicates/duplicates.scan.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addEnrolments, VILLAGES } from '../helpers/fixtures.js';
import { ADMIN, META, signatureOf, storedCandidates } from './helpers.js';

/**
 * Rescans: idempotent, a dismissal survives while its enrolments are unchanged and is reopened
 * when one changes, a candidate that no longer holds is RESOLVED, and an incremental scan after
 * changes stores exactly what a full scan finds.
 */
let db: TestDatabase;
let app: TestApp;
let scanner: DuplicateScanner;

const nik = (serial: number, birthDate = '1975-06-20') => composeNik('35.09.01', birthDate, 'M', serial);
const kk = (serial: number) => composeKkNumber('35.09.01', '2018-01-09', serial);
const { padomasan: P, keting: K } = VILLAGES;

const REVIEW = `mutation($id: ID!, $decision: ReviewStatus!, $note: String) {
  reviewDuplicate(id: $id, decision: $decision, note: $note) { id status reviewNote reviewedAt reviewedBy } }`;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  scanner = new DuplicateScanner(db.database, { watermarkMarginMs: 0 });
  await addEnrolments(db.database, [
    { id: 'S1a', programCode: 'PBI_JK', villageCode: P, nik: nik(1), name: 'Slamet Riyadi', birthDate: '1975-06-20' },
    { id: 'S1b', programCode: 'PBI_JK', villageCode: K, nik: nik(1), name: 'Slamet Riyadi', birthDate: '1975-06-20' },
    { id: 'S2a', programCode: 'PBI_JK', villageCode: P, nik: nik(2), name: 'Agus Salim', birthDate: '1975-06-20' },
    { id: 'S2b', programCode: 'PBI_JK', villageCode: P, nik: nik(2), name: 'Agus Salim', birthDate: '1975-06-20' },
    { id: 'F1a', programCode: 'PKH', villageCode: P, nik: nik(3), kkNumber: kk(1), name: 'Siti Aminah', birthDate: '1980-02-02' },
    { id: 'F1b', programCode: 'PKH', villageCode: P, nik: nik(4), kkNumber: kk(1), name: 'Sri Wahyuni', birthDate: '1982-03-03' },
    { id: 'X1a', programCode: 'BLT_DD', villageCode: P, nik: nik(5), name: 'Eko Prasetyo', birthDate: '1970-01-01' },
    { id: 'X1b', programCode: 'PKH', villageCode: P, nik: nik(5), name: 'Eko Prasetyo', birthDate: '1970-01-01' },
    // probably one person: a typo in the NIK serial, the name with a title
    { id: 'P1a', programCode: 'PBI_JK', villageCode: P, nik: '3509016505600012', kkNumber: kk(7), name: 'Kartini Handayani', birthDate: '1960-05-25' },
    { id: 'P1b', programCode: 'PBI_JK', villageCode: P, nik: '3509016505600013', kkNumber: kk(7), name: 'Hj. Kartini Handayani', birthDate: '1960-05-25' },
    { id: 'Q1', programCode: 'PBI_JK', villageCode: K, nik: nik(9, '1990-09-09'), name: 'Bambang Sutejo', birthDate: '1990-09-09' },
  ]);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

/** Everything that a scan decides about the candidates that hold. */
async function holding() {
  const rows = await storedCandidates(db.database, sql`c.status <> 'RESOLVED'`);
  return rows.map((c) => `${signatureOf(c)} ${c.score.toFixed(4)} ${c.evidence.join('|')}`).sort();
}

describe('scans', () => {
  it('stores the findings once; scanning twice creates and changes nothing', async () => {
    const first = await scanner.scan(ADMIN, {}, META);
    expect(first.newCandidates).toBe(5);
    expect((await storedCandidates(db.database)).map(signatureOf).sort()).toEqual([
      'EXCLUSIVE_PROGRAMS:X1a+X1b', 'PROBABLE_SAME_PERSON:P1a+P1b', 'SAME_FAMILY:F1a+F1b', 'SAME_NIK:S1a+S1b', 'SAME_NIK:S2a+S2b',
    ]);
    const before = await db.database.execute(sql`select id, last_seen_at::text, status from duplicate_candidates order by id`);
    const again = await scanner.scan(ADMIN, {}, META);
    expect(again).toMatchObject({ incremental: true, compared: 0, newCandidates: 0, candidates: 5 });
    const full = await scanner.scan(ADMIN, {}, META, { full: true });
    expect(full).toMatchObject({ incremental: false, newCandidates: 0, candidates: 5 });
    expect(await db.database.execute(sql`select id, last_seen_at::text, status from duplicate_candidates order by id`)).toEqual(before);
    const [{ n }] = await db.database.execute<{ n: number }>(sql`select count(*)::int as n from duplicate_candidate_enrolments`);
    expect(n).toBe(10);
  });

  it('keeps a dismissal through rescans while the enrolments are unchanged, and reopens it when one changes', async () => {
    const [s1] = await storedCandidates(db.database, sql`c.kind = 'SAME_NIK' and c.evidence[1] like '%PBI_JK%' and exists (
      select 1 from duplicate_candidate_enrolments m where m.candidate_id = c.id and m.enrolment_id = 'S1a')`);
    const dismissed = await app.as('PROGRAM_MANAGER', ['35.09'], REVIEW, { id: s1.id, decision: 'DISMISSED', note: 'Dua orang berbeda:\nsudah dicek di lapangan.' }, { programs: ['PBI_JK'] });
    expect(dismissed.errors).toBeUndefined();
    expect(dismissed.data!.reviewDuplicate).toMatchObject({ id: s1.id, status: 'DISMISSED', reviewNote: 'Dua orang berbeda:\nsudah dicek di lapangan.', reviewedBy: 'test-program_manager' });
    await scanner.scan(ADMIN, {}, META);
    await scanner.scan(ADMIN, {}, META, { full: true });
    expect((await storedCandidates(db.database, sql`c.id = ${s1.id}::bigint`))[0].status).toBe('DISMISSED');
    // An unrelated change elsewhere does not reopen it.
    await db.database.execute(sql`update enrolments set name = 'Bambang Sutedjo', name_norm = ${normalizeName('Bambang Sutedjo')}, updated_at = now() where id = 'Q1'`);
    await scanner.scan(ADMIN, {}, META);
    expect((await storedCandidates(db.database, sql`c.id = ${s1.id}::bigint`))[0].status).toBe('DISMISSED');
    // One of its enrolments changes: looked at again.
    await db.database.execute(sql`update enrolments set village_code = ${P}, updated_at = now() where id = 'S1b'`);
    const rescan = await scanner.scan(ADMIN, {}, META);
    expect(rescan.newCandidates).toBe(0);
    expect((await storedCandidates(db.database, sql`c.id = ${s1.id}::bigint`))[0].status).toBe('OPEN');
  });

  it('resolves a candidate that no longer holds, and may not review it', async () => {
    const [s2] = await storedCandidates(db.database, sql`exists (select 1 from duplicate_candidate_enrolments m where m.candidate_id = c.id and m.enrolment_id = 'S2a')`);
    await db.database.execute(sql`update enrolments set status = 'ENDED', end_date = '2026-01-31', updated_at = now() where id = 'S2b'`);
    const result = await scanner.scan(ADMIN, {}, META);
    expect(result.incremental).toBe(true);
    expect((await storedCandidates(db.database, sql`c.id = ${s2.id}::bigint`))[0].status).toBe('RESOLVED');
    const review = await app.as('ADMIN', ['*'], REVIEW, { id: s2.id, decision: 'CONFIRMED' });
    expect(review.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(review.errors?.[0].message).toMatch(/RESOLVED cannot become CONFIRMED/);
    // Reactivated: the same candidate holds again, OPEN, not new.
    await db.database.execute(sql`update enrolments set status = 'ACTIVE', end_date = null, updated_at = now() where id = 'S2b'`);
    const back = await scanner.scan(ADMIN, {}, META);
    expect(back.newCandidates).toBe(0);
    expect((await storedCandidates(db.database, sql`c.id = ${s2.id}::bigint`))[0].status).toBe('OPEN');
  });

  it('finds incrementally exactly what a full scan finds', async () => {
    // Changes of every sort after the last scan.
    await db.database.execute(sql`update enrolments set nik = ${nik(1)}, nik_valid = true, updated_at = now() where id = 'Q1'`); // joins S1's NIK? other birth date: a 3rd member
    await db.database.execute(sql`update enrolments set kk_number = ${kk(99)}, updated_at = now() where id = 'F1b'`); // the family splits
    await db.database.execute(sql`update enrolments set status = 'SUSPENDED', updated_at = now() where id = 'X1a'`); // still counts
    await addEnrolments(db.database, [
      { id: 'N1', programCode: 'BLT_DD', villageCode: K, nik: nik(20), kkNumber: kk(1), name: 'Joko Susilo', birthDate: '1979-07-07' }, // excl. with F1a by KK
      { id: 'N2', programCode: 'PBI_JK', villageCode: K, nik: '3509016505600031', kkNumber: kk(8), name: 'KARTINI HANDAYANI', birthDate: '1960-05-25' }, // a third listing
      { id: 'N3', programCode: 'PBI_JK', villageCode: P, nik: nik(2), name: 'Agus Salim', birthDate: '1975-06-20' }, // joins S2
    ]);
    const incremental = await scanner.scan(ADMIN, {}, META);
    expect(incremental.incremental).toBe(true);
    expect(incremental.compared).toBe(6);
    const afterIncremental = await holding();
    const rescanned = await scanner.scan(ADMIN, {}, META, { full: true });
    expect(rescanned.newCandidates).toBe(0);
    expect(await holding()).toEqual(afterIncremental);
    // From scratch, a full scan stores the same findings.
    await db.database.execute(sql`delete from duplicate_candidates`);
    await scanner.scan(ADMIN, {}, META, { full: true });
    expect(await holding()).toEqual(afterIncremental);
    expect(afterIncremental.map((h) => h.split(' ')[0])).toEqual(expect.arrayContaining([
      'SAME_NIK:Q1+S1a+S1b', 'SAME_NIK:N3+S2a+S2b', 'EXCLUSIVE_PROGRAMS:F1a+N1', 'PROBABLE_SAME_PERSON:N2+P1a',
    ]));
    expect(afterIncremental.some((h) => h.startsWith('SAME_FAMILY:'))).toBe(false);
  });

  it('counts per kind what holds in the scope of a narrower scan', async () => {
    const pm = { id: 'pm', role: 'PROGRAM_MANAGER' as const, regions: ['35.09.01'], programs: ['PKH'], via: 'token' as const };
    const result = await scanner.scan(pm, {}, META, { full: true });
    expect(result.byKind.filter((k) => k.candidates > 0).map((k) => k.kind)).toEqual(['EXCLUSIVE_PROGRAMS']);
  });
});
