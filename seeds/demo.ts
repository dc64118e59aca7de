/**
 * The deterministic demo data set: synthetic people in real regions, with the data-quality
 * problems Padu exists to find. Fixed faker seed and a fixed reference date, so every run
 * produces the same rows. No real personal data: names come from faker's id_ID locale, NIK and
 * KK numbers are composed from region codes and invented birth dates and serials.
 *
 * Regencies (the places this project grew from): Kota Solok 13.72, Kabupaten Barito Kuala
 * 63.04, Kota Mojokerto 35.76, Kabupaten Jember 35.09, Kabupaten Lingga 21.04.
 */
import { base, en, Faker, id_ID } from '@faker-js/faker';
import { setImmediate } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  civilRegistry, enrolments, households, persons, referralEvents, referrals,
} from '../schema/index.js';
import type { Database, Executor } from '../src/db/client.js';
import { composeKkNumber, composeNik, isValidNik } from '../src/lib/nik.js';
import { normalizeName } from '../src/lib/names.js';
import { resolveEnrolments } from '../src/modules/enrolments/enrolments.resolution.sql.js';

export const DEMO_SEED = 20_261_122;
/** Ages and dates are computed against this day, not the clock, to keep the data stable. */
export const DEMO_REFERENCE_DATE = '2026-01-01';

export const DEMO_REGENCIES = [
  { code: '35.09', name: 'Kabupaten Jember', households: 1100 },
  { code: '63.04', name: 'Kabupaten Barito Kuala', households: 450 },
  { code: '35.76', name: 'Kota Mojokerto', households: 400 },
  { code: '13.72', name: 'Kota Solok', households: 300 },
  { code: '21.04', name: 'Kabupaten Lingga', households: 350 },
] as const;

const VILLAGES_PER_REGENCY = 24;

type HouseholdRow = typeof households.$inferInsert;
type PersonRow = typeof persons.$inferInsert;
type CivilRow = typeof civilRegistry.$inferInsert;
type EnrolmentRow = typeof enrolments.$inferInsert;
type ReferralRow = typeof referrals.$inferInsert;
type EventRow = typeof referralEvents.$inferInsert;

interface Member extends PersonRow {
  age: number;
  family: number;
}

export interface DemoData {
  households: HouseholdRow[];
  persons: PersonRow[];
  civilRegistry: CivilRow[];
  enrolments: EnrolmentRow[];
  referrals: ReferralRow[];
  referralEvents: EventRow[];
}

export type DemoCounts = { [K in keyof DemoData]: number };

/** Spelling variants a clerk might type for the same person (all must still match). */
export function spellingVariant(name: string, pick: number): string {
  const variants: Array<(n: string) => string> = [
    (n) => n.toUpperCase(),
    (n) => n.replace(/^Muhammad\b/, 'Muhamad').replace(/^Siti\b/, 'Sitti').replace(/^Nur\b/, 'Noer'),
    (n) => n.replace(/u/g, 'oe'),
    (n) => `${n},`.replace(/,$/, '  '),
    (n) => n.replace(/j/g, 'dj'),
    (n) => n.toLowerCase(),
  ];
  return variants[pick % variants.length](name).trim();
}

