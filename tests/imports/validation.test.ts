import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ImportHeaderError } from '../../src/modules/imports/imports.service.js';
import { captureStatements, openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { csv, HEADERS, importText, rows, V } from './helpers.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

const count = async (table: string) =>
  (await rows<{ n: number }>(db.database, sql.raw(`select count(*)::int as n from ${table}`)))[0].n;

// Named fixture rows (synthetic identities composed like real ones).
const HH_SITI = `HH-SITI,${V.jember1},Jl. Melati 3,001,002,2,2025-01-10`;
const HH_BUDI = `HH-BUDI,${V.mojokerto},Jl. Kenanga 9,003,001,,2024-11-30`;
const SITI = 'P-SITI,HH-SITI,3509014501900001,3509011001200001,Siti Aminah,F,Jember,1990-01-05,HEAD,MARRIED,PRESENT,false,false,FAKIR_MISKIN';
const ENROL_SITI = `E-SITI-PKH,PKH,3509014501900001,3509011001200001,Siti Aminah,1990-01-05,${V.jember1},ACTIVE,2024-01-01,,750000`;

describe('the header', () => {
  it('refuses a file that lacks a column, naming it, and writes nothing', async () => {
    const before = { batches: await count('import_batches'), households: await count('households'), audit: await count('audit_entries') };
    const text = `household_id,village_code,address,rt,rw,collected_on\n${'HH-1,35.09.01.2001,a,1,1,2025-01-01\n'.repeat(20)}`;
    const attempt = importText(db.database, 'households', text, { chunkRows: 5 });
    await expect(attempt).rejects.toThrow(ImportHeaderError);
    await expect(attempt).rejects.toThrow(/^the header lacks column desil; a households file has the columns household_id,village_code,address,rt,rw,desil,collected_on and optionally floor,wall,roof,water_source,lighting,cooking_fuel,toilet,tenure \(any order\)/);
    expect({ batches: await count('import_batches'), households: await count('households'), audit: await count('audit_entries') }).toEqual(before);
  });

  it('refuses a header that repeats a column', async () => {
    await expect(importText(db.database, 'households', `${HEADERS.households},desil\n${HH_SITI},3\n`)).rejects.toThrow(
      'the header repeats column "desil"; each column must appear once',
    );
  });

  it('refuses a 0-byte file as having no header', async () => {
    await expect(importText(db.database, 'programs', '')).rejects.toThrow(
      'the file is empty: a programs file starts with a header row: code,name,target_unit,exclusive_with',
    );
  });

  it('accepts a header-only file as an empty batch', async () => {
    const { batch } = await importText(db.database, 'programs', `${HEADERS.programs}\r\n`);
    expect(batch).toMatchObject({ kind: 'PROGRAMS', status: 'FINISHED', received: 0, accepted: 0, rejected: 0 });
    expect(batch.finishedAt).not.toBeNull();
  });

  it('takes columns in any order and ignores unknown ones', async () => {
    const text = `note,desil,collected_on,rw,rt,address,village_code,household_id\nignored,4,2025-05-01,007,008,Jl. Anggrek,${V.solok},HH-ORDER\n`;
    const { batch } = await importText(db.database, 'households', text);
    expect(batch).toMatchObject({ received: 1, accepted: 1, rejected: 0 });
    expect(await rows(db.database, sql`select id, village_code, address, rt, rw, desil, collected_on from households where id = 'HH-ORDER'`)).toEqual([
      { id: 'HH-ORDER', village_code: V.solok, address: 'Jl. Anggrek', rt: '008', rw: '007', desil: 4, collected_on: '2025-05-01' },
    ]);
  });

  it('refuses an unknown kind', async () => {
    await expect(importText(db.database, 'people', csv('persons'))).rejects.toThrow(
      'kind must be one of programs, households, persons, enrolments, civil-registry, referrals, got "people"',
    );
  });
});

describe('real files', () => {
  it('reads a BOM, CRLF line ends, quoted commas, quotes and newlines, and trailing empty lines', async () => {
    const text = '\uFEFF' + [
      HEADERS.households,
      `HH-QUOTE,${V.jember1},"Jl. Mawar 1, ""Gang Buntu""\r\nBelakang masjid",001,002,3,2025-01-02`,
      `HH-PLAIN,${V.jember2},Jl. Mawar 2,,,,`,
      '', '', '',
    ].join('\r\n');
    const { batch, errors } = await importText(db.database, 'households', Buffer.from(text, 'utf8'));
    expect(errors).toEqual([]);
    expect(batch).toMatchObject({ received: 2, accepted: 2, rejected: 0, inserted: 2 });
    expect(await rows(db.database, sql`select id, address, rt, desil from households where id in ('HH-QUOTE', 'HH-PLAIN') order by id`)).toEqual([
      { id: 'HH-PLAIN', address: 'Jl. Mawar 2', rt: null, desil: null },
      { id: 'HH-QUOTE', address: 'Jl. Mawar 1, "Gang Buntu"\r\nBelakang masjid', rt: '001', desil: 3 },
    ]);
  });

  it('rejects a row with too many or too few cells and keeps the others', async () => {
    const { batch, errors } = await importText(db.database, 'households', csv('households',
      `HH-CELLS1,${V.jember1},a,1,1,2,2025-01-01,extra`,
      `HH-CELLS2,${V.jember1},a`,
      `HH-CELLS3,${V.jember1},a,1,1,2,2025-01-01`));
    expect(errors).toEqual([
      { row: 1, field: null, message: 'has 8 cells, the header has 7' },
      { row: 2, field: null, message: 'has 3 cells, the header has 7' },
    ]);
    expect(batch).toMatchObject({ received: 3, accepted: 1, rejected: 2 });
  });

  it('rejects a 100 kB cell without failing the file', async () => {
    const { batch, errors } = await importText(db.database, 'households', csv('households',
      `HH-BIG,${V.jember1},"${'x'.repeat(100 * 1024)}",1,1,2,2025-01-01`, HH_SITI));
    expect(errors).toEqual([{ row: 1, field: 'address', message: 'must be at most 500 characters, got 102400' }]);
    expect(batch).toMatchObject({ received: 2, accepted: 1, rejected: 1 });
  });

  it('rejects control characters, naming the code point', async () => {
    const { errors } = await importText(db.database, 'households', csv('households', `HH-CTRL,${V.jember1},Jl.\u0000Nul,1,1,2,2025-01-01`, `HH-BELL,${V.jember1},ok,1\u0007,1,2,2025-01-01`));
    expect(errors).toEqual([
      { row: 1, field: 'address', message: 'must not contain control characters, got U+0000 at position 4' },
      { row: 2, field: 'rt', message: 'must not contain control characters, got U+0007 at position 2' },
    ]);
  });

  it('stores SQL-looking text verbatim', async () => {
    const hostile = `Robert'); DROP TABLE households;--`;
    const { batch } = await importText(db.database, 'households', csv('households', `HH-SQL,${V.jember1},"${hostile}",1,1,2,2025-01-01`));
    expect(batch.accepted).toBe(1);
    expect(await rows(db.database, sql`select address from households where id = 'HH-SQL'`)).toEqual([{ address: hostile }]);
  });

  it('rejects huge numbers and impossible dates', async () => {
    const { errors } = await importText(db.database, 'households', csv('households',
      `HH-HUGE,${V.jember1},a,1,1,99999999999999999999,2025-02-30`));
    expect(errors).toEqual([
      { row: 1, field: 'desil', message: 'must be a desil 1..10 (or empty when not ranked), got "99999999999999999999"' },
      { row: 1, field: 'collected_on', message: 'must be a calendar date YYYY-MM-DD, got "2025-02-30"' },
    ]);
  });

  it('keeps the rows before a broken record, marks the batch FAILED and says where it stopped', async () => {
    const text = csv('households', HH_SITI, `HH-OPEN,${V.jember1},"never closed,1,1,2,2025-01-01`, HH_BUDI);
    const { batch, errors } = await importText(db.database, 'households', text);
    expect(batch).toMatchObject({ status: 'FAILED', received: 2, accepted: 1, rejected: 1 });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ row: 2, field: null });
    expect(errors[0].message).toMatch(/^malformed CSV \(CSV_QUOTE_NOT_CLOSED\): .*; the rest of the file was not read$/);
  });
});

