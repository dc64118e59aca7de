import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { csv, importText, rows, V, type KindName } from './helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

/** One small file of every kind, in dependency order (named synthetic records). */
const FILES: Array<[KindName, string]> = [
  ['programs', csv('programs',
    'BANSOS_KAB,Bantuan Sosial Kabupaten Jember,FAMILY,PKH;BLT_DD',
    'BEASISWA_KAB,Beasiswa Kabupaten,INDIVIDUAL,')],
  ['households', csv('households',
    `HH-SITI,${V.jember1},"Jl. Melati 3, Dusun Krajan",001,002,2,2025-01-10`,
    `HH-BUDI,${V.jember2},Jl. Kenanga 9,003,001,,2024-11-30`,
    `HH-RINI,${V.mojokerto},Jl. Dahlia 1,004,002,7,2025-03-01`)],
  ['persons', csv('persons',
    'P-SITI,HH-SITI,3509014501900001,3509011001200001,Siti Aminah,F,Jember,1990-01-05,HEAD,MARRIED,PRESENT,false,true,FAKIR_MISKIN',
    'P-AHMAD,HH-SITI,3509010203850002,3509011001200001,Achmad Fauzi,M,Jember,1985-03-02,SPOUSE,MARRIED,PRESENT,false,false,',
    'P-BUDI,HH-BUDI,,3509011001200002,Budi Santoso,M,,1970-07-07,HEAD,WIDOWED,PRESENT,true,false,LANJUT_USIA_TELANTAR;PENYANDANG_DISABILITAS',
    'P-RINI,HH-RINI,3576015505800003,,Rini,F,Mojokerto,1980-05-15,HEAD,DIVORCED,PRESENT,,,')],
  ['enrolments', csv('enrolments',
    `E-SITI-PKH,PKH,3509014501900001,3509011001200001,SITI AMINAH,1990-01-05,${V.jember1},ACTIVE,2024-01-01,,750000`,
    `E-BUDI-BPNT,BPNT,,3509011001200002,Boedi Santoso,1970-07-07,${V.jember2},ACTIVE,2024-01-01,,200000`,
    `E-NOBODY,PBI_JK,3509016606060006,,Orang Lain,2006-06-26,${V.jember1},SUSPENDED,,,`)],
  ['civil-registry', csv('civil-registry',
    `3509014501900001,3509011001200001,Siti Aminah,F,Jember,1990-01-05,${V.jember1},`,
    `3576015505800003,3576010101200009,Rini Wulandari,F,Mojokerto,1980-05-15,${V.mojokerto},2025-06-01`)],
  ['referrals', csv('referrals',
    `R-1,2025-03-01T08:00:00+07:00,${V.jember1},HEALTH,Siti Aminah,3509014501900001,Belum punya BPJS PBI,REFERRED,DINKES`,
    `R-2,2025-03-02T09:30:00+07:00,${V.jember2},HOUSING,Budi Santoso,,"Rumah bocor, ""tidak layak huni""",REGISTERED,`,
    `R-3,2025-03-03T10:00:00Z,${V.solok},FOOD,Warga Baru,,Belum terdaftar DTKS,RESOLVED,`)],
];

const TABLES: Array<[string, string]> = [
  ['programs', 'code'], ['program_exclusions', 'program_code, excluded_code'], ['households', 'id'], ['persons', 'id'],
  ['enrolments', 'id'], ['civil_registry', 'nik'], ['referrals', 'id'], ['referral_events', 'id'],
];

/** Every row of every registry table, timestamps included. */
async function snapshot() {
  const out: Record<string, unknown[]> = {};
  for (const [table, order] of TABLES) out[table] = await rows(db.database, sql.raw(`select to_jsonb(t) as r from ${table} t order by ${order}`));
  return out;
}

async function importAll() {
  const batches = [];
  for (const [kind, text] of FILES) {
    const { batch, errors } = await importText(db.database, kind, text);
    expect(errors, kind).toEqual([]);
    batches.push(batch);
  }
  return batches;
}

