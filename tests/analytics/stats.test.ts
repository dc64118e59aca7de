import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/viewer.js';
import { composeNik } from '../../src/lib/nik.js';
import { codes, createTestApp, type TestApp } from '../helpers/app.js';
import { captureStatements, openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addCivilRecords, addEnrolments, addHouseholds, addPersons, VILLAGES } from '../helpers/fixtures.js';

/**
 * stats (CONTRACT.md section 8) on named fixtures. Expected counts come from a small reference
 * model written here in plain JavaScript over the same fixture objects (never from the
 * service's SQL): every measure with every dimension it allows, combinations, every filter,
 * the scope of every role, and hostile arguments.
 */
let db: TestDatabase;
let app: TestApp;

const V = VILLAGES;
type Sex = 'M' | 'F';

interface H { id: string; village: string; desil: number | null }
interface P {
  id: string; hh: string; sex: Sex; birth: string | null; ppks: string[]; nik: string | null; name: string;
  /** What the civil registry will say (the fixture below makes it so), hand-assigned. */
  status: string;
  civil?: { deathDate?: string; name?: string };
}
interface E { id: string; program: string; status: 'ACTIVE' | 'SUSPENDED' | 'ENDED'; village: string; person: string | null; household: string | null }

/** Birth dates relative to the test's day, so the age bands do not drift with the calendar. */
const today = new Date();
const yearsAgo = (years: number, plusDays = 0) => {
  const d = new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate()));
  if (d.getUTCMonth() !== today.getUTCMonth()) d.setUTCDate(0); // 29 Feb -> 28 Feb
  d.setUTCDate(d.getUTCDate() + plusDays);
  return d.toISOString().slice(0, 10);
};
/** The reference age band: whole years on the UTC date, then 5-year bands, 75+. */
function ageBand(birth: string | null): string | null {
  if (!birth) return null;
  const [y, m, d] = birth.split('-').map(Number);
  const ty = today.getUTCFullYear(); const tm = today.getUTCMonth() + 1; const td = today.getUTCDate();
  const age = ty - y - (tm < m || (tm === m && td < d) ? 1 : 0);
  if (age < 0) return null;
  if (age >= 75) return '75+';
  const low = Math.floor(age / 5) * 5;
  return `${low}-${low + 4}`;
}

const HOUSEHOLDS: H[] = [
  { id: 'H-SITI', village: V.padomasan, desil: 1 },
  { id: 'H-BUDI', village: V.padomasan, desil: 4 },
  { id: 'H-UNRANKED', village: V.padomasan, desil: null },
  { id: 'H-KETING2', village: V.keting, desil: 2 },
  { id: 'H-KETING7', village: V.keting, desil: 7 },
  { id: 'H-CAKRU', village: V.cakru, desil: 4 },
  { id: 'H-MOJO1', village: V.mentikan, desil: 1 },
  { id: 'H-MOJO3', village: V.mentikan, desil: 3 },
  { id: 'H-SOLOK', village: V.tanahGaram, desil: 5 },
];
const hh = (id: string) => HOUSEHOLDS.find((h) => h.id === id)!;