describe('rows that cannot be stored are rejected with row, field and reason', () => {
  beforeAll(async () => {
    await importText(db.database, 'households', csv('households', HH_SITI, HH_BUDI));
  });

  const cases: Array<[string, string, string, { field: string | null; message: string }]> = [
    ['households: missing key', 'households', `,${V.jember1},a,1,1,2,2025-01-01`, { field: 'household_id', message: 'is required' }],
    ['households: key too long', 'households', `${'H'.repeat(65)},${V.jember1},a,1,1,2,2025-01-01`, { field: 'household_id', message: 'must be at most 64 characters, got 65' }],
    ['households: malformed village', 'households', 'HH-X,35.09,a,1,1,2,2025-01-01', { field: 'village_code', message: 'must be a Kemendagri village code such as 35.09.01.2001, got "35.09"' }],
    ['households: unknown village', 'households', 'HH-X,35.09.01.9999,a,1,1,2,2025-01-01', { field: 'village_code', message: 'must be a village of the region table; no village has code "35.09.01.9999"' }],
    ['households: desil 0', 'households', `HH-X,${V.jember1},a,1,1,0,2025-01-01`, { field: 'desil', message: 'must be a desil 1..10 (or empty when not ranked), got "0"' }],
    ['households: desil 11', 'households', `HH-X,${V.jember1},a,1,1,11,2025-01-01`, { field: 'desil', message: 'must be a desil 1..10 (or empty when not ranked), got "11"' }],
    ['households: desil 2.5', 'households', `HH-X,${V.jember1},a,1,1,2.5,2025-01-01`, { field: 'desil', message: 'must be a desil 1..10 (or empty when not ranked), got "2.5"' }],
    ['households: rt too long', 'households', `HH-X,${V.jember1},a,123456789,1,2,2025-01-01`, { field: 'rt', message: 'must be at most 8 characters, got 9' }],
    ['households: not a date', 'households', `HH-X,${V.jember1},a,1,1,2,01/02/2025`, { field: 'collected_on', message: 'must be a calendar date YYYY-MM-DD, got "01/02/2025"' }],
    ['persons: missing key', 'persons', ',HH-SITI,,,Ani,F,,,,,,,,', { field: 'person_id', message: 'is required' }],
    ['persons: unknown household', 'persons', 'P-X,HH-NONE,,,Ani,F,,,,,,,,', { field: 'household_id', message: 'must be the id of an imported household; no household has id "HH-NONE"' }],
    ['persons: unknown sex', 'persons', 'P-X,HH-SITI,,,Ani,W,,,,,,,,', { field: 'sex', message: 'must be one of M, F, got "W"' }],
    ['persons: unknown relationship', 'persons', 'P-X,HH-SITI,,,Ani,F,,,KEPALA,,,,,', { field: 'relationship', message: 'must be one of HEAD, SPOUSE, CHILD, IN_LAW, GRANDCHILD, PARENT, HELPER, OTHER, got "KEPALA"' }],
    ['persons: unknown marital status', 'persons', 'P-X,HH-SITI,,,Ani,F,,,,KAWIN,,,,', { field: 'marital_status', message: 'must be one of SINGLE, MARRIED, DIVORCED, WIDOWED, got "KAWIN"' }],
    ['persons: unknown presence', 'persons', 'P-X,HH-SITI,,,Ani,F,,,,,HERE,,,', { field: 'presence', message: 'must be one of PRESENT, DECEASED, MOVED, MOVED_ABROAD, NEW_MEMBER, NOT_FOUND, got "HERE"' }],
    ['persons: not a boolean', 'persons', 'P-X,HH-SITI,,,Ani,F,,,,,,ya,,', { field: 'disability', message: 'must be true or false, got "ya"' }],
    ['persons: unknown ppks', 'persons', 'P-X,HH-SITI,,,Ani,F,,,,,,,,FAKIR_MISKIN;MISKIN', { field: 'ppks', message: 'must be a ; list of PpksCategory names (e.g. FAKIR_MISKIN;PENYANDANG_DISABILITAS), got unknown "MISKIN"' }],
    ['persons: a birth date that is not a date', 'persons', 'P-X,HH-SITI,,,Ani,F,,1990-13-01,,,,,,', { field: 'birth_date', message: 'must be a calendar date YYYY-MM-DD, got "1990-13-01"' }],
    ['persons: NIK longer than any column', 'persons', `P-X,HH-SITI,${'3'.repeat(33)},,Ani,F,,,,,,,,`, { field: 'nik', message: 'must be at most 32 characters, got 33' }],
    ['enrolments: missing key', 'enrolments', `,PKH,,,Ani,,${V.jember1},ACTIVE,,,`, { field: 'enrolment_id', message: 'is required' }],
    ['enrolments: unknown program', 'enrolments', `E-X,KIS,,,Ani,,${V.jember1},ACTIVE,,,`, { field: 'program', message: 'must be the code of a program (built in or imported); no program has code "KIS"' }],
    ['enrolments: unknown status', 'enrolments', `E-X,PKH,,,Ani,,${V.jember1},AKTIF,,,`, { field: 'status', message: 'must be one of ACTIVE, SUSPENDED, ENDED, got "AKTIF"' }],
    ['enrolments: missing status', 'enrolments', `E-X,PKH,,,Ani,,${V.jember1},,,,`, { field: 'status', message: 'is required' }],
    ['enrolments: unknown village', 'enrolments', 'E-X,PKH,,,Ani,,35.09.01.9999,ACTIVE,,,', { field: 'village_code', message: 'must be a village of the region table; no village has code "35.09.01.9999"' }],
    ['enrolments: amount with decimals', 'enrolments', `E-X,PKH,,,Ani,,${V.jember1},ACTIVE,,,750000.50`, { field: 'amount', message: 'must be a whole number of rupiah (digits only, not negative), got "750000.50"' }],
    ['enrolments: negative amount', 'enrolments', `E-X,PKH,,,Ani,,${V.jember1},ACTIVE,,,-5`, { field: 'amount', message: 'must be a whole number of rupiah (digits only, not negative), got "-5"' }],
    ['enrolments: amount beyond 2^53', 'enrolments', `E-X,PKH,,,Ani,,${V.jember1},ACTIVE,,,9007199254740993`, { field: 'amount', message: 'must be a whole number of rupiah (digits only, not negative), got "9007199254740993"' }],
    ['enrolments: ends before it starts', 'enrolments', `E-X,PKH,,,Ani,,${V.jember1},ENDED,2024-05-01,2024-04-30,`, { field: 'end_date', message: 'must not be before start_date 2024-05-01, got "2024-04-30"' }],
    ['civil-registry: NIK not 16 digits', 'civil-registry', `350901450190001,,Siti,F,,,${V.jember1},`, { field: 'nik', message: 'must be 16 digits (the civil registry\'s key), got "350901450190001"' }],
    ['civil-registry: missing NIK', 'civil-registry', `,,Siti,F,,,${V.jember1},`, { field: 'nik', message: 'is required' }],
    ['civil-registry: missing name', 'civil-registry', `3509014501900009,,,F,,,${V.jember1},`, { field: 'name', message: 'is required' }],
    ['civil-registry: death date not a date', 'civil-registry', `3509014501900009,,Siti,F,,,${V.jember1},2024-02-30`, { field: 'death_date', message: 'must be a calendar date YYYY-MM-DD, got "2024-02-30"' }],
    ['civil-registry: missing village', 'civil-registry', '3509014501900009,,Siti,F,,,,', { field: 'village_code', message: 'is required' }],
    ['referrals: missing key', 'referrals', `,2025-03-01T08:00:00+07:00,${V.jember1},HEALTH,Ani,,Butuh BPJS,,`, { field: 'referral_id', message: 'is required' }],
    ['referrals: not an instant', 'referrals', `R-X,2025-03-01 08:00,${V.jember1},HEALTH,Ani,,Butuh BPJS,,`, { field: 'registered_at', message: 'must be an ISO 8601 instant with offset such as 2025-03-01T08:30:00+07:00, got "2025-03-01 08:00"' }],
    ['referrals: unknown category', 'referrals', `R-X,2025-03-01T08:00:00+07:00,${V.jember1},KESEHATAN,Ani,,Butuh BPJS,,`, { field: 'category', message: 'must be one of HEALTH, EDUCATION, SOCIAL_ECONOMIC, FOOD, ENERGY, AGRICULTURE, FISHERIES, HOUSING, CIVIL_REGISTRATION, got "KESEHATAN"' }],
    ['referrals: REFERRED without referred_to', 'referrals', `R-X,2025-03-01T08:00:00+07:00,${V.jember1},HEALTH,Ani,,Butuh BPJS,REFERRED,`, { field: 'referred_to', message: 'is required when status is REFERRED (the agency or program referred to)' }],
    ['referrals: missing description', 'referrals', `R-X,2025-03-01T08:00:00+07:00,${V.jember1},HEALTH,Ani,,,,`, { field: 'description', message: 'is required' }],
    ['programs: malformed code', 'programs', 'pkh-daerah,PKH Daerah,FAMILY,', { field: 'code', message: 'must be 2-32 capitals, digits or _ starting with a letter (like BLT_DD), got "pkh-daerah"' }],
    ['programs: unknown target unit', 'programs', 'PKH_DAERAH,PKH Daerah,KELUARGA,', { field: 'target_unit', message: 'must be one of INDIVIDUAL, FAMILY, HOUSEHOLD, got "KELUARGA"' }],
    ['programs: unknown exclusion', 'programs', 'PKH_DAERAH,PKH Daerah,FAMILY,PKH;KIS;BST', { field: 'exclusive_with', message: 'must list codes of existing programs or of programs in the same file; unknown "BST", "KIS"' }],
    ['programs: excludes itself', 'programs', 'PKH_DAERAH,PKH Daerah,FAMILY,PKH_DAERAH', { field: 'exclusive_with', message: 'a program cannot exclude itself (PKH_DAERAH)' }],
  ];

  it.each(cases)('%s', async (_name, kind, line, expected) => {
    const { batch, errors } = await importText(db.database, kind, csv(kind as never, line));
    expect(errors).toEqual([{ row: 1, ...expected }]);
    expect(batch).toMatchObject({ status: 'FINISHED', received: 1, accepted: 0, rejected: 1, inserted: 0, updated: 0 });
  });

  it('stores nothing of a rejected row, and the valid rows around it', async () => {
    const { batch } = await importText(db.database, 'enrolments', csv('enrolments',
      ENROL_SITI, `E-BAD,PKH,,,Ani,,${V.jember1},AKTIF,,,`, `E-OK,BPNT,,,Ani,,${V.jember1},SUSPENDED,,,200000`));
    expect(batch).toMatchObject({ received: 3, accepted: 2, rejected: 1 });
    expect(await rows(db.database, sql`select id from enrolments where id like 'E-%' order by id`)).toEqual([{ id: 'E-OK' }, { id: 'E-SITI-PKH' }]);
  });

  it('isolates a row the database refuses for a reason the parser does not know', async () => {
    await db.database.execute(sql`alter table households add constraint test_refuse_marker check (address is distinct from 'REFUSE ME')`);
    try {
      const lines = Array.from({ length: 9 }, (_, i) => `HH-ISO${i},${V.jember1},${i === 6 ? 'REFUSE ME' : 'ok'},1,1,2,2025-01-01`);
      const { batch, errors } = await importText(db.database, 'households', csv('households', ...lines));
      expect(errors).toEqual([{ row: 7, field: null, message: 'cannot be stored: the database refused it (violates test_refuse_marker)' }]);
      expect(batch).toMatchObject({ received: 9, accepted: 8, rejected: 1 });
      expect(await count(`households where id like 'HH-ISO%'`)).toBe(8);
    } finally {
      await db.database.execute(sql`alter table households drop constraint test_refuse_marker`);
    }
  });
});