describe('importing the same files twice', () => {
  it('changes nothing the second time, not even updated_at', async () => {
    const first = await importAll();
    expect(first.map((b) => [b.kind, b.accepted, b.inserted, b.updated])).toEqual([
      ['PROGRAMS', 2, 2, 0], ['HOUSEHOLDS', 3, 3, 0], ['PERSONS', 4, 4, 0], ['ENROLMENTS', 3, 3, 0], ['CIVIL_REGISTRY', 2, 2, 0], ['REFERRALS', 3, 3, 0],
    ]);
    const before = await snapshot();
    await new Promise((r) => setTimeout(r, 20));
    const second = await importAll();
    expect(second.map((b) => [b.kind, b.accepted, b.inserted, b.updated])).toEqual([
      ['PROGRAMS', 2, 0, 0], ['HOUSEHOLDS', 3, 0, 0], ['PERSONS', 4, 0, 0], ['ENROLMENTS', 3, 0, 0], ['CIVIL_REGISTRY', 2, 0, 0], ['REFERRALS', 3, 0, 0],
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('stored what the files say', async () => {
    expect(await rows(db.database, sql`select id, household_id, village_code, nik_valid, name_norm, ppks, disability from persons order by id`)).toEqual([
      { id: 'P-AHMAD', household_id: 'HH-SITI', village_code: V.jember1, nik_valid: true, name_norm: 'ahmad fauzi', ppks: '{}', disability: false },
      { id: 'P-BUDI', household_id: 'HH-BUDI', village_code: V.jember2, nik_valid: false, name_norm: 'budi santoso', ppks: '{LANJUT_USIA_TELANTAR,PENYANDANG_DISABILITAS}', disability: true },
      { id: 'P-RINI', household_id: 'HH-RINI', village_code: V.mojokerto, nik_valid: true, name_norm: 'rini', ppks: '{}', disability: null },
      { id: 'P-SITI', household_id: 'HH-SITI', village_code: V.jember1, nik_valid: true, name_norm: 'siti aminah', ppks: '{FAKIR_MISKIN}', disability: false },
    ].map((p) => ({ ...p, ppks: expect.anything() })));
    const ppks = await rows<{ id: string; n: number }>(db.database, sql`select id, cardinality(ppks) as n from persons order by id`);
    expect(ppks.map((p) => p.n)).toEqual([0, 2, 0, 1]);
    expect(await rows(db.database, sql`select program_code, excluded_code from program_exclusions where program_code = 'BANSOS_KAB' order by 2`)).toEqual([
      { program_code: 'BANSOS_KAB', excluded_code: 'BLT_DD' }, { program_code: 'BANSOS_KAB', excluded_code: 'PKH' },
    ]);
  });

  it('links enrolments to DTKS persons: by NIK, else by name and birth date in the regency', async () => {
    expect(await rows(db.database, sql`select id, person_id, household_id from enrolments order by id`)).toEqual([
      { id: 'E-BUDI-BPNT', person_id: 'P-BUDI', household_id: 'HH-BUDI' },
      { id: 'E-NOBODY', person_id: null, household_id: null },
      { id: 'E-SITI-PKH', person_id: 'P-SITI', household_id: 'HH-SITI' },
    ]);
  });

  it('places referrals in the DTKS by NIK, else by name in the same village, with one event each', async () => {
    expect(await rows(db.database, sql`select id, status, version, in_dtks, person_id, household_id, referred_to from referrals order by id`)).toEqual([
      { id: 'R-1', status: 'REFERRED', version: 1, in_dtks: true, person_id: 'P-SITI', household_id: 'HH-SITI', referred_to: 'DINKES' },
      { id: 'R-2', status: 'REGISTERED', version: 1, in_dtks: true, person_id: 'P-BUDI', household_id: 'HH-BUDI', referred_to: null },
      { id: 'R-3', status: 'RESOLVED', version: 1, in_dtks: false, person_id: null, household_id: null, referred_to: null },
    ]);
    expect(await rows(db.database, sql`select referral_id, from_status, to_status, actor, regency_code from referral_events order by referral_id`)).toEqual([
      { referral_id: 'R-1', from_status: null, to_status: 'REFERRED', actor: 'test-admin', regency_code: '35.09' },
      { referral_id: 'R-2', from_status: null, to_status: 'REGISTERED', actor: 'test-admin', regency_code: '35.09' },
      { referral_id: 'R-3', from_status: null, to_status: 'RESOLVED', actor: 'test-admin', regency_code: '13.72' },
    ]);
  });
});

describe('a file that updates records', () => {
  it('changes exactly the rows that differ', async () => {
    const before = await snapshot();
    const { batch } = await importText(db.database, 'households', csv('households',
      `HH-SITI,${V.jember1},"Jl. Melati 3, Dusun Krajan",001,002,1,2025-01-10`,
      `HH-BUDI,${V.jember2},Jl. Kenanga 9,003,001,,2024-11-30`,
      `HH-RINI,${V.mojokerto},Jl. Dahlia 1,004,002,7,2025-03-01`));
    expect(batch).toMatchObject({ accepted: 3, inserted: 0, updated: 1 });
    const after = await snapshot();
    const changed = (table: string) => after[table].filter((row, i) => JSON.stringify(row) !== JSON.stringify(before[table][i]));
    expect(changed('households').map((r: any) => [r.r.id, r.r.desil])).toEqual([['HH-SITI', 1]]);
    expect(changed('persons')).toEqual([]);
  });

  it('moves a household with its members (the persons follow the household village)', async () => {
    await importText(db.database, 'households', csv('households', `HH-BUDI,${V.solok},Jl. Baru 2,001,001,,2024-11-30`));
    expect(await rows(db.database, sql`select id, village_code, regency_code from persons where household_id = 'HH-BUDI'`)).toEqual([
      { id: 'P-BUDI', village_code: V.solok, regency_code: '13.72' },
    ]);
    // Linked by name and birth date in 35.09; the person now lives in 13.72.
    expect(await rows(db.database, sql`select person_id, household_id from enrolments where id = 'E-BUDI-BPNT'`)).toEqual([{ person_id: null, household_id: null }]);
  });

  it('leaves housing indicators alone when the file has no column for them', async () => {
    await importText(db.database, 'households', `household_id,village_code,address,rt,rw,desil,collected_on,floor,toilet\nHH-RINI,${V.mojokerto},Jl. Dahlia 1,004,002,7,2025-03-01,3,2\n`);
    const { batch } = await importText(db.database, 'households', csv('households', `HH-RINI,${V.mojokerto},Jl. Dahlia 1,004,002,7,2025-03-01`));
    expect(batch.updated).toBe(0);
    expect(await rows(db.database, sql`select floor, toilet, wall from households where id = 'HH-RINI'`)).toEqual([{ floor: 3, toilet: 2, wall: null }]);
  });

  it('appends a referral event and bumps the version when the status changes, not otherwise', async () => {
    const text = (status: string) => csv('referrals',
      `R-2,2025-03-02T09:30:00+07:00,${V.jember2},HOUSING,Budi Santoso,,"Rumah bocor, ""tidak layak huni""",${status},${status === 'REFERRED' ? 'RTLH' : ''}`);
    expect((await importText(db.database, 'referrals', text('REFERRED'))).batch.updated).toBe(1);
    expect((await importText(db.database, 'referrals', text('REFERRED'))).batch.updated).toBe(0);
    expect(await rows(db.database, sql`select status, version, referred_to, in_dtks from referrals where id = 'R-2'`)).toEqual([
      { status: 'REFERRED', version: 2, referred_to: 'RTLH', in_dtks: true },
    ]);
    expect(await rows(db.database, sql`select from_status, to_status, referred_to from referral_events where referral_id = 'R-2' order by id`)).toEqual([
      { from_status: null, to_status: 'REGISTERED', referred_to: null },
      { from_status: 'REGISTERED', to_status: 'REFERRED', referred_to: 'RTLH' },
    ]);
  });

  it("replaces a program's declared exclusions, and accepts codes defined later in the same file", async () => {
    const { batch, errors } = await importText(db.database, 'programs', csv('programs',
      'BANSOS_KAB,Bantuan Sosial Kabupaten Jember,FAMILY,PKH;PANGAN_KAB',
      'PANGAN_KAB,Bantuan Pangan Kabupaten,HOUSEHOLD,'));
    expect(errors).toEqual([]);
    expect(batch).toMatchObject({ accepted: 2, inserted: 1, updated: 1 });
    expect(await rows(db.database, sql`select excluded_code from program_exclusions where program_code = 'BANSOS_KAB' order by 1`)).toEqual([
      { excluded_code: 'PANGAN_KAB' }, { excluded_code: 'PKH' },
    ]);
  });
});

describe('identity resolution after imports', () => {
  it('links enrolments imported before their persons once the persons arrive, across regencies by NIK', async () => {
    await importText(db.database, 'enrolments', csv('enrolments',
      `E-EARLY,PIP,3509015012100004,,Dewi Lestari,2010-12-10,${V.jember1},ACTIVE,2024-07-01,,450000`,
      `E-TWIN,PKH,3509012020200005,,Joko Widodo,2020-08-20,${V.jember1},ACTIVE,2024-07-01,,450000`));
    expect(await rows(db.database, sql`select person_id from enrolments where id = 'E-EARLY'`)).toEqual([{ person_id: null }]);
    await importText(db.database, 'households', csv('households', `HH-DEWI,${V.mojokerto},Jl. Mawar,001,001,3,2025-01-01`));
    await importText(db.database, 'persons', csv('persons',
      'P-DEWI,HH-DEWI,3509015012100004,,Dewi Lestari,F,,2010-12-10,CHILD,SINGLE,PRESENT,false,false,',
      // Two DTKS records share one NIK: the enrolment resolves to the more similar name.
      'P-JOKO-A,HH-DEWI,3509012020200005,,Susilo Bambang,M,,2020-08-20,CHILD,SINGLE,PRESENT,false,false,',
      'P-JOKO-B,HH-DEWI,3509012020200005,,Joko Widodo,M,,2020-08-20,CHILD,SINGLE,PRESENT,false,false,'));
    expect(await rows(db.database, sql`select id, person_id, household_id from enrolments where id in ('E-EARLY', 'E-TWIN') order by id`)).toEqual([
      { id: 'E-EARLY', person_id: 'P-DEWI', household_id: 'HH-DEWI' },
      { id: 'E-TWIN', person_id: 'P-JOKO-B', household_id: 'HH-DEWI' },
    ]);
  });

  it('unlinks an enrolment when the person it resolved to no longer matches', async () => {
    await importText(db.database, 'persons', csv('persons',
      'P-DEWI,HH-DEWI,3509015012100099,,Dewi Lestari,F,,2010-12-10,CHILD,SINGLE,PRESENT,false,false,'));
    // Different NIK now, and the name fallback is regency-bound (35.76 person, 35.09 enrolment).
    expect(await rows(db.database, sql`select person_id from enrolments where id = 'E-EARLY'`)).toEqual([{ person_id: null }]);
  });
});
