/**
 * Deterministic synthetic CSV files for the import benchmark and the crash test: households,
 * their members, program enrolments, the civil-registry extract and SLRT referrals, with the
 * data-quality problems the service exists to find (empty and malformed NIKs, spelling
 * variants, deceased people still enrolled). A seeded PRNG and small word lists instead of
 * faker per row: a million persons are written in seconds. Synthetic data only.
 */
import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { composeKkNumber, composeNik } from '../src/lib/nik.js';

const HEADERS = {
  programs: 'code,name,target_unit,exclusive_with',
  households: 'household_id,village_code,address,rt,rw,desil,collected_on,floor,wall,roof,water_source,lighting,cooking_fuel,toilet,tenure',
  persons: 'person_id,household_id,nik,kk_number,name,sex,birth_place,birth_date,relationship,marital_status,presence,disability,chronic_illness,ppks',
  enrolments: 'enrolment_id,program,nik,kk_number,name,birth_date,village_code,status,start_date,end_date,amount',
  'civil-registry': 'nik,kk_number,name,sex,birth_place,birth_date,village_code,death_date',
  referrals: 'referral_id,registered_at,village_code,category,name,nik,description,status,referred_to',
} as const;
export type BenchKind = keyof typeof HEADERS;
export const BENCH_KINDS = Object.keys(HEADERS) as BenchKind[];

const MALE = ['Agus', 'Budi', 'Joko', 'Slamet', 'Muhammad', 'Ahmad', 'Rudi', 'Hendra', 'Eko', 'Bambang', 'Dedi', 'Yusuf', 'Wahyu', 'Rizky', 'Fajar', 'Imam', 'Hadi', 'Sugeng', 'Teguh', 'Arif'];
const FEMALE = ['Siti', 'Sri', 'Dewi', 'Nur', 'Ani', 'Rina', 'Wati', 'Yuni', 'Lestari', 'Fitri', 'Indah', 'Ratna', 'Endang', 'Sumarni', 'Aisyah', 'Fatimah', 'Rini', 'Tuti', 'Kartini', 'Nurul'];
const FAMILY = ['Santoso', 'Wijaya', 'Saputra', 'Hidayat', 'Kusuma', 'Pratama', 'Setiawan', 'Nugroho', 'Rahman', 'Susanto', 'Wibowo', 'Purnomo', 'Gunawan', 'Hasanah', 'Rahayu', 'Lestari', 'Maulana', 'Syahputra', 'Utami', 'Handayani'];
const STREETS = ['Melati', 'Mawar', 'Kenanga', 'Anggrek', 'Dahlia', 'Flamboyan', 'Cempaka', 'Diponegoro', 'Sudirman', 'Kartini'];
const PLACES = ['Jember', 'Surabaya', 'Malang', 'Banjarmasin', 'Solok', 'Mojokerto', 'Lingga', 'Padang', 'Medan', 'Makassar'];
const PPKS = ['FAKIR_MISKIN', 'PENYANDANG_DISABILITAS', 'LANJUT_USIA_TELANTAR', 'ANAK_TELANTAR', 'PEREMPUAN_RAWAN_SOSIAL_EKONOMI'];
const CATEGORIES = ['HEALTH', 'EDUCATION', 'SOCIAL_ECONOMIC', 'FOOD', 'HOUSING', 'CIVIL_REGISTRATION'];

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)],
    chance: (p: number) => next() < p,
  };
}