const nik = (village: string, birth: string, sex: Sex, serial: number) => composeNik(village.slice(0, 8), birth, sex, serial);
const B = {
  nenek: yearsAgo(80, -10), toddler: yearsAgo(3), budi: yearsAgo(36, 40), exactlyFive: yearsAgo(5), almostFive: yearsAgo(5, 1),
  keting7: yearsAgo(52), cakru: yearsAgo(74, 1), mojo: yearsAgo(45), mojoKid: yearsAgo(12), solok: yearsAgo(60),
};
const PERSONS: P[] = [
  // Two PPKS categories: counted in both. Deceased in the civil registry.
  { id: 'P-NENEK', hh: 'H-SITI', sex: 'F', birth: B.nenek, ppks: ['LANJUT_USIA_TELANTAR', 'FAKIR_MISKIN'], name: 'Sumiati', nik: nik(V.padomasan, B.nenek, 'F', 1), status: 'DECEASED', civil: { deathDate: '2025-01-02' } },
  { id: 'P-BALITA', hh: 'H-SITI', sex: 'M', birth: B.toddler, ppks: [], name: 'Rizky', nik: '12345', status: 'INVALID_NIK' },
  { id: 'P-BUDI', hh: 'H-BUDI', sex: 'M', birth: B.budi, ppks: ['FAKIR_MISKIN'], name: 'Budi Santoso', nik: nik(V.padomasan, B.budi, 'M', 2), status: 'VERIFIED', civil: {} },
  { id: 'P-UNKNOWN-AGE', hh: 'H-UNRANKED', sex: 'F', birth: null, ppks: [], name: 'Tanpa Tanggal', nik: nik(V.padomasan, '1990-01-01', 'F', 3), status: 'NOT_FOUND' },
  { id: 'P-FIVE', hh: 'H-KETING2', sex: 'F', birth: B.exactlyFive, ppks: ['ANAK_TELANTAR'], name: 'Lima Tahun', nik: nik(V.keting, B.exactlyFive, 'F', 4), status: 'NAME_MISMATCH', civil: { name: 'Orang Lain Sekali' } },
  { id: 'P-FOUR', hh: 'H-KETING2', sex: 'M', birth: B.almostFive, ppks: [], name: 'Empat Tahun', nik: nik(V.keting, B.almostFive, 'M', 5), status: 'VERIFIED', civil: {} },
  { id: 'P-KETING7', hh: 'H-KETING7', sex: 'M', birth: B.keting7, ppks: [], name: 'Joko Susilo', nik: nik(V.keting, B.keting7, 'M', 6), status: 'VERIFIED', civil: {} },
  { id: 'P-CAKRU', hh: 'H-CAKRU', sex: 'F', birth: B.cakru, ppks: ['PENYANDANG_DISABILITAS'], name: 'Mbah Cakru', nik: nik(V.cakru, B.cakru, 'F', 7), status: 'VERIFIED', civil: {} },
  { id: 'P-MOJO', hh: 'H-MOJO1', sex: 'F', birth: B.mojo, ppks: ['FAKIR_MISKIN'], name: 'Rini Mojo', nik: nik(V.mentikan, B.mojo, 'F', 8), status: 'VERIFIED', civil: {} },
  { id: 'P-MOJO-KID', hh: 'H-MOJO3', sex: 'M', birth: B.mojoKid, ppks: [], name: 'Anak Mojo', nik: nik(V.mentikan, B.mojoKid, 'M', 9), status: 'DECEASED', civil: { deathDate: '2024-03-03' } },
  { id: 'P-SOLOK', hh: 'H-SOLOK', sex: 'M', birth: B.solok, ppks: [], name: 'Datuk Solok', nik: nik(V.tanahGaram, B.solok, 'M', 10), status: 'VERIFIED', civil: {} },
];
const person = (id: string) => PERSONS.find((p) => p.id === id)!;

const ENROLMENTS: E[] = [
  { id: 'E-NENEK-PKH', program: 'PKH', status: 'ACTIVE', village: V.padomasan, person: 'P-NENEK', household: 'H-SITI' },
  { id: 'E-NENEK-BPNT', program: 'BPNT', status: 'ACTIVE', village: V.padomasan, person: 'P-NENEK', household: 'H-SITI' },
  { id: 'E-BALITA-PBI', program: 'PBI_JK', status: 'ACTIVE', village: V.padomasan, person: 'P-BALITA', household: 'H-SITI' },
  { id: 'E-BUDI-PKH', program: 'PKH', status: 'ACTIVE', village: V.padomasan, person: 'P-BUDI', household: 'H-BUDI' },
  { id: 'E-KETING7-PKH', program: 'PKH', status: 'ACTIVE', village: V.keting, person: 'P-KETING7', household: 'H-KETING7' },
  { id: 'E-NOBODY-PKH', program: 'PKH', status: 'ACTIVE', village: V.keting, person: null, household: null },
  { id: 'E-CAKRU-PKH', program: 'PKH', status: 'SUSPENDED', village: V.cakru, person: 'P-CAKRU', household: 'H-CAKRU' },
  { id: 'E-FIVE-PBI', program: 'PBI_JK', status: 'ENDED', village: V.keting, person: 'P-FIVE', household: 'H-KETING2' },
  { id: 'E-MOJO-PKH', program: 'PKH', status: 'ACTIVE', village: V.mentikan, person: 'P-MOJO', household: 'H-MOJO1' },
  // Delivered in Jember, resolving to a Mojokerto household: for a Jember viewer it resolves to nobody visible.
  { id: 'E-CROSS-PKH', program: 'PKH', status: 'ACTIVE', village: V.padomasan, person: 'P-MOJO-KID', household: 'H-MOJO3' },
  { id: 'E-SOLOK-BPNT', program: 'BPNT', status: 'ACTIVE', village: V.tanahGaram, person: 'P-SOLOK', household: 'H-SOLOK' },
];

