import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ADJUSTMENT, PERTURBATION_TABLE, RECORD_KEY_MODULUS } from '../../src/modules/analytics/analytics.perturbation.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addEnrolments, addHouseholds } from '../helpers/fixtures.js';
import { csv, importText } from '../imports/helpers.js';
import { mulberry32 } from '../../src/lib/prng.js';

/**
 * Disclosure control for ANALYST (CONTRACT.md section 8, README "Analytics for Bappeda"): small
 * cells suppressed, every shown number perturbed by the cell key method, consistently, so that
 * differencing two queries does not recover a small group. The register here is generated from a
 * fixed seed with explicit record keys, so every expectation is computed in this file from the
 * rows and the documented perturbation table, and the outcome never depends on chance.
 */
let db: TestDatabase;
let app: TestApp;
let app10: TestApp;

const MIN_CELL = 5;
const VILLAGE_COUNT = 40;

interface GenHousehold { id: string; village: string; desil: number | null; key: number }
interface GenEnrolment { id: string; household: string | null; village: string; status: 'ACTIVE' | 'SUSPENDED'; key: number }
let villages: string[] = [];
const households: GenHousehold[] = [];
const enrolments: GenEnrolment[] = [];
/** The true number of decile-4 households per village: 1..4, always below STATS_MIN_CELL. */
const decile4 = new Map<string, number>();

const published = (n: number, cellKey: number) => n + PERTURBATION_TABLE[Math.min(n, PERTURBATION_TABLE.length - 1)][cellKey];
const cellOf = (rows: Array<{ key: number }>) => ({ n: rows.length, key: rows.reduce((a, r) => a + r.key, 0) % RECORD_KEY_MODULUS });

const STATS = `query($measure: StatMeasure!, $groupBy: [StatDimension!]!, $filter: StatFilter) {
  stats(measure: $measure, groupBy: $groupBy, filter: $filter) { keys { dimension value } count suppressed } }`;
const COVERAGE = `query($program: String!, $level: RegionLevel!, $regionCode: String, $eligibleDesilMax: Int) {
  coverage(program: $program, level: $level, regionCode: $regionCode, eligibleDesilMax: $eligibleDesilMax) {
    region { code } eligibleHouseholds enrolledHouseholds coveredEligibleHouseholds inclusionErrors exclusionErrors coverageRate } }`;

interface Row { keys: Array<{ dimension: string; value: string | null }>; count: number | null; suppressed: boolean }
interface CoverageRow {
  region: { code: string }; eligibleHouseholds: number; enrolledHouseholds: number; coveredEligibleHouseholds: number;
  inclusionErrors: number; exclusionErrors: number; coverageRate: number | null;
}

async function byVillage(role: 'ANALYST' | 'ADMIN', filter: Record<string, unknown>, on: TestApp = app): Promise<Map<string, Row>> {
  const result = await on.as<{ stats: Row[] }>(role, ['35.09'], STATS, { measure: 'HOUSEHOLDS', groupBy: ['VILLAGE'], filter });
  expect(result.errors).toBeUndefined();
  return new Map(result.data!.stats.map((r) => [r.keys[0].value!, r]));
}

