import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { programExclusions, programs } from '../../schema/index.js';
import { composeKkNumber, composeNik } from '../../src/lib/nik.js';
import { DuplicateScanner } from '../../src/modules/duplicates/duplicates.scan.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addEnrolments, addHouseholds, VILLAGES } from '../helpers/fixtures.js';
import { ADMIN, META, precisionRecall, signatureOf, storedCandidates } from './helpers.js';

/**
 * The exact kinds (CONTRACT.md section 6) on named fixtures with their edge cases: malformed
 * and empty NIKs never match SAME_NIK, empty KK numbers never match SAME_FAMILY, ENDED
 * enrolments are ignored, exclusivity counts both ways, by NIK and by KK, for built-in and
 * imported programs. Names and birth dates are left empty so PROBABLE_SAME_PERSON stays quiet.
 */
let db: TestDatabase;

const nik = (serial: number, birthDate = '1980-03-15') => composeNik('35.09.01', birthDate, 'M', serial);
const kk = (serial: number) => composeKkNumber('35.09.01', '2016-05-02', serial);
const { padomasan: P, keting: K, cakru: C, mentikan: M } = VILLAGES;

/** What a correct scan finds: kind and members. */
const EXPECTED = [
  'SAME_NIK:N1a+N1b',
  'SAME_NIK:N3a+N3b+N3c',
  'SAME_NIK:NXa+NXb',
  'SAME_FAMILY:F1a+F1b',
  'SAME_FAMILY:H1a+H1b',
  'EXCLUSIVE_PROGRAMS:X1a+X1b',
  'EXCLUSIVE_PROGRAMS:X2a+X2b',
  'EXCLUSIVE_PROGRAMS:X3a+X3b',
  'EXCLUSIVE_PROGRAMS:X4a+X4b+X4c',
  'EXCLUSIVE_PROGRAMS:XIa+XIb',
];