// ---------------------------------------------------------------- the reference model

interface ViewerModel { role: Role; regions: string[]; programs?: string[] }
const ADMIN: ViewerModel = { role: 'ADMIN', regions: ['*'] };
const JEMBER: ViewerModel = { role: 'MANAGER', regions: ['35.09'] };
const inRegions = (regions: string[], village: string) => regions.some((r) => r === '*' || village === r || village.startsWith(`${r}.`));
const enrolmentVisible = (v: ViewerModel, e: E) =>
  inRegions(v.regions, e.village) && (v.role !== 'PROGRAM_MANAGER' || (v.programs ?? []).includes(e.program));
const LENGTH: Record<string, number> = { PROVINCE: 2, REGENCY: 5, DISTRICT: 8, VILLAGE: 13 };

interface Filter { regionCode?: string; program?: string; desilMin?: number; desilMax?: number }
type Measure = 'HOUSEHOLDS' | 'PERSONS' | 'ENROLMENTS';

/** One counted row of the reference: where it is placed, its household and person as the viewer sees them. */
interface Counted { village: string; h: H | null; p: P | null; e: E | null }

function countedRows(v: ViewerModel, measure: Measure, f: Filter): Counted[] {
  const visibleH = (id: string | null) => (id && inRegions(v.regions, hh(id).village) ? hh(id) : null);
  const visibleP = (id: string | null) => (id && inRegions(v.regions, hh(person(id).hh).village) ? person(id) : null);
  let rows: Counted[];
  if (measure === 'HOUSEHOLDS') rows = HOUSEHOLDS.filter((h) => inRegions(v.regions, h.village)).map((h) => ({ village: h.village, h, p: null, e: null }));
  else if (measure === 'PERSONS') rows = PERSONS.filter((p) => inRegions(v.regions, hh(p.hh).village)).map((p) => ({ village: hh(p.hh).village, h: hh(p.hh), p, e: null }));
  else rows = ENROLMENTS.filter((e) => enrolmentVisible(v, e)).map((e) => ({ village: e.village, h: visibleH(e.household), p: visibleP(e.person), e }));
  return rows.filter((r) => {
    if (f.regionCode && !inRegions([f.regionCode], r.village)) return false;
    if (f.desilMin != null && !(r.h?.desil != null && r.h.desil >= f.desilMin)) return false;
    if (f.desilMax != null && !(r.h?.desil != null && r.h.desil <= f.desilMax)) return false;
    if (f.program) {
      const active = ENROLMENTS.filter((e) => e.program === f.program && e.status === 'ACTIVE' && enrolmentVisible(v, e));
      if (measure === 'ENROLMENTS' && r.e!.program !== f.program) return false;
      if (measure === 'PERSONS' && !active.some((e) => e.person === r.p!.id)) return false;
      if (measure === 'HOUSEHOLDS' && !active.some((e) => e.household === r.h!.id)) return false;
    }
    return true;
  });
}