describe('data-quality problems are kept, not rejected', () => {
  beforeEach(async () => {
    await importText(db.database, 'households', csv('households', HH_SITI, HH_BUDI));
  });

  it('keeps empty and malformed NIK and KK numbers, flagged by nik_valid', async () => {
    const { batch, errors } = await importText(db.database, 'persons', csv('persons',
      SITI,
      'P-NONIK,HH-SITI,,,Budi,M,,1988-02-02,SPOUSE,MARRIED,PRESENT,false,false,',
      'P-SHORT,HH-SITI,350901020288001,35090110012000,Ani,F,,2010-03-03,CHILD,SINGLE,PRESENT,,,',
      'P-BADMONTH,HH-BUDI,3576014513900001,abc,Dewi,F,,1990-13-05,,,,,,'.replace('1990-13-05', '1990-01-05'),
    ));
    expect(errors).toEqual([]);
    expect(batch).toMatchObject({ accepted: 4, rejected: 0 });
    expect(await rows(db.database, sql`select id, nik, nik_valid, kk_number, village_code from persons where id like 'P-%' order by id`)).toEqual([
      { id: 'P-BADMONTH', nik: '3576014513900001', nik_valid: false, kk_number: 'abc', village_code: V.mojokerto },
      { id: 'P-NONIK', nik: null, nik_valid: false, kk_number: null, village_code: V.jember1 },
      { id: 'P-SHORT', nik: '350901020288001', nik_valid: false, kk_number: '35090110012000', village_code: V.jember1 },
      { id: 'P-SITI', nik: '3509014501900001', nik_valid: true, kk_number: '3509011001200001', village_code: V.jember1 },
    ]);
  });

  it('keeps names that differ from the civil registry and duplicate enrolments', async () => {
    await importText(db.database, 'civil-registry', csv('civil-registry', `3509014501900001,3509011001200001,Siti Aminah,F,Jember,1990-01-05,${V.jember1},`));
    const { batch, errors } = await importText(db.database, 'enrolments', csv('enrolments',
      `E-DUP1,PKH,3509014501900001,3509011001200001,Hj. Sitti Aminah S.Pd.,1990-01-05,${V.jember1},ACTIVE,2024-01-01,,750000`,
      `E-DUP2,PKH,3509014501900001,3509011001200001,Aminah,1990-01-05,${V.jember1},ACTIVE,2024-06-01,,750000`,
      `E-DUP3,BLT_DD,3509014501900001,,Siti,1990-01-05,${V.jember1},ACTIVE,2024-06-01,,300000`));
    expect(errors).toEqual([]);
    expect(batch).toMatchObject({ accepted: 3, rejected: 0 });
    expect(await rows(db.database, sql`select id, name, name_norm, nik_valid from enrolments where id like 'E-DUP%' order by id`)).toEqual([
      { id: 'E-DUP1', name: 'Hj. Sitti Aminah S.Pd.', name_norm: 'siti aminah', nik_valid: true },
      { id: 'E-DUP2', name: 'Aminah', name_norm: 'aminah', nik_valid: true },
      { id: 'E-DUP3', name: 'Siti', name_norm: 'siti', nik_valid: true },
    ]);
  });
});