async function coverage(role: 'ANALYST' | 'ADMIN', eligibleDesilMax = 4): Promise<Map<string, CoverageRow>> {
  const result = await app.as<{ coverage: CoverageRow[] }>(role, ['35.09'], COVERAGE, { program: 'PKH', level: 'VILLAGE', eligibleDesilMax });
  expect(result.errors).toBeUndefined();
  return new Map(result.data!.coverage.map((r) => [r.region.code, r]));
}

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  app10 = await createTestApp(db.database, { STATS_MIN_CELL: '10' });
  villages = (await db.database.execute<{ code: string }>(sql`
    select code from regions where level = 'VILLAGE' and code like '35.09.%' order by code limit ${VILLAGE_COUNT}`)).map((r) => r.code);
  const random = mulberry32(20261125); // the same register (and record keys) on every run
  const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  for (const village of villages) {
    const add = (desil: number | null) => {
      const h = { id: `G-${households.length}`, village, desil, key: int(0, 255) };
      households.push(h);
      return h;
    };
    // Deciles 1-3: 8..15 households (well above the threshold); decile 4: 1..4; richer ones and an unranked one.
    for (let i = int(8, 15); i > 0; i--) add(int(1, 3));
    const d4 = int(1, 4);
    decile4.set(village, d4);
    for (let i = 0; i < d4; i++) add(4);
    for (let i = int(2, 6); i > 0; i--) add(int(5, 10));
    add(null);
  }
  // PKH: about half the households of every decile, some SUSPENDED, and a few enrolments resolving to nobody.
  for (const h of households) {
    if (random() < 0.5) enrolments.push({ id: `GE-${enrolments.length}`, household: h.id, village: h.village, status: random() < 0.85 ? 'ACTIVE' : 'SUSPENDED', key: int(0, 255) });
  }
  for (const village of villages) {
    for (let i = int(0, 3); i > 0; i--) enrolments.push({ id: `GE-${enrolments.length}`, household: null, village, status: 'ACTIVE', key: int(0, 255) });
  }
  await addHouseholds(db.database, households.map((h) => ({ id: h.id, villageCode: h.village, desil: h.desil, recordKey: h.key })));
  await addEnrolments(db.database, enrolments.map((e) => ({
    id: e.id, programCode: 'PKH', status: e.status, villageCode: e.village, householdId: e.household, recordKey: e.key, name: `Penerima ${e.id}`,
  })));
});
afterAll(async () => {
  await app?.stop();
  await app10?.stop();
  await db?.dispose();
});

describe('the perturbation table', () => {
  it('has a row per count class, 256 cell keys each, mean 0, |adjustment| <= 2, never a negative count, 0 stays 0', () => {
    PERTURBATION_TABLE.forEach((row, n) => {
      expect(row).toHaveLength(RECORD_KEY_MODULUS);
      expect(row.reduce((a, b) => a + b, 0)).toBe(0);
      for (const adjustment of row) {
        expect(Math.abs(adjustment)).toBeLessThanOrEqual(MAX_ADJUSTMENT);
        expect(n + adjustment).toBeGreaterThanOrEqual(0);
      }
    });
    expect(new Set(PERTURBATION_TABLE[0])).toEqual(new Set([0]));
  });
});

describe('stats for ANALYST', () => {
  it('differencing desilMax 4 and desilMax 3 per village recovers the small decile-4 count in fewer than half of the villages', async () => {
    const four = await byVillage('ANALYST', { desilMax: 4 });
    const three = await byVillage('ANALYST', { desilMax: 3 });
    let recovered = 0;
    for (const village of villages) {
      const difference = four.get(village)!.count! - three.get(village)!.count!;
      if (difference === decile4.get(village)) recovered++;
    }
    expect(four.size).toBe(VILLAGE_COUNT);
    expect(recovered).toBeLessThan(VILLAGE_COUNT / 2);
    // Without disclosure control the same subtraction recovers every village: the test can fail.
    const exactFour = await byVillage('ADMIN', { desilMax: 4 });
    const exactThree = await byVillage('ADMIN', { desilMax: 3 });
    for (const village of villages) expect(exactFour.get(village)!.count! - exactThree.get(village)!.count!).toBe(decile4.get(village));
  });

  it('gives identical answers to the same query asked twice', async () => {
    for (const filter of [{}, { desilMax: 4 }, { desilMin: 4, desilMax: 4 }, { program: 'PKH' }]) {
      expect(await byVillage('ANALYST', filter)).toEqual(await byVillage('ANALYST', filter));
    }
    const ask = () => app.as('ANALYST', ['35.09'], STATS, { measure: 'HOUSEHOLDS', groupBy: ['VILLAGE', 'DESIL'], filter: {} });
    expect(await ask()).toEqual(await ask());
  });

  it('shows exactly the documented table: suppressed below STATS_MIN_CELL, else max(min cell, count + adjustment(count, cell key))', async () => {
    for (const filter of [{ desilMax: 4 }, { desilMax: 3 }, { desilMin: 4, desilMax: 4 }, {}]) {
      const shown = await byVillage('ANALYST', filter);
      for (const village of villages) {
        const rows = households.filter((h) => h.village === village
          && (filter.desilMin == null || (h.desil != null && h.desil >= filter.desilMin))
          && (filter.desilMax == null || (h.desil != null && h.desil <= filter.desilMax)));
        const { n, key } = cellOf(rows);
        const row = shown.get(village)!;
        if (n < MIN_CELL) {
          expect(row).toMatchObject({ count: null, suppressed: true });
        } else {
          expect(row.suppressed).toBe(false);
          expect(row.count).toBe(Math.max(MIN_CELL, published(n, key)));
          expect(Math.abs(row.count! - n)).toBeLessThanOrEqual(MAX_ADJUSTMENT);
        }
      }
    }
  });

  it('perturbs (some shown counts differ from the true ones) and the ADMIN sees the exact ones', async () => {
    const analyst = await byVillage('ANALYST', {});
    const admin = await byVillage('ADMIN', {});
    let differ = 0;
    for (const village of villages) {
      expect(admin.get(village)!.count).toBe(households.filter((h) => h.village === village).length);
      if (analyst.get(village)!.count !== admin.get(village)!.count) differ++;
    }
    expect(differ).toBeGreaterThan(VILLAGE_COUNT / 4);
  });

  it('takes STATS_MIN_CELL from the configuration', async () => {
    const shown = await byVillage('ANALYST', { desilMax: 4 }, app10);
    for (const village of villages) {
      const n = households.filter((h) => h.village === village && h.desil != null && h.desil <= 4).length;
      const row = shown.get(village)!;
      expect(row.suppressed).toBe(n < 10);
      if (!row.suppressed) expect(row.count!).toBeGreaterThanOrEqual(10);
    }
  });
});