function values(r: Counted, dimension: string): Array<string | null> {
  if (LENGTH[dimension]) return [r.village.slice(0, LENGTH[dimension])];
  switch (dimension) {
    case 'DESIL': return [r.h?.desil == null ? null : String(r.h.desil)];
    case 'PROGRAM': return [r.e!.program];
    case 'ENROLMENT_STATUS': return [r.e!.status];
    case 'SEX': return [r.p?.sex ?? null];
    case 'AGE_BAND': return [ageBand(r.p?.birth ?? null)];
    case 'PPKS': return r.p && r.p.ppks.length ? r.p.ppks : [null];
    case 'VERIFICATION_STATUS': return [r.p?.status ?? null];
    default: throw new Error(dimension);
  }
}

const keyOf = (vals: Array<string | null>) => vals.map((x) => x ?? '∅').join('|');

/** Expected groups: key -> count (a row in two PPKS categories counts in both). */
function expected(v: ViewerModel, measure: Measure, groupBy: string[], f: Filter = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of countedRows(v, measure, f)) {
    let combos: Array<Array<string | null>> = [[]];
    for (const d of groupBy) combos = combos.flatMap((c) => values(r, d).map((x) => [...c, x]));
    for (const c of combos) out[keyOf(c)] = (out[keyOf(c)] ?? 0) + 1;
  }
  return out;
}

// ---------------------------------------------------------------- the service

const STATS = `query($measure: StatMeasure!, $groupBy: [StatDimension!]!, $filter: StatFilter) {
  stats(measure: $measure, groupBy: $groupBy, filter: $filter) { keys { dimension value } count suppressed } }`;

interface Row { keys: Array<{ dimension: string; value: string | null }>; count: number | null; suppressed: boolean }

async function stats(v: ViewerModel, measure: Measure, groupBy: string[], filter: Filter = {}) {
  const result = await app.as<{ stats: Row[] }>(v.role, v.regions, STATS, { measure, groupBy, filter }, v.programs ? { programs: v.programs } : {});
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.stats;
}

async function actual(v: ViewerModel, measure: Measure, groupBy: string[], filter: Filter = {}): Promise<Record<string, number>> {
  const rows = await stats(v, measure, groupBy, filter);
  const out: Record<string, number> = {};
  for (const row of rows) {
    expect(row.keys.map((k) => k.dimension)).toEqual(groupBy);
    expect(row.suppressed).toBe(false);
    out[keyOf(row.keys.map((k) => k.value))] = row.count!;
  }
  return out;
}

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  const d = db.database;
  await addHouseholds(d, HOUSEHOLDS.map((h) => ({ id: h.id, villageCode: h.village, desil: h.desil })));
  await addPersons(d, PERSONS.map((p) => ({
    id: p.id, householdId: p.hh, villageCode: hh(p.hh).village, sex: p.sex, birthDate: p.birth, name: p.name, nik: p.nik,
    ppks: p.ppks as never,
  })));
  await addCivilRecords(d, PERSONS.filter((p) => p.civil).map((p) => ({
    nik: p.nik!, name: p.civil!.name ?? p.name, sex: p.sex, birthDate: p.birth, villageCode: hh(p.hh).village, deathDate: p.civil!.deathDate ?? null,
  })));
  await addEnrolments(d, ENROLMENTS.map((e) => ({
    id: e.id, programCode: e.program, status: e.status, villageCode: e.village, personId: e.person, householdId: e.household,
    name: e.person ? person(e.person).name : 'Tidak Dikenal', nik: e.person ? person(e.person).nik : null,
  })));
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

const REGION_DIMENSIONS = ['PROVINCE', 'REGENCY', 'DISTRICT', 'VILLAGE'];
const ALLOWED: Record<Measure, string[]> = {
  HOUSEHOLDS: [...REGION_DIMENSIONS, 'DESIL'],
  PERSONS: [...REGION_DIMENSIONS, 'DESIL', 'SEX', 'AGE_BAND', 'PPKS', 'VERIFICATION_STATUS'],
  ENROLMENTS: [...REGION_DIMENSIONS, 'DESIL', 'PROGRAM', 'ENROLMENT_STATUS', 'SEX', 'AGE_BAND', 'PPKS', 'VERIFICATION_STATUS'],
};
const SINGLE = (Object.entries(ALLOWED) as Array<[Measure, string[]]>).flatMap(([m, dims]) => dims.map((d) => [m, d] as const));