describe('the same key twice in one file', () => {
  it.each([
    ['in one chunk', 100],
    ['in different chunks', 2],
  ])('keeps the first row and rejects the later ones (%s)', async (_name, chunkRows) => {
    const { batch, errors } = await importText(db.database, 'households', csv('households',
      `HH-TWICE,${V.jember1},first,1,1,2,2025-01-01`,
      `HH-OTHER,${V.jember1},other,1,1,2,2025-01-01`,
      `HH-LATER,${V.jember1},later,1,1,2,2025-01-01`,
      `HH-TWICE,${V.jember1},second,1,1,3,2025-01-01`,
      `HH-TWICE,${V.jember1},third,1,1,4,2025-01-01`), { chunkRows });
    expect(errors).toEqual([
      { row: 4, field: 'household_id', message: 'duplicate key: row 1 of this file has the same household_id "HH-TWICE" (the first row is kept)' },
      { row: 5, field: 'household_id', message: 'duplicate key: row 1 of this file has the same household_id "HH-TWICE" (the first row is kept)' },
    ]);
    expect(batch).toMatchObject({ received: 5, accepted: 3, rejected: 2 });
    expect(await rows(db.database, sql`select address, desil from households where id = 'HH-TWICE'`)).toEqual([{ address: 'first', desil: 2 }]);
  });
});

describe('statements', () => {
  it('sends a fixed number of statements per chunk, whatever its size', async () => {
    const lines = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i},${V.jember1},x,1,1,2,2025-01-01`);
    const one = await captureStatements(db.database, () => importText(db.database, 'households', csv('households', ...lines(6, 'HH-S1-')), { chunkRows: 100 }));
    const three = await captureStatements(db.database, () => importText(db.database, 'households', csv('households', ...lines(6, 'HH-S3-')), { chunkRows: 2 }));
    const big = await captureStatements(db.database, () => importText(db.database, 'households', csv('households', ...lines(3000, 'HH-SB-')), { chunkRows: 5000 }));
    // Per segment: settings, the two temporary tables, COPY, ANALYZE of the stage, the village
    // anti-join, the upsert, identity resolution of what changed, errors + counters.
    expect(three.statements.length - one.statements.length).toBe(2 * 9);
    expect(big.statements.length).toBe(one.statements.length);
  });
});