describe('coverage for ANALYST', () => {
  it('perturbs each number within the bound, keeps them coherent, and takes the rate from the shown numbers', async () => {
    const shown = await coverage('ANALYST');
    const exact = await coverage('ADMIN');
    expect([...shown.keys()]).toEqual([...exact.keys()]);
    for (const [village, s] of shown) {
      const x = exact.get(village)!;
      expect(Math.abs(s.eligibleHouseholds - x.eligibleHouseholds)).toBeLessThanOrEqual(MAX_ADJUSTMENT);
      expect(Math.abs(s.enrolledHouseholds - x.enrolledHouseholds)).toBeLessThanOrEqual(MAX_ADJUSTMENT);
      expect(Math.abs(s.coveredEligibleHouseholds - x.coveredEligibleHouseholds)).toBeLessThanOrEqual(MAX_ADJUSTMENT);
      expect(s.coveredEligibleHouseholds).toBeLessThanOrEqual(Math.min(s.eligibleHouseholds, s.enrolledHouseholds));
      expect(s.exclusionErrors).toBe(s.eligibleHouseholds - s.coveredEligibleHouseholds);
      expect(s.inclusionErrors).toBeGreaterThanOrEqual(s.enrolledHouseholds - s.coveredEligibleHouseholds);
      for (const value of [s.eligibleHouseholds, s.enrolledHouseholds, s.coveredEligibleHouseholds, s.inclusionErrors, s.exclusionErrors]) {
        expect(value).toBeGreaterThanOrEqual(0);
      }
      expect(s.coverageRate).toBe(s.eligibleHouseholds === 0 ? null : s.coveredEligibleHouseholds / s.eligibleHouseholds);
    }
    expect([...shown.values()].filter((s) => s.eligibleHouseholds !== exact.get(s.region.code)!.eligibleHouseholds).length).toBeGreaterThan(0);
  });

  it('computes the exact numbers from the rows (ADMIN), and the perturbed ones from their cells (ANALYST)', async () => {
    const shown = await coverage('ANALYST');
    const exact = await coverage('ADMIN');
    for (const village of villages) {
      const mine = households.filter((h) => h.village === village);
      const enrolled = new Set(enrolments.filter((e) => e.status === 'ACTIVE' && e.household).map((e) => e.household));
      const eligible = mine.filter((h) => h.desil != null && h.desil <= 4);
      const enrolledHere = mine.filter((h) => enrolled.has(h.id));
      const covered = eligible.filter((h) => enrolled.has(h.id));
      const unresolved = enrolments.filter((e) => e.village === village && e.status === 'ACTIVE' && !e.household);
      expect(exact.get(village)).toMatchObject({
        eligibleHouseholds: eligible.length, enrolledHouseholds: enrolledHere.length, coveredEligibleHouseholds: covered.length,
        inclusionErrors: enrolledHere.length - covered.length + unresolved.length, exclusionErrors: eligible.length - covered.length,
      });
      const e = cellOf(eligible); const n = cellOf(enrolledHere); const c = cellOf(covered); const u = cellOf(unresolved);
      const eligibleShown = published(e.n, e.key);
      const enrolledShown = published(n.n, n.key);
      const coveredShown = Math.min(published(c.n, c.key), eligibleShown, enrolledShown);
      expect(shown.get(village)).toMatchObject({
        eligibleHouseholds: eligibleShown, enrolledHouseholds: enrolledShown, coveredEligibleHouseholds: coveredShown,
        exclusionErrors: eligibleShown - coveredShown, inclusionErrors: enrolledShown - coveredShown + published(u.n, u.key),
      });
    }
  });

  it('shows the same number for the same rows through stats and coverage, and the same answer twice', async () => {
    const eligible = await byVillage('ANALYST', { desilMax: 4 });
    const shown = await coverage('ANALYST');
    let compared = 0;
    for (const village of villages) {
      const row = eligible.get(village)!;
      // Above the floor of stats (shown >= STATS_MIN_CELL), both publish count + adjustment of the same cell.
      if (!row.suppressed && row.count! > MIN_CELL) {
        expect(shown.get(village)!.eligibleHouseholds).toBe(row.count);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(VILLAGE_COUNT / 2);
    expect(await coverage('ANALYST')).toEqual(shown);
    expect(await coverage('ANALYST', 3)).toEqual(await coverage('ANALYST', 3));
  });
});

describe('record keys', () => {
  it('are drawn once: re-importing a changed household, person or enrolment keeps the key', async () => {
    const village = villages[0];
    const first = [
      ['households', csv('households', `IMP-H,${village},Jl. Mawar 1,001,001,3,2025-01-01`)],
      ['persons', csv('persons', 'IMP-P,IMP-H,3509014501900001,3509010101200001,Siti Impor,F,Jember,1990-01-05,HEAD,MARRIED,PRESENT,false,false,')],
      ['enrolments', csv('enrolments', `IMP-E,PKH,3509014501900001,3509010101200001,Siti Impor,1990-01-05,${village},ACTIVE,2024-01-01,,750000`)],
    ] as const;
    for (const [kind, text] of first) expect((await importText(db.database, kind, text)).errors).toEqual([]);
    const keys = async () => db.database.execute<{ t: string; k: number }>(sql`
      select 'h' as t, record_key as k from households where id = 'IMP-H' union all
      select 'p', record_key from persons where id = 'IMP-P' union all
      select 'e', record_key from enrolments where id = 'IMP-E' order by 1`);
    const before = await keys();
    expect(before).toHaveLength(3);
    const changed = [
      ['households', csv('households', `IMP-H,${village},Jl. Mawar 2,001,001,5,2025-06-01`)],
      ['persons', csv('persons', 'IMP-P,IMP-H,3509014501900001,3509010101200001,Siti Impor Baru,F,Jember,1990-01-05,HEAD,WIDOWED,PRESENT,false,false,FAKIR_MISKIN')],
      ['enrolments', csv('enrolments', `IMP-E,PKH,3509014501900001,3509010101200001,Siti Impor,1990-01-05,${village},SUSPENDED,2024-01-01,,750000`)],
    ] as const;
    for (const [kind, text] of changed) {
      const { batch, errors } = await importText(db.database, kind, text);
      expect(errors).toEqual([]);
      expect(batch.updated, kind).toBe(1);
    }
    expect(await keys()).toEqual(before);
  });
});