describe('stats: every measure by every dimension it allows', () => {
  it.each(SINGLE)('%s by %s (whole country, ADMIN)', async (measure, dimension) => {
    expect(await actual(ADMIN, measure, [dimension])).toEqual(expected(ADMIN, measure, [dimension]));
  });

  it.each(SINGLE)('%s by %s (Jember, MANAGER 35.09)', async (measure, dimension) => {
    expect(await actual(JEMBER, measure, [dimension])).toEqual(expected(JEMBER, measure, [dimension]));
  });

  it('pins the cases the contract names: PPKS double counting, desil null, age bands on the request day', async () => {
    const ppks = await actual(ADMIN, 'PERSONS', ['PPKS']);
    // P-NENEK (2 categories), P-BUDI and P-MOJO: FAKIR_MISKIN 3; P-NENEK again under LANJUT_USIA_TELANTAR.
    expect(ppks.FAKIR_MISKIN).toBe(3);
    expect(ppks.LANJUT_USIA_TELANTAR).toBe(1);
    expect(Object.values(ppks).reduce((a, b) => a + b, 0)).toBe(PERSONS.length + 1);
    expect((await actual(ADMIN, 'HOUSEHOLDS', ['DESIL']))['∅']).toBe(1);
    const bands = await actual(JEMBER, 'PERSONS', ['AGE_BAND']);
    expect(bands).toMatchObject({ '0-4': 2, '5-9': 1, '75+': 1, '70-74': 1, '∅': 1 });
  });

  it('orders groups by value (deciles numerically, age bands by age), unknown last', async () => {
    const desil = (await stats(ADMIN, 'HOUSEHOLDS', ['DESIL'])).map((r) => r.keys[0].value);
    expect(desil).toEqual(['1', '2', '3', '4', '5', '7', null]);
    const bands = (await stats(JEMBER, 'PERSONS', ['AGE_BAND'])).map((r) => r.keys[0].value);
    expect(bands).toEqual(['0-4', '5-9', '35-39', '50-54', '70-74', '75+', null]);
  });
});

describe('stats: combinations and filters', () => {
  const COMBOS: Array<[Measure, string[]]> = [
    ['HOUSEHOLDS', ['VILLAGE', 'DESIL']],
    ['HOUSEHOLDS', ['REGENCY', 'DISTRICT', 'VILLAGE']],
    ['PERSONS', ['REGENCY', 'AGE_BAND', 'SEX']],
    ['PERSONS', ['DESIL', 'PPKS', 'VERIFICATION_STATUS']],
    ['ENROLMENTS', ['PROGRAM', 'VERIFICATION_STATUS']],
    ['ENROLMENTS', ['DISTRICT', 'ENROLMENT_STATUS', 'PROGRAM', 'DESIL']],
    ['ENROLMENTS', ['PPKS', 'SEX', 'AGE_BAND']],
  ];
  const FILTERS: Filter[] = [
    {}, { program: 'PKH' }, { program: 'PBI_JK' }, { desilMax: 4 }, { desilMin: 2, desilMax: 4 }, { desilMin: 5 },
    { regionCode: '35.09.01' }, { regionCode: V.keting, program: 'PKH' }, { regionCode: '35.76' }, { regionCode: '63' },
  ];
  const CASES = COMBOS.flatMap(([m, g]) => FILTERS.map((f) => [m, g, f] as const));

  it.each(CASES)('%s by %j with filter %j', async (measure, groupBy, filter) => {
    expect(await actual(ADMIN, measure, [...groupBy], filter)).toEqual(expected(ADMIN, measure, [...groupBy], filter));
    expect(await actual(JEMBER, measure, [...groupBy], filter)).toEqual(expected(JEMBER, measure, [...groupBy], filter));
  });

  it('filter.program keeps the households and persons an ACTIVE enrolment resolves to, and only enrolments of it', async () => {
    expect(await actual(ADMIN, 'HOUSEHOLDS', ['VILLAGE'], { program: 'PKH' })).toEqual({ [V.padomasan]: 2, [V.keting]: 1, [V.mentikan]: 2 });
    // P-CAKRU's PKH enrolment is SUSPENDED, P-FIVE's PBI_JK ENDED: not kept.
    expect(await actual(ADMIN, 'PERSONS', ['VILLAGE'], { program: 'PBI_JK' })).toEqual({ [V.padomasan]: 1 });
    expect(await actual(ADMIN, 'ENROLMENTS', ['ENROLMENT_STATUS'], { program: 'PKH' })).toEqual({ ACTIVE: 6, SUSPENDED: 1 });
  });
});