beforeAll(async () => {
  db = await openTestDatabase();
  const d = db.database;
  await addHouseholds(d, [{ id: 'HH1', villageCode: P }, { id: 'HH2', villageCode: P }]);
  // An imported program that excludes PIP (declared on its own row only).
  await d.db.insert(programs).values({ code: 'BEASISWA_DAERAH', name: 'Beasiswa daerah', targetUnit: 'INDIVIDUAL' });
  await d.db.insert(programExclusions).values({ programCode: 'BEASISWA_DAERAH', excludedCode: 'PIP' });
  await addEnrolments(d, [
    // SAME_NIK: a valid NIK twice in PKH; an ENDED third is ignored
    { id: 'N1a', programCode: 'PBI_JK', villageCode: P, nik: nik(1) },
    { id: 'N1b', programCode: 'PBI_JK', villageCode: K, nik: nik(1), status: 'SUSPENDED' },
    { id: 'N1c', programCode: 'PBI_JK', villageCode: K, nik: nik(1), status: 'ENDED' },
    // the same valid NIK in two programs that do not exclude each other: nothing
    { id: 'N2a', programCode: 'PBI_JK', villageCode: P, nik: nik(2) },
    { id: 'N2b', programCode: 'PIP', villageCode: P, nik: nik(2) },
    // three enrolments of one NIK: one candidate of three, not three pairs
    { id: 'N3a', programCode: 'PBI_JK', villageCode: P, nik: nik(3) },
    { id: 'N3b', programCode: 'PBI_JK', villageCode: P, nik: nik(3) },
    { id: 'N3c', programCode: 'PBI_JK', villageCode: C, nik: nik(3) },
    // one NIK delivered in two regencies: one candidate
    { id: 'NXa', programCode: 'PBI_JK', villageCode: P, nik: nik(4) },
    { id: 'NXb', programCode: 'PBI_JK', villageCode: M, nik: nik(4) },
    // malformed, empty and missing NIKs never match
    { id: 'B15a', programCode: 'PBI_JK', villageCode: P, nik: nik(5).slice(0, 15) },
    { id: 'B15b', programCode: 'PBI_JK', villageCode: P, nik: nik(5).slice(0, 15) },
    { id: 'BMa', programCode: 'PBI_JK', villageCode: P, nik: '3509011513800001' },
    { id: 'BMb', programCode: 'PBI_JK', villageCode: P, nik: '3509011513800001' },
    { id: 'BZa', programCode: 'PBI_JK', villageCode: P, nik: '3509011503800000' },
    { id: 'BZb', programCode: 'PBI_JK', villageCode: P, nik: '3509011503800000' },
    { id: 'BEa', programCode: 'PBI_JK', villageCode: P, nik: '' },
    { id: 'BEb', programCode: 'PBI_JK', villageCode: P, nik: '' },
    { id: 'BNa', programCode: 'PBI_JK', villageCode: P, nik: null },
    { id: 'BNb', programCode: 'PBI_JK', villageCode: P, nik: null },
    // a valid NIK whose second enrolment ENDED: nothing
    { id: 'NEa', programCode: 'PBI_JK', villageCode: P, nik: nik(6) },
    { id: 'NEb', programCode: 'PBI_JK', villageCode: P, nik: nik(6), status: 'ENDED' },

    // SAME_FAMILY: a FAMILY program by KK number (different NIKs)
    { id: 'F1a', programCode: 'PKH', villageCode: P, nik: nik(11), kkNumber: kk(1) },
    { id: 'F1b', programCode: 'PKH', villageCode: P, nik: nik(12), kkNumber: kk(1) },
    // empty, short, zero and missing KK numbers never match; an INDIVIDUAL program does not count
    { id: 'FEa', programCode: 'PKH', villageCode: P, nik: nik(13), kkNumber: '' },
    { id: 'FEb', programCode: 'PKH', villageCode: P, nik: nik(14), kkNumber: '' },
    { id: 'FSa', programCode: 'PKH', villageCode: P, nik: nik(15), kkNumber: '350901' },
    { id: 'FSb', programCode: 'PKH', villageCode: P, nik: nik(16), kkNumber: '350901' },
    { id: 'FZa', programCode: 'PKH', villageCode: P, nik: nik(17), kkNumber: '0000000000000000' },
    { id: 'FZb', programCode: 'PKH', villageCode: P, nik: nik(18), kkNumber: '0000000000000000' },
    { id: 'FNa', programCode: 'PKH', villageCode: P, nik: nik(19), kkNumber: null },
    { id: 'FNb', programCode: 'PKH', villageCode: P, nik: nik(20), kkNumber: null },
    { id: 'FIa', programCode: 'PBI_JK', villageCode: P, nik: nik(21), kkNumber: kk(2) },
    { id: 'FIb', programCode: 'PBI_JK', villageCode: P, nik: nik(22), kkNumber: kk(2) },
    // an ENDED one of the family: nothing
    { id: 'FDa', programCode: 'PKH', villageCode: P, nik: nik(23), kkNumber: kk(3) },
    { id: 'FDb', programCode: 'PKH', villageCode: P, nik: nik(24), kkNumber: kk(3), status: 'ENDED' },
    // a HOUSEHOLD program by the resolved DTKS household; unresolved ones never match
    { id: 'H1a', programCode: 'RTLH', villageCode: P, nik: nik(31), householdId: 'HH1' },
    { id: 'H1b', programCode: 'RTLH', villageCode: P, nik: nik(32), householdId: 'HH1' },
    { id: 'H2a', programCode: 'RTLH', villageCode: P, nik: nik(33), householdId: 'HH2' },
    { id: 'HNa', programCode: 'RTLH', villageCode: P, nik: nik(34) },
    { id: 'HNb', programCode: 'RTLH', villageCode: P, nik: nik(35) },

    // EXCLUSIVE_PROGRAMS: BLT_DD excludes PKH, by NIK (KK numbers differ)
    { id: 'X1a', programCode: 'BLT_DD', villageCode: P, nik: nik(41), kkNumber: kk(41) },
    { id: 'X1b', programCode: 'PKH', villageCode: K, nik: nik(41), kkNumber: kk(42) },
    // by KK number: the wife in BPNT, the husband in BLT_DD
    { id: 'X2a', programCode: 'BPNT', villageCode: P, nik: nik(43), kkNumber: kk(43) },
    { id: 'X2b', programCode: 'BLT_DD', villageCode: P, nik: nik(44), kkNumber: kk(43) },
    // same NIK and same KK: one candidate, not two
    { id: 'X3a', programCode: 'PKH', villageCode: P, nik: nik(45), kkNumber: kk(45) },
    { id: 'X3b', programCode: 'BLT_DD', villageCode: P, nik: nik(45), kkNumber: kk(45) },
    // one family in BLT_DD, PKH and BPNT: one candidate with all three
    { id: 'X4a', programCode: 'BLT_DD', villageCode: P, nik: nik(46), kkNumber: kk(46) },
    { id: 'X4b', programCode: 'PKH', villageCode: P, nik: nik(47), kkNumber: kk(46) },
    { id: 'X4c', programCode: 'BPNT', villageCode: P, nik: nik(48), kkNumber: kk(46) },
    // PKH and BPNT do not exclude each other: nothing
    { id: 'XNa', programCode: 'PKH', villageCode: P, nik: nik(49), kkNumber: kk(49) },
    { id: 'XNb', programCode: 'BPNT', villageCode: P, nik: nik(49), kkNumber: kk(49) },
    // an ENDED BLT_DD enrolment does not count
    { id: 'XEa', programCode: 'BLT_DD', villageCode: P, nik: nik(50), status: 'ENDED' },
    { id: 'XEb', programCode: 'PKH', villageCode: P, nik: nik(50) },
    // malformed NIKs and empty KK numbers do not tie programs either
    { id: 'XBa', programCode: 'BLT_DD', villageCode: P, nik: '', kkNumber: '' },
    { id: 'XBb', programCode: 'PKH', villageCode: P, nik: '', kkNumber: '' },
    // an imported program declared exclusive with PIP: found from either side
    { id: 'XIa', programCode: 'PIP', villageCode: P, nik: nik(51) },
    { id: 'XIb', programCode: 'BEASISWA_DAERAH', villageCode: P, nik: nik(51) },
  ]);
});
afterAll(async () => {
  await db?.dispose();
});