const cell = (value: string | number | null | undefined) => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/** A CSV writer that batches lines into ~1 MB writes and respects backpressure. */
class CsvFile {
  private buffer: string[] = [];
  private size = 0;
  rows = 0;
  private readonly out;
  constructor(readonly path: string, header: string) {
    this.out = createWriteStream(path);
    this.buffer.push(`${header}\r\n`);
  }
  async row(cells: Array<string | number | null | undefined>) {
    const line = `${cells.map(cell).join(',')}\r\n`;
    this.buffer.push(line);
    this.size += line.length;
    this.rows++;
    if (this.size > 1 << 20) await this.flush();
  }
  private async flush() {
    const text = this.buffer.join('');
    this.buffer = [];
    this.size = 0;
    if (!this.out.write(text)) await once(this.out, 'drain');
  }
  async close() {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const isoDate = (y: number, m: number, d: number) => `${y}-${pad(m, 2)}-${pad(d, 2)}`;

/** Village codes of idn-area-data (the same list the region table is loaded from). */
export function villageCodes(): string[] {
  const text = readFileSync(new URL('../node_modules/idn-area-data/data/villages.csv', import.meta.url), 'utf8');
  return text.split('\n').slice(1).map((line) => line.split(',')[0]).filter((code) => /^\d{2}\.\d{2}\.\d{2}\.\d{4}$/.test(code));
}

export interface GenerateOptions {
  households: number;
  seed?: number;
  /** Limit the villages to these regencies (the default: every village of Indonesia). */
  regencies?: string[];
}

/** Write one file per kind into `dir`; returns their paths and row counts. */
export async function generateFiles(dir: string, options: GenerateOptions): Promise<Record<BenchKind, { path: string; rows: number }>> {
  await mkdir(dir, { recursive: true });
  const r = prng(options.seed ?? 20_261_122);
  let villages = villageCodes();
  if (options.regencies) villages = villages.filter((v) => options.regencies!.includes(v.slice(0, 5)));
  const files = Object.fromEntries(BENCH_KINDS.map((k) => [k, new CsvFile(join(dir, `${k}.csv`), HEADERS[k])])) as Record<BenchKind, CsvFile>;

  await files.programs.row(['BANSOS_KAB', 'Bantuan Sosial Kabupaten', 'FAMILY', 'PKH;BLT_DD']);
  await files.programs.row(['BEASISWA_KAB', 'Beasiswa Daerah', 'INDIVIDUAL', 'PIP']);

  let serial = 0;
  let referral = 0;
  for (let h = 1; h <= options.households; h++) {
    const householdId = `H${pad(h, 9)}`;
    const village = r.pick(villages);
    const district = village.slice(0, 8);
    const desilRoll = r.next();
    const desil = desilRoll < 0.08 ? null : desilRoll < 0.58 ? r.int(1, 4) : r.int(5, 10);
    await files.households.row([
      householdId, village,
      r.chance(0.1) ? `Jl. ${r.pick(STREETS)} ${r.int(1, 200)}, "Gang ${r.int(1, 9)}"` : `Jl. ${r.pick(STREETS)} No. ${r.int(1, 200)}`,
      pad(r.int(1, 15), 3), pad(r.int(1, 8), 3), desil, isoDate(r.int(2023, 2025), r.int(1, 12), r.int(1, 28)),
      r.int(1, 9), r.int(1, 7), r.int(1, 8), r.int(1, 13), r.int(1, 4), r.int(1, 12), r.int(1, 6), r.int(1, 6),
    ]);
    const kk = composeKkNumber(district, isoDate(r.int(2005, 2024), r.int(1, 12), r.int(1, 28)), (h % 9999) + 1);
    const family = r.pick(FAMILY);
    const size = r.int(1, 7);
    const poor = desil !== null && desil <= 4;
    for (let m = 1; m <= size; m++) {
      const sex = m === 1 ? (r.chance(0.8) ? 'M' : 'F') : m === 2 ? 'F' : r.chance(0.5) ? 'M' : 'F';
      const age = m <= 2 ? r.int(22, 80) : r.int(0, 25);
      const birth = isoDate(2025 - age, r.int(1, 12), r.int(1, 28));
      const given = r.pick(sex === 'M' ? MALE : FEMALE);
      const name = `${given} ${family}`;
      serial = (serial % 9999) + 1;
      const trueNik = composeNik(district, birth, sex, serial);
      const nikRoll = r.next();
      const nik = nikRoll < 0.03 ? null : nikRoll < 0.05 ? trueNik.slice(0, 15) : trueNik;
      const personId = `P${pad(h, 9)}${m}`;
      const presence = r.chance(0.02) ? 'DECEASED' : 'PRESENT';
      await files.persons.row([
        personId, householdId, nik, kk, r.chance(0.05) ? name.toUpperCase() : name, sex, r.pick(PLACES), birth,
        m === 1 ? 'HEAD' : m === 2 ? 'SPOUSE' : 'CHILD', m <= 2 ? 'MARRIED' : 'SINGLE', presence,
        r.chance(0.04) ? 'true' : 'false', r.chance(0.08) ? 'true' : 'false',
        poor ? (r.chance(0.1) ? 'FAKIR_MISKIN;PENYANDANG_DISABILITAS' : 'FAKIR_MISKIN') : r.chance(0.02) ? r.pick(PPKS) : '',
      ]);
      if (r.chance(0.97)) {
        const deceased = presence === 'DECEASED' || r.chance(0.005);
        const civilName = r.chance(0.03) ? `${given === 'Muhammad' ? 'Muhamad' : given} ${family}` : name;
        await files['civil-registry'].row([
          trueNik, r.chance(0.9) ? kk : null, civilName, sex, r.pick(PLACES), birth,
          r.chance(0.03) ? r.pick(villages) : village, deceased ? isoDate(r.int(2020, 2025), r.int(1, 12), r.int(1, 28)) : null,
        ]);
      }
      if (m >= 3 && age >= 6 && age <= 21 && poor && r.chance(0.3)) {
        await files.enrolments.row([`E-PIP-${personId}`, 'PIP', nik, kk, name, birth, village, 'ACTIVE', '2024-07-01', null, 450_000]);
      }
      if (poor && r.chance(0.5)) {
        await files.enrolments.row([`E-PBI-${personId}`, 'PBI_JK', nik, kk, name, birth, village, r.chance(0.9) ? 'ACTIVE' : 'SUSPENDED', '2023-01-01', null, 42_000]);
      }
    }
    if (poor) {
      const headName = `${r.pick(FEMALE)} ${family}`;
      if (r.chance(0.6)) await files.enrolments.row([`E-PKH-${householdId}`, 'PKH', null, kk, headName, null, village, 'ACTIVE', '2024-01-01', null, 750_000]);
      if (r.chance(0.7)) await files.enrolments.row([`E-BPNT-${householdId}`, 'BPNT', null, kk, headName, null, village, r.chance(0.95) ? 'ACTIVE' : 'ENDED', '2023-01-01', null, 200_000]);
      if (r.chance(0.05)) await files.enrolments.row([`E-BLT-${householdId}`, 'BLT_DD', null, kk, headName, null, village, 'ACTIVE', '2025-01-01', '2025-12-31', 300_000]);
    }
    if (r.chance(0.04)) {
      referral++;
      const status = r.pick(['REGISTERED', 'VERIFYING', 'REFERRED', 'RESOLVED'] as const);
      await files.referrals.row([
        `R${pad(referral, 9)}`, `2025-${pad(r.int(1, 12), 2)}-${pad(r.int(1, 28), 2)}T0${r.int(7, 9)}:15:00+07:00`, village,
        r.pick(CATEGORIES), `${r.pick(MALE)} ${family}`, null, 'Mohon bantuan, "kondisi darurat"\nmohon ditindaklanjuti', status,
        status === 'REFERRED' ? r.pick(['DINKES', 'DUKCAPIL', 'PKH', 'DISDIK']) : null,
      ]);
    }
  }
  const out = {} as Record<BenchKind, { path: string; rows: number }>;
  for (const kind of BENCH_KINDS) {
    await files[kind].close();
    out[kind] = { path: files[kind].path, rows: files[kind].rows };
  }
  return out;
}

/**
 * A large enrolments file over the persons of `generateFiles` (read back from its households
 * and persons files): one enrolment per person in a rotating individual program, and a second
 * one for the first persons until `rows` rows are written. The listed identities carry the
 * problems resolution meets (upper-cased names, missing NIKs resolved by name and birth date,
 * NIKs of nobody). Ids start with E-BIG- so they never collide with the regular file.
 */
export async function generateLargeEnrolments(dir: string, rows: number, seed = 20_261_125): Promise<{ path: string; rows: number }> {
  const { parse } = await import('csv-parse');
  const { createReadStream } = await import('node:fs');
  const r = prng(seed);
  const villages = new Map<string, string>();
  for await (const [id, village] of createReadStream(join(dir, 'households.csv')).pipe(parse({ from_line: 2 }))) villages.set(id, village);
  const file = new CsvFile(join(dir, 'enrolments-1m.csv'), HEADERS.enrolments);
  const programs = ['PBI_JK', 'PIP', 'BEASISWA_KAB'] as const;
  for (let pass = 0; file.rows < rows; pass++) {
    const persons = createReadStream(join(dir, 'persons.csv')).pipe(parse({ from_line: 2 }));
    for await (const [personId, householdId, nik, kk, name, , , birth] of persons as AsyncIterable<string[]>) {
      if (file.rows >= rows) break;
      const program = programs[(file.rows + pass) % programs.length];
      const listedNik = r.chance(0.04) ? null : r.chance(0.01) ? `${nik || '3509010101010001'}`.slice(0, 15) + '9' : nik || null;
      await file.row([
        `E-BIG-${pass}-${program}-${personId}`, program, listedNik, kk || null, r.chance(0.05) ? name.toUpperCase() : name,
        birth || null, villages.get(householdId), r.chance(0.9) ? 'ACTIVE' : r.chance(0.5) ? 'SUSPENDED' : 'ENDED',
        '2024-01-01', r.chance(0.1) ? '2025-12-31' : null, program === 'PIP' ? 450_000 : 42_000,
      ]);
    }
    if (pass > 10) break;
  }
  await file.close();
  return { path: file.path, rows: file.rows };
}