describe('stats: scope on every path', () => {
  it('a Jember (35.09) viewer never counts a Mojokerto (35.76) or Solok row, whatever it asks', async () => {
    for (const [measure, dims] of Object.entries(ALLOWED) as Array<[Measure, string[]]>) {
      for (const filter of [{}, { regionCode: '35.76' }, { regionCode: V.mentikan }, { regionCode: '35' }, { program: 'PKH' }]) {
        const rows = await stats(JEMBER, measure, ['VILLAGE', ...dims.filter((d) => d !== 'VILLAGE').slice(0, 1)], filter);
        for (const row of rows) expect(row.keys[0].value!.startsWith('35.09.')).toBe(true);
        const total = rows.reduce((a, r) => a + r.count!, 0);
        expect(total).toBe(Object.values(expected(JEMBER, measure, ['VILLAGE', ...dims.filter((d) => d !== 'VILLAGE').slice(0, 1)], filter)).reduce((a, b) => a + b, 0));
      }
      expect(await stats(JEMBER, measure, ['PROVINCE'], { regionCode: '35.76' })).toEqual([]);
    }
  });

  it('an enrolment resolving to a household out of scope has no person or household for that viewer', async () => {
    // E-CROSS-PKH is delivered in Padomasan: the ADMIN sees its Mojokerto person, Jember sees nobody.
    expect((await actual(JEMBER, 'ENROLMENTS', ['SEX'], { regionCode: V.padomasan }))['∅']).toBe(1);
    expect((await actual(ADMIN, 'ENROLMENTS', ['SEX'], { regionCode: V.padomasan }))['∅']).toBeUndefined();
    expect((await actual(JEMBER, 'ENROLMENTS', ['DESIL'], { regionCode: V.padomasan }))['∅']).toBe(1);
    // A Mojokerto viewer sees the household but not the enrolment delivered in Jember.
    const mojo: ViewerModel = { role: 'SUPERVISOR', regions: ['35.76'] };
    expect(await actual(mojo, 'HOUSEHOLDS', ['VILLAGE'], { program: 'PKH' })).toEqual({ [V.mentikan]: 1 });
  });

  it('a viewer scoped to one district and one village counts only those', async () => {
    const v: ViewerModel = { role: 'FACILITATOR', regions: ['35.09.02', V.mentikan] };
    for (const [measure, dims] of Object.entries(ALLOWED) as Array<[Measure, string[]]>) {
      for (const d of dims) expect(await actual(v, measure, [d]), `${measure} ${d}`).toEqual(expected(v, measure, [d]));
    }
  });

  it('a PROGRAM_MANAGER counts only the enrolments of its programs', async () => {
    const pkh: ViewerModel = { role: 'PROGRAM_MANAGER', regions: ['*'], programs: ['PKH'] };
    expect(await actual(pkh, 'ENROLMENTS', ['PROGRAM'])).toEqual({ PKH: 7 });
    expect(await actual(pkh, 'ENROLMENTS', ['PROGRAM'], { program: 'BPNT' })).toEqual({});
    // Households and persons are the registry's: visible, but filtered by its programs' enrolments only.
    expect(await actual(pkh, 'HOUSEHOLDS', ['PROVINCE'], { program: 'BPNT' })).toEqual({});
    expect(await actual(pkh, 'PERSONS', ['PROVINCE'])).toEqual(expected(pkh, 'PERSONS', ['PROVINCE']));
    const two: ViewerModel = { role: 'PROGRAM_MANAGER', regions: ['35.09'], programs: ['PBI_JK', 'BPNT'] };
    for (const d of ALLOWED.ENROLMENTS) expect(await actual(two, 'ENROLMENTS', [d]), d).toEqual(expected(two, 'ENROLMENTS', [d]));
  });

  it.each(['EXTERNAL_APP', 'AUDITOR'] as const)('%s gets FORBIDDEN and no numbers', async (role) => {
    const result = await app.as(role, ['*'], STATS, { measure: 'HOUSEHOLDS', groupBy: ['PROVINCE'] });
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(result.data ?? null).toBeNull();
    const [denied] = await db.database.execute<{ n: number }>(sql`select count(*)::int as n from audit_entries where action = 'DENIED' and role = ${role} and fields @> array['stats']`);
    expect(denied.n).toBeGreaterThan(0);
  });

  it.each(['ADMIN', 'MANAGER', 'SUPERVISOR', 'FACILITATOR', 'PROGRAM_MANAGER', 'ANALYST'] as const)('%s may ask', async (role) => {
    const result = await app.as(role, ['*'], STATS, { measure: 'HOUSEHOLDS', groupBy: ['PROVINCE'] });
    expect(result.errors).toBeUndefined();
    expect(result.data!.stats.length).toBeGreaterThan(0);
  });
});