describe('exact kinds', () => {
  it('finds exactly the expected candidates of each kind (precision and recall 1.0)', async () => {
    const result = await new DuplicateScanner(db.database, { watermarkMarginMs: 0 }).scan(ADMIN, {}, META);
    const stored = (await storedCandidates(db.database)).filter((c) => c.kind !== 'PROBABLE_SAME_PERSON');
    const found = stored.map(signatureOf);
    for (const kind of ['SAME_NIK', 'SAME_FAMILY', 'EXCLUSIVE_PROGRAMS']) {
      const pr = precisionRecall(found.filter((f) => f.startsWith(`${kind}:`)), EXPECTED.filter((e) => e.startsWith(`${kind}:`)));
      console.log(`${kind}: precision ${pr.precision.toFixed(3)} recall ${pr.recall.toFixed(3)} (${pr.truePositives}/${pr.found} found, ${pr.expected} expected)`);
      expect(pr.precision).toBe(1);
      expect(pr.recall).toBe(1);
    }
    expect(found.sort()).toEqual([...EXPECTED].sort());
    expect(stored.every((c) => c.score === 1 && c.status === 'OPEN')).toBe(true);
    expect(result.byKind.find((k) => k.kind === 'SAME_NIK')).toEqual({ kind: 'SAME_NIK', candidates: 3, newCandidates: 3 });
    expect(result.incremental).toBe(false);
  });

  it('explains each exact finding without identity data', async () => {
    const stored = await storedCandidates(db.database);
    const byMembers = new Map(stored.map((c) => [signatureOf(c), c]));
    expect(byMembers.get('SAME_NIK:N3a+N3b+N3c')!.evidence).toEqual(['NIK sama (valid) pada 3 pendaftaran PBI_JK']);
    expect(byMembers.get('SAME_FAMILY:H1a+H1b')!.evidence[0]).toMatch(/rumah tangga DTKS sama pada 2 pendaftaran RTLH/);
    expect(byMembers.get('EXCLUSIVE_PROGRAMS:X2a+X2b')!.evidence).toEqual(['program saling eksklusif (BLT_DD, BPNT) dengan nomor KK yang sama']);
    expect(byMembers.get('EXCLUSIVE_PROGRAMS:X4a+X4b+X4c')!.programs).toEqual(['BLT_DD', 'BPNT', 'PKH']);
    for (const c of stored) expect(c.evidence.join(' ')).not.toMatch(/[0-9]{12}/);
  });

  it('finds an imported exclusion from the excluded side: a PIP-only scan', async () => {
    await db.database.execute(sql`delete from duplicate_candidates`);
    await new DuplicateScanner(db.database).scan(ADMIN, { program: 'PIP' }, META, { full: true });
    const stored = await storedCandidates(db.database);
    expect(stored.map(signatureOf)).toEqual(['EXCLUSIVE_PROGRAMS:XIa+XIb']);
  });
});