function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, 28)).padStart(2, '0')}`;
}

/** Generate the whole data set in memory (a few thousand households: small enough). */
export function generateDemo(villagesByRegency: Map<string, string[]>): DemoData {
  const faker = new Faker({ locale: [id_ID, en, base], seed: DEMO_SEED });
  const chance = (p: number) => faker.number.float({ min: 0, max: 1 }) < p;
  const pick = <T>(items: readonly T[]) => items[faker.number.int({ min: 0, max: items.length - 1 })];
  const birthDateForAge = (age: number) =>
    faker.date
      .birthdate({ mode: 'age', min: age, max: age, refDate: `${DEMO_REFERENCE_DATE}T00:00:00Z` })
      .toISOString()
      .slice(0, 10);
  const ageOn = (birth: string) => {
    const [y, m, d] = birth.split('-').map(Number);
    const [ry, rm, rd] = DEMO_REFERENCE_DATE.split('-').map(Number);
    return ry - y - (rm < m || (rm === m && rd < d) ? 1 : 0);
  };

  const out: DemoData = { households: [], persons: [], civilRegistry: [], enrolments: [], referrals: [], referralEvents: [] };
  const allVillages = [...villagesByRegency.values()].flat();
  const members: Member[] = [];
  const householdMembers = new Map<string, Member[]>();
  const householdDesil = new Map<string, number | null>();
  const householdFloor = new Map<string, number>();
  let nikSerial = 0;
  let kkSerial = 0;

  for (const regency of DEMO_REGENCIES) {
    const villages = villagesByRegency.get(regency.code) ?? [];
    const digits = regency.code.replace('.', '');
    for (let h = 1; h <= regency.households; h++) {
      const id = `H${digits}${String(h).padStart(6, '0')}`;
      const villageCode = pick(villages);
      const district = villageCode.slice(0, 8);
      const roll = faker.number.float({ min: 0, max: 1 });
      const desil = roll < 0.08 ? null : roll < 0.58 ? faker.number.int({ min: 1, max: 4 }) : faker.number.int({ min: 5, max: 10 });
      const poor = desil !== null && desil <= 4;
      out.households.push({
        id,
        villageCode,
        address: faker.location.streetAddress(),
        rt: String(faker.number.int({ min: 1, max: 15 })).padStart(3, '0'),
        rw: String(faker.number.int({ min: 1, max: 8 })).padStart(3, '0'),
        desil,
        collectedOn: faker.date.between({ from: '2024-01-01', to: '2025-09-30' }).toISOString().slice(0, 10),
        floor: poor ? faker.number.int({ min: 6, max: 9 }) : faker.number.int({ min: 1, max: 5 }),
        wall: poor ? faker.number.int({ min: 3, max: 7 }) : faker.number.int({ min: 1, max: 3 }),
        roof: faker.number.int({ min: 1, max: 8 }),
        waterSource: faker.number.int({ min: 1, max: 13 }),
        lighting: poor && chance(0.2) ? faker.number.int({ min: 2, max: 4 }) : 1,
        cookingFuel: faker.number.int({ min: 1, max: 12 }),
        toilet: poor ? faker.number.int({ min: 3, max: 6 }) : faker.number.int({ min: 1, max: 2 }),
        tenure: faker.number.int({ min: 1, max: 6 }),
      });
      householdDesil.set(id, desil);
      householdFloor.set(id, out.households.at(-1)!.floor ?? 0);

      const hh: Member[] = [];
      const addMember = (m: Omit<Member, 'id' | 'householdId' | 'villageCode' | 'nik' | 'nikValid' | 'nameNorm' | 'birthDate' | 'ppks'> & { ppks?: Member['ppks'] }) => {
        const birthDate = birthDateForAge(m.age);
        nikSerial += 1;
        const nik = composeNik(district, birthDate, m.sex!, nikSerial % 9999 || 9999);
        const member: Member = {
          ...m,
          id: `A${digits}${String(h).padStart(6, '0')}${String(hh.length + 1).padStart(2, '0')}`,
          householdId: id,
          villageCode,
          nik,
          nikValid: true,
          nameNorm: normalizeName(m.name),
          birthDate,
          ppks: m.ppks ?? [],
        };
        hh.push(member);
        return member;
      };

      const families = chance(0.2) ? 2 : 1;
      const headMale = chance(0.85);
      const headAge = faker.number.int({ min: families === 2 ? 48 : 24, max: 78 });
      const familyName = faker.person.lastName();
      const kk1 = composeKkNumber(district, faker.date.between({ from: '2012-01-01', to: '2024-12-31' }).toISOString().slice(0, 10), (++kkSerial % 9999) || 1);
      const headFirst = faker.person.firstName(headMale ? 'male' : 'female');
      const honorific = headMale && headAge > 55 && chance(0.15) ? 'H. ' : '';
      addMember({
        name: `${honorific}${headFirst} ${familyName}`, sex: headMale ? 'M' : 'F', age: headAge, family: 1, kkNumber: kk1,
        relationship: 'HEAD', maritalStatus: headMale || chance(0.5) ? 'MARRIED' : 'WIDOWED', birthPlace: faker.location.city(),
        presence: 'PRESENT', disability: chance(0.03), chronicIllness: chance(headAge > 55 ? 0.15 : 0.05),
        ppks: desil !== null && desil <= 2 ? ['FAKIR_MISKIN'] : [],
      });
      if (headMale && chance(0.85)) {
        addMember({
          name: `${faker.person.firstName('female')} ${faker.person.lastName('female')}`, sex: 'F',
          age: Math.max(18, headAge - faker.number.int({ min: 0, max: 8 })), family: 1, kkNumber: kk1,
          relationship: 'SPOUSE', maritalStatus: 'MARRIED', birthPlace: faker.location.city(), presence: 'PRESENT',
          disability: chance(0.02), chronicIllness: chance(0.06),
        });
      }
      const children = faker.number.int({ min: 0, max: headAge < 30 ? 2 : 4 });
      for (let c = 0; c < children; c++) {
        const male = chance(0.5);
        const age = Math.max(0, Math.min(headAge - 18, faker.number.int({ min: 0, max: 24 })));
        const disabled = chance(0.02);
        addMember({
          name: `${faker.person.firstName(male ? 'male' : 'female')} ${familyName}`, sex: male ? 'M' : 'F', age, family: 1,
          kkNumber: kk1, relationship: 'CHILD', maritalStatus: 'SINGLE', birthPlace: faker.location.city(), presence: 'PRESENT',
          disability: disabled, chronicIllness: chance(0.02),
          ppks: disabled ? ['ANAK_DISABILITAS'] : age < 5 && desil === 1 && chance(0.1) ? ['ANAK_BALITA_TELANTAR'] : [],
        });
      }
      if (chance(0.1)) {
        const elderAge = Math.min(95, headAge + faker.number.int({ min: 18, max: 30 }));
        addMember({
          name: `${faker.person.firstName('female')} ${faker.person.lastName('female')}`, sex: 'F', age: elderAge, family: 1,
          kkNumber: kk1, relationship: 'PARENT', maritalStatus: 'WIDOWED', birthPlace: faker.location.city(), presence: 'PRESENT',
          disability: chance(0.1), chronicIllness: chance(0.3), ppks: chance(0.3) ? ['LANJUT_USIA_TELANTAR'] : [],
        });
      }
      if (families === 2) {
        const kk2 = composeKkNumber(district, faker.date.between({ from: '2018-01-01', to: '2025-06-30' }).toISOString().slice(0, 10), (++kkSerial % 9999) || 1);
        const childAge = faker.number.int({ min: 20, max: Math.min(40, headAge - 18) });
        const sonIsHead = chance(0.6);
        addMember({
          name: `${faker.person.firstName(sonIsHead ? 'male' : 'female')} ${familyName}`, sex: sonIsHead ? 'M' : 'F', age: childAge,
          family: 2, kkNumber: kk2, relationship: 'CHILD', maritalStatus: 'MARRIED', birthPlace: faker.location.city(),
          presence: 'PRESENT', disability: false, chronicIllness: chance(0.03),
        });
        addMember({
          name: `${faker.person.firstName(sonIsHead ? 'female' : 'male')} ${faker.person.lastName()}`, sex: sonIsHead ? 'F' : 'M',
          age: childAge + faker.number.int({ min: -3, max: 3 }), family: 2, kkNumber: kk2, relationship: 'IN_LAW',
          maritalStatus: 'MARRIED', birthPlace: faker.location.city(), presence: 'PRESENT', disability: false, chronicIllness: false,
        });
        for (let g = faker.number.int({ min: 0, max: 2 }); g > 0; g--) {
          const male = chance(0.5);
          addMember({
            name: `${faker.person.firstName(male ? 'male' : 'female')} ${familyName}`, sex: male ? 'M' : 'F',
            age: faker.number.int({ min: 0, max: Math.max(0, childAge - 19) }), family: 2, kkNumber: kk2, relationship: 'GRANDCHILD',
            maritalStatus: 'SINGLE', birthPlace: faker.location.city(), presence: 'PRESENT', disability: false, chronicIllness: false,
          });
        }
      }
      for (const m of hh) {
        const r = faker.number.float({ min: 0, max: 1 });
        if (m.relationship !== 'HEAD') {
          m.presence = r < 0.02 ? 'DECEASED' : r < 0.04 ? 'MOVED' : r < 0.045 ? 'MOVED_ABROAD' : r < 0.065 ? 'NEW_MEMBER' : r < 0.08 ? 'NOT_FOUND' : 'PRESENT';
        }
      }
      householdMembers.set(id, hh);
      members.push(...hh);
    }
  }

  // ---- data-quality problems in the register: missing, malformed and duplicated NIKs
  const nikDonors = [...members];
  for (const m of members) {
    const r = faker.number.float({ min: 0, max: 1 });
    if (r < 0.025) m.nik = null;
    else if (r < 0.03) m.nik = m.nik!.slice(0, 15); // migrated 15-digit NIK
    else if (r < 0.035) m.nik = `${m.nik}0`; // trailing zero
    else if (r < 0.04) m.nik = `${m.nik!.slice(0, 8)}13${m.nik!.slice(10)}`; // month 13
    else if (r < 0.043) m.nik = `${m.nik!.slice(0, 12)}0000`; // serial 0000
    else if (r < 0.046) m.nik = `99${m.nik!.slice(2)}`; // unknown province
    else if (r < 0.05 && m.relationship === 'CHILD') m.nik = pick(nikDonors).nik; // duplicate NIK of someone else
    m.nikValid = isValidNik(m.nik);
  }

  // ---- civil registry extract: most valid NIKs, with the mismatches verification must find
  const registered = new Set<string>();
  const deceasedInRegistry = new Set<string>();
  for (const m of members) {
    if (!m.nik || !m.nikValid || registered.has(m.nik) || chance(0.03)) continue;
    registered.add(m.nik);
    const r = faker.number.float({ min: 0, max: 1 });
    let name = m.name!.replace(/^H\. /, '');
    if (r < 0.1) name = spellingVariant(name, faker.number.int({ min: 0, max: 5 }));
    else if (r < 0.115) name = `${faker.person.firstName(m.sex === 'M' ? 'male' : 'female')} ${faker.person.lastName()}`;
    const dead = m.presence === 'DECEASED' || chance(0.012);
    if (dead) deceasedInRegistry.add(m.nik);
    const moved = chance(0.015);
    out.civilRegistry.push({
      nik: m.nik,
      kkNumber: chance(0.03) ? composeKkNumber(m.villageCode.slice(0, 8), '2025-03-01', (++kkSerial % 9999) || 1) : m.kkNumber,
      name,
      nameNorm: normalizeName(name),
      sex: chance(0.003) ? (m.sex === 'M' ? 'F' : 'M') : m.sex,
      birthPlace: m.birthPlace,
      birthDate: chance(0.01) ? addYears(m.birthDate!, 1) : m.birthDate,
      villageCode: moved ? pick(allVillages) : m.villageCode,
      deathDate: dead ? faker.date.between({ from: '2022-01-01', to: '2025-10-31' }).toISOString().slice(0, 10) : null,
    });
  }

  // ---- program enrolments
  const amounts: Record<string, number> = { PKH: 750_000, BPNT: 200_000, BLT_DD: 300_000, PBI_JK: 42_000, PIP: 450_000, RTLH: 20_000_000 };
  const counters: Record<string, number> = {};
  const enrol = (program: string, m: Member, opts: { listedName?: string; nik?: string | null; id?: string } = {}) => {
    counters[program] = (counters[program] ?? 0) + 1;
    const r = faker.number.float({ min: 0, max: 1 });
    const status = r < 0.88 ? 'ACTIVE' : r < 0.95 ? 'SUSPENDED' : 'ENDED';
    const startDate = faker.date.between({ from: '2019-01-01', to: '2025-06-30' }).toISOString().slice(0, 10);
    const listedName = opts.listedName ?? (chance(0.05) ? spellingVariant(m.name!, faker.number.int({ min: 0, max: 5 })) : m.name!);
    const nik = opts.nik === undefined ? m.nik : opts.nik;
    const row: EnrolmentRow = {
      id: opts.id ?? `${program}-${m.villageCode.slice(0, 5).replace('.', '')}-${String(counters[program]).padStart(6, '0')}`,
      programCode: program,
      status,
      startDate,
      endDate: status === 'ENDED' ? faker.date.between({ from: startDate, to: '2025-12-31' }).toISOString().slice(0, 10) : null,
      amount: program === 'PIP' ? pick([450_000, 750_000, 1_000_000]) : amounts[program],
      villageCode: m.villageCode,
      nik,
      nikValid: isValidNik(nik),
      kkNumber: m.kkNumber,
      name: listedName,
      nameNorm: normalizeName(listedName),
      birthDate: m.birthDate,
    };
    out.enrolments.push(row);
    return row;
  };

  for (const [householdId, hh] of householdMembers) {
    const desil = householdDesil.get(householdId) ?? null;
    const eligible = desil !== null && desil <= 4;
    for (const family of [1, 2]) {
      const fam = hh.filter((m) => m.family === family);
      if (fam.length === 0) continue;
      const head = fam[0];
      const mother = fam.find((m) => m.sex === 'F' && m.age >= 18) ?? head;
      const hasDependants = fam.some((m) => m.age < 18 || m.age >= 60 || m.disability);
      let pkh = false;
      let bpnt = false;
      if ((eligible && desil! <= 3 && hasDependants && chance(0.6)) || (!eligible && chance(0.03))) {
        enrol('PKH', mother);
        pkh = true;
        if (chance(0.02)) enrol('PKH', head === mother ? fam[fam.length - 1] : head); // same family listed twice
      }
      if ((eligible && chance(0.55)) || (!eligible && chance(0.02))) {
        enrol('BPNT', head);
        bpnt = true;
      }
      if ((desil !== null && desil <= 5 && !pkh && !bpnt && chance(0.25)) || (pkh && chance(0.04))) {
        enrol('BLT_DD', head); // the second arm is an exclusivity violation with PKH
      }
    }
    for (const m of hh) {
      if (desil !== null && desil <= 5 && m.presence !== 'MOVED_ABROAD' && chance(0.5)) {
        const row = enrol('PBI_JK', m);
        const r = faker.number.float({ min: 0, max: 1 });
        if (r < 0.004) enrol('PBI_JK', m, { id: `${row.id}-D` }); // same NIK twice in one program
        else if (r < 0.008 && m.nik && m.nikValid) {
          // probably the same person under a second NIK: one digit differs, name re-typed
          const other = `${m.nik.slice(0, 14)}${(Number(m.nik.slice(14)) + 7) % 90 + 10}`;
          enrol('PBI_JK', m, { id: `${row.id}-N`, nik: other, listedName: spellingVariant(m.name!, 1) });
        }
      }
      if (eligible && m.age >= 6 && m.age <= 21 && m.relationship !== 'HEAD' && chance(0.5)) enrol('PIP', m);
    }
    if (eligible && desil! <= 3 && householdFloor.get(householdId)! >= 7 && chance(0.15)) {
      enrol('RTLH', hh[0]);
    }
  }
  // Listed identities that are in no DTKS household (inclusion errors).
  const outsiders = Math.round(out.enrolments.length * 0.02);
  for (let i = 0; i < outsiders; i++) {
    const village = pick(allVillages);
    const sex = chance(0.5) ? 'M' : 'F';
    const birthDate = birthDateForAge(faker.number.int({ min: 20, max: 70 }));
    const name = `${faker.person.firstName(sex === 'M' ? 'male' : 'female')} ${faker.person.lastName()}`;
    nikSerial += 1;
    const ghost: Member = {
      id: `X${i}`, householdId: '', villageCode: village, nik: composeNik(village.slice(0, 8), birthDate, sex, nikSerial % 9999 || 1),
      nikValid: true, kkNumber: null, name, nameNorm: normalizeName(name), sex, birthDate, age: 40, family: 1, ppks: [],
    };
    enrol(pick(['PKH', 'BPNT', 'PBI_JK', 'BLT_DD']), ghost);
  }

  // ---- SLRT referrals at the Puskesos of the demo villages
  const agencies: Record<string, string[]> = {
    HEALTH: ['DINKES', 'PBI_JK', 'BPJS_KESEHATAN'], EDUCATION: ['PIP', 'DISDIK'], SOCIAL_ECONOMIC: ['PKH', 'BPNT'],
    FOOD: ['BPNT'], ENERGY: ['PLN'], AGRICULTURE: ['DISTAN'], FISHERIES: ['DKP'], HOUSING: ['RTLH', 'DPRKP'],
    CIVIL_REGISTRATION: ['DUKCAPIL'],
  };
  const complaints: Record<string, string[]> = {
    HEALTH: ['Tidak punya BPJS Kesehatan, anak sakit dan perlu berobat.', 'Lansia sakit menahun, belum terdaftar PBI.'],
    EDUCATION: ['Anak putus sekolah karena tidak ada biaya.', 'Belum menerima KIP padahal anak masih sekolah.'],
    SOCIAL_ECONOMIC: ['Keluarga miskin belum menerima PKH.', 'Kepala keluarga kehilangan pekerjaan.'],
    FOOD: ['Belum menerima bantuan sembako.', 'Kartu BPNT tidak bisa digunakan.'],
    ENERGY: ['Listrik rumah diputus, tidak mampu membayar.'],
    AGRICULTURE: ['Gagal panen, butuh bantuan bibit.'],
    FISHERIES: ['Perahu rusak, tidak bisa melaut.'],
    HOUSING: ['Rumah tidak layak huni, atap bocor dan dinding rusak.', 'Rumah roboh setelah hujan deras.'],
    CIVIL_REGISTRATION: ['Tidak memiliki Kartu Keluarga.', 'NIK tidak terdaftar saat mengurus bantuan.'],
  };
  const categories = Object.keys(agencies);
  let referralNo = 0;
  for (const regency of DEMO_REGENCIES) {
    const villages = villagesByRegency.get(regency.code) ?? [];
    const count = Math.round(regency.households / 8);
    const regencyMembers = members.filter((m) => m.villageCode.startsWith(`${regency.code}.`) && m.age >= 18);
    for (let i = 0; i < count; i++) {
      referralNo += 1;
      const category = pick(categories);
      const known = chance(0.6) ? pick(regencyMembers) : null;
      const sex = chance(0.5) ? 'M' : 'F';
      const name = known?.name ?? `${faker.person.firstName(sex === 'M' ? 'male' : 'female')} ${faker.person.lastName()}`;
      const village = known?.villageCode ?? pick(villages);
      const nik = known ? known.nik : chance(0.7) ? composeNik(village.slice(0, 8), birthDateForAge(faker.number.int({ min: 18, max: 70 })), sex, (++nikSerial % 9999) || 1) : null;
      const registeredAt = faker.date.between({ from: '2025-01-01T00:00:00Z', to: '2025-12-15T00:00:00Z' });
      const id = `SLRT-${regency.code.replace('.', '')}-${String(referralNo).padStart(5, '0')}`;
      const path: string[] = ['REGISTERED'];
      const r = faker.number.float({ min: 0, max: 1 });
      if (r > 0.3) path.push(chance(0.5) ? 'VERIFYING' : 'REFERRED');
      if (r > 0.5 && path.at(-1) === 'VERIFYING') path.push('REFERRED');
      if (r > 0.75) path.push(chance(0.85) ? 'RESOLVED' : 'REJECTED');
      const referredTo = path.includes('REFERRED') ? pick(agencies[category]) : null;
      let at = registeredAt.getTime();
      path.forEach((status, index) => {
        out.referralEvents.push({
          referralId: id, regencyCode: regency.code, at: new Date(at).toISOString(),
          fromStatus: index === 0 ? null : (path[index - 1] as EventRow['toStatus']), toStatus: status as EventRow['toStatus'],
          actor: index === 0 ? `puskesos-${village}` : 'demo-supervisor',
          note: index === 0 ? 'Pengaduan diterima di Puskesos.' : status === 'REFERRED' ? `Dirujuk ke ${referredTo}.` : null,
          referredTo: status === 'REFERRED' ? referredTo : null,
        });
        at += faker.number.int({ min: 1, max: 20 }) * 86_400_000;
      });
      out.referrals.push({
        id, villageCode: village, category: category as ReferralRow['category'], status: path.at(-1) as ReferralRow['status'],
        version: path.length, registeredAt: registeredAt.toISOString(), complainantName: name, nameNorm: normalizeName(name), nik,
        description: pick(complaints[category]), referredTo, inDtks: known !== null, personId: known?.id ?? null,
        householdId: known?.householdId ?? null, registeredBy: `puskesos-${village}`,
      });
    }
  }

  out.persons = members.map(({ age: _age, family: _family, ...row }) => row);
  return out;
}

async function insertChunked(executor: Executor, table: PgTable, rows: Record<string, unknown>[], signal?: AbortSignal) {
  const columns = Math.max(1, Object.keys(rows[0] ?? {}).length);
  const size = Math.max(1, Math.floor(30_000 / columns));
  for (let start = 0; start < rows.length; start += size) {
    // Stopping the server mid-seed: throwing here rolls the one transaction back.
    signal?.throwIfAborted();
    await executor.insert(table).values(rows.slice(start, start + size) as never);
    // PGlite runs on this thread and its promises settle as microtasks: without a macrotask
    // turn between chunks, the server that the first start seeds behind could answer nothing.
    await setImmediate();
  }
}

/** Demo villages: a fixed spread of each regency's villages (every k-th in code order). */
async function demoVillages(database: Database): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  for (const regency of DEMO_REGENCIES) {
    const rows = await database.execute<{ code: string }>(
      sql`select code from regions where level = 'VILLAGE' and code like ${`${regency.code}.%`} order by code`,
    );
    if (rows.length === 0) throw new Error(`regions not loaded: no villages under ${regency.code}; run npm run migrate first`);
    const step = Math.max(1, Math.floor(rows.length / VILLAGES_PER_REGENCY));
    result.set(regency.code, rows.filter((_, i) => i % step === 0).slice(0, VILLAGES_PER_REGENCY).map((r) => r.code));
  }
  return result;
}

/** Load the demo data set in one transaction (all of it or nothing); refuses a non-empty register. */
export async function seedDemo(database: Database, options: { signal?: AbortSignal } = {}): Promise<DemoCounts> {
  const { signal } = options;
  const data = generateDemo(await demoVillages(database));
  await database.db.transaction(async (tx) => {
    const [{ n }] = await database.execute<{ n: number }>(sql`select count(*)::int as n from households`, tx);
    if (n > 0) throw new Error('the register already holds households: the demo data set loads only into an empty one');
    await insertChunked(tx, households, data.households as never, signal);
    await insertChunked(tx, persons, data.persons as never, signal);
    await insertChunked(tx, civilRegistry, data.civilRegistry as never, signal);
    await insertChunked(tx, enrolments, data.enrolments as never, signal);
    signal?.throwIfAborted();
    await resolveEnrolments(database, sql`true`, tx);
    await insertChunked(tx, referrals, data.referrals as never, signal);
    await insertChunked(tx, referralEvents, data.referralEvents as never, signal);
  });
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v.length])) as DemoCounts;
}