describe('stats: one statement', () => {
  it('runs one SQL statement with GROUP BY and the scope inside it, whatever the dimensions', async () => {
    const token = await app.token('MANAGER', ['35.09']);
    const { result, statements } = await captureStatements(db.database, () => app.execute(STATS, {
      measure: 'ENROLMENTS', groupBy: ['DISTRICT', 'AGE_BAND', 'PPKS', 'VERIFICATION_STATUS', 'DESIL'], filter: { regionCode: '35.09', desilMax: 9 },
    }, { token }));
    expect(result.errors).toBeUndefined();
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/group by/i);
    expect(statements[0]).toMatch(/regency_code = \$/);
  });
});

describe('stats: bad input is refused before any SQL runs', () => {
  const bad: Array<[string, Measure, unknown, Filter | Record<string, unknown>, RegExp]> = [
    ['empty groupBy', 'PERSONS', [], {}, /groupBy must name at least one dimension/],
    ['a repeated dimension', 'PERSONS', ['SEX', 'VILLAGE', 'SEX'], {}, /groupBy names SEX more than once/],
    ['PROGRAM on households', 'HOUSEHOLDS', ['PROGRAM'], {}, /PROGRAM cannot group HOUSEHOLDS: it groups ENROLMENTS only/],
    ['ENROLMENT_STATUS on persons', 'PERSONS', ['VILLAGE', 'ENROLMENT_STATUS'], {}, /ENROLMENT_STATUS cannot group PERSONS/],
    ['SEX on households', 'HOUSEHOLDS', ['SEX'], {}, /SEX cannot group HOUSEHOLDS: it groups PERSONS and ENROLMENTS only/],
    ['PPKS on households', 'HOUSEHOLDS', ['PPKS'], {}, /PPKS cannot group HOUSEHOLDS/],
    ['AGE_BAND on households', 'HOUSEHOLDS', ['AGE_BAND'], {}, /AGE_BAND cannot group HOUSEHOLDS/],
    ['VERIFICATION_STATUS on households', 'HOUSEHOLDS', ['VERIFICATION_STATUS'], {}, /VERIFICATION_STATUS cannot group HOUSEHOLDS/],
    ['desilMin > desilMax', 'HOUSEHOLDS', ['DESIL'], { desilMin: 5, desilMax: 3 }, /filter.desilMin must not be greater than filter.desilMax/],
    ['desil 0', 'HOUSEHOLDS', ['DESIL'], { desilMax: 0 }, /filter.desilMax must be between 1 and 10, got 0/],
    ['desil 11', 'HOUSEHOLDS', ['DESIL'], { desilMin: 11 }, /filter.desilMin must be between 1 and 10, got 11/],
    ['desil -1', 'PERSONS', ['DESIL'], { desilMin: -1 }, /filter.desilMin must be between 1 and 10/],
    ['an unknown program', 'PERSONS', ['SEX'], { program: 'NOPE' }, /filter.program must be the code of a known program, got "NOPE"/],
    ['a hostile program', 'PERSONS', ['SEX'], { program: "PKH' OR 1=1 --" }, /filter.program must be a program code/],
    ['a hostile region', 'PERSONS', ['SEX'], { regionCode: "35.09' OR '1'='1" }, /filter.regionCode must be a Kemendagri region code/],
    ['a huge region', 'PERSONS', ['SEX'], { regionCode: '3'.repeat(100_000) }, /filter.regionCode must be a Kemendagri region code/],
    ['a region with a wildcard', 'HOUSEHOLDS', ['VILLAGE'], { regionCode: '35.%' }, /filter.regionCode must be a Kemendagri region code/],
  ];
  it.each(bad)('%s', async (_label, measure, groupBy, filter, message) => {
    const token = await app.token('ADMIN', ['*']);
    const { result, statements } = await captureStatements(db.database, () => app.execute(STATS, { measure, groupBy, filter }, { token }));
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toMatch(message);
    expect(result.data ?? null).toBeNull();
    expect(statements.filter((s) => /group by/i.test(s))).toEqual([]);
  });

  it('refuses values GraphQL itself cannot take: unknown dimensions, desil beyond Int, a groupBy of 10,000', async () => {
    const unknown = await app.as('ADMIN', ['*'], STATS, { measure: 'PERSONS', groupBy: ['NIK'] });
    expect(codes(unknown)).toEqual(['BAD_USER_INPUT']);
    const huge = await app.as('ADMIN', ['*'], STATS, { measure: 'PERSONS', groupBy: ['SEX'], filter: { desilMax: 2 ** 40 } });
    expect(codes(huge)).toEqual(['BAD_USER_INPUT']);
    const many = await app.as('ADMIN', ['*'], STATS, { measure: 'PERSONS', groupBy: Array(10_000).fill('SEX') });
    expect(codes(many)).toEqual(['BAD_USER_INPUT']);
    expect(many.errors![0].message).toMatch(/more than once/);
  });

  it('answers an out-of-scope region as an empty one (the usual answer), not with an error', async () => {
    expect(await stats(JEMBER, 'HOUSEHOLDS', ['VILLAGE'], { regionCode: '13.72' })).toEqual([]);
    expect(await stats(JEMBER, 'HOUSEHOLDS', ['VILLAGE'], { regionCode: '99.99' })).toEqual([]);
  });
});

describe('stats: record keys', () => {
  it('imports and updates never change a record key; new rows get one in 0..255', async () => {
    const [before] = await db.database.execute<{ k: number }>(sql`select record_key as k from households where id = 'H-SITI'`);
    await db.database.execute(sql`update households set desil = 2 where id = 'H-SITI'`);
    await db.database.execute(sql`update households set desil = 1 where id = 'H-SITI'`);
    const [after] = await db.database.execute<{ k: number }>(sql`select record_key as k from households where id = 'H-SITI'`);
    expect(after.k).toBe(before.k);
    const [range] = await db.database.execute<{ lo: number; hi: number }>(sql`
      select min(k)::int as lo, max(k)::int as hi from (
        select record_key as k from households union all select record_key from persons union all select record_key from enrolments) x`);
    expect(range.lo).toBeGreaterThanOrEqual(0);
    expect(range.hi).toBeLessThanOrEqual(255);
  });
});
