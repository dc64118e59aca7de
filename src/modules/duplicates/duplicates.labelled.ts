import { composeKkNumber, composeNik } from '../../lib/nik.js';
import { mulberry32 } from '../../lib/prng.js';

/**
 * A labelled synthetic set for PROBABLE_SAME_PERSON: enrolments of one program in one regency,
 * and the pairs that are truly one person. `npm run dedup:estimate` estimates the m
 * probabilities from the set of one seed; the tests measure precision and recall on the set of
 * another seed (tests/duplicates/linkage.test.ts). Synthetic data only: invented names, NIKs
 * composed from region codes and invented birth dates.
 *
 * Same person, listed twice with different NIKs (positives):
 *   - a typo in one digit of the NIK serial, or two adjacent digits transposed
 *   - spelling variants (Muhammad/Mohammad, Siti/Sitti, Nur/Noer, Djoko/Joko, oe/u, Tj/C)
 *   - honorifics and degrees (H., Hj., Dr., S.Pd., A.Md.Keb)
 *   - a moved village (another district of the regency, a new KK number), with a NIK typo
 *   - birth date with day and month swapped, or one year off, with a NIK typo
 *   - a letter dropped or doubled in the name
 *   - a re-registration: a new NIK, same name and birth date; a missing or 15-digit NIK
 * Different people (hard negatives):
 *   - the same first name and birth date in one regency
 *   - twins in one family (same KK, village, birth date; consecutive NIK serials)
 *   - a father and son with the same name in one family
 *   - the same common full name with another birth date
 */

export interface LabelledEnrolment {
  id: string;
  villageCode: string;
  nik: string | null;
  kkNumber: string | null;
  name: string;
  birthDate: string;
}

export interface LabelledSet {
  enrolments: LabelledEnrolment[];
  /** Pairs of enrolment ids that are one person, each as [smaller id, larger id]. */
  matches: Array<[string, string]>;
  /** Hard-negative pairs (different people that look alike), for reporting. */
  hardNegatives: Array<[string, string, string]>;
}

const MALE = [
  'Muhammad Rizki', 'Ahmad Fauzi', 'Budi', 'Agus Salim', 'Slamet Riyadi', 'Djoko Susilo', 'Bambang', 'Heru Cahyono', 'Wahyu',
  'Eko Prasetyo', 'Yusuf', 'Abdul Rahman', 'Imam Syafii', 'Sutrisno', 'Suparman', 'Ilham', 'Arif Hidayat', 'Dedi', 'Rudi Hartono',
  'Hasan', 'Husain', 'Teguh', 'Sugeng', 'Paijo', 'Tjahjo Kumolo', 'Soekarno', 'Gunawan', 'Hendra', 'Fajar', 'Nur Hidayat',
  'Mochammad Ali', 'Zainal Arifin', 'Saiful Anwar', 'Rahmat', 'Iwan', 'Joko Widodo', 'Wawan', 'Kusnadi', 'Sumarno', 'Parman',
];
const FEMALE = [
  'Siti Aminah', 'Siti Rohmah', 'Nur Aini', 'Sri Wahyuni', 'Dewi Lestari', 'Sumiati', 'Suminah', 'Tjahjani', 'Rina', 'Rini',
  'Fitri', 'Indah', 'Yuliani', 'Kartini', 'Fatimah', 'Aisyah', 'Khadijah', 'Nurul Hidayah', 'Ratna Sari', 'Endang', 'Puji Astuti',
  'Tutik', 'Umi Kalsum', 'Ani', 'Wati', 'Sulastri', 'Mardiyah', 'Painem', 'Sukarni', 'Lilis', 'Erna', 'Yanti', 'Sutini',
];
const LAST = [
  'Santoso', 'Susanto', 'Wijaya', 'Saputra', 'Setiawan', 'Nugroho', 'Purnomo', 'Prasetyo', 'Kurniawan', 'Hartono', 'Wibowo',
  'Firmansyah', 'Hasanah', 'Maulana', 'Utomo', 'Widodo', 'Pratama', 'Handayani', 'Rahayu', 'Mulyani', 'Kusuma', 'Hakim',
  'Effendi', 'Suryadi', 'Irfandi', 'Bahri', '', '', '', '', '', '',
];

/** Rewrites of a name that a clerk or an older document produces for the same person. */
const VARIANTS: Array<(name: string) => string | null> = [
  (n) => (/^Muhammad\b/.test(n) ? n.replace(/^Muhammad/, 'Mohammad') : /^Mochammad\b/.test(n) ? n.replace(/^Mochammad/, 'Muhamad') : null),
  (n) => (/^Siti\b/.test(n) ? n.replace(/^Siti/, 'Sitti') : null),
  (n) => (/\bNur\b/.test(n) ? n.replace(/\bNur\b/, 'Noer') : null),
  (n) => (/Djoko|Joko/.test(n) ? n.replace(/Djoko/, 'Joko').replace(/^Joko/, 'Djoko') : null),
  (n) => (/u/.test(n) ? n.replace(/u/, 'oe') : null),
  (n) => (/Tj/.test(n) ? n.replace(/Tj/, 'C') : /C/.test(n) ? n.replace(/C/, 'Tj') : null),
  (n) => (/Yusuf/.test(n) ? n.replace(/Yusuf/, 'Jusuf') : null),
  (n) => n.toUpperCase(),
];
const HONORIFICS: Array<(name: string, female: boolean) => string> = [
  (n, f) => `${f ? 'Hj.' : 'H.'} ${n}`,
  (n) => `${n}, S.Pd.`,
  (n) => `Drs. ${n}`,
  (n, f) => (f ? `${n}, A.Md.Keb` : `${n}, S.E.`),
  (n) => `Dr. ${n}, M.Si.`,
];

interface Person {
  female: boolean;
  name: string;
  birthDate: string;
  village: string;
  nik: string;
  kk: string;
}

/**
 * Build the set: `background` ordinary persons, `positives` second listings of some of them, and
 * hard negatives. `villages`: village codes of ONE regency (at least 6, from two districts).
 */
export function labelledSet(seed: number, villages: readonly string[], options: { background?: number; positives?: number } = {}): LabelledSet {
  const random = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const serials = new Map<string, number>();
  const nextSerial = (district: string, birthDate: string) => {
    const key = `${district}|${birthDate}`;
    const next = (serials.get(key) ?? 0) + 1;
    serials.set(key, next);
    return next;
  };
  const district = (village: string) => village.slice(0, 8);
  const birth = (fromYear: number, toYear: number) =>
    `${int(fromYear, toYear)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;
  let kkSerial = 0;
  const newKk = (village: string) => composeKkNumber(district(village), `20${String(int(10, 24))}-0${int(1, 9)}-1${int(0, 9)}`, ++kkSerial);
  const fullName = (female: boolean) => {
    const last = pick(LAST);
    return `${pick(female ? FEMALE : MALE)}${last ? ` ${last}` : ''}`;
  };
  const newPerson = (over: Partial<Person> = {}): Person => {
    const female = over.female ?? random() < 0.5;
    const village = over.village ?? pick(villages);
    const birthDate = over.birthDate ?? birth(1945, 2012);
    return {
      female, village, birthDate, name: over.name ?? fullName(female),
      nik: over.nik ?? composeNik(district(village), birthDate, female ? 'F' : 'M', nextSerial(district(village), birthDate)),
      kk: over.kk ?? newKk(village),
    };
  };

  const enrolments: LabelledEnrolment[] = [];
  const matches: Array<[string, string]> = [];
  const hardNegatives: Array<[string, string, string]> = [];
  let next = 0;
  const enrol = (p: Person, over: Partial<LabelledEnrolment> = {}) => {
    const row: LabelledEnrolment = {
      id: `L${String(seed).padStart(2, '0')}-${String(++next).padStart(4, '0')}`,
      villageCode: p.village, nik: p.nik, kkNumber: p.kk, name: p.name, birthDate: p.birthDate, ...over,
    };
    enrolments.push(row);
    return row;
  };
  const pair = (a: string, b: string): [string, string] => (a < b ? [a, b] : [b, a]);

  const background = Array.from({ length: options.background ?? 400 }, () => newPerson());
  const first = background.map((p) => enrol(p));

  // ---- positives: the same person listed again with a different NIK
  const typoSerial = (nik: string) => {
    const at = int(12, 15);
    const digit = (Number(nik[at]) + int(1, 9)) % 10;
    const out = `${nik.slice(0, at)}${digit}${nik.slice(at + 1)}`;
    return out.slice(12) === '0000' ? `${nik.slice(0, 15)}${(Number(nik[15]) + 1) % 10 || 1}` : out;
  };
  const transpose = (nik: string) => {
    for (let tries = 0; tries < 30; tries++) {
      const at = int(0, 14);
      if (nik[at] !== nik[at + 1]) return `${nik.slice(0, at)}${nik[at + 1]}${nik[at]}${nik.slice(at + 2)}`;
    }
    return typoSerial(nik);
  };
  const variant = (name: string) => {
    for (let tries = 0; tries < 12; tries++) {
      const out = pick(VARIANTS)(name);
      if (out && out !== name) return out;
    }
    return name.toLowerCase();
  };
  const swapDayMonth = (date: string) => {
    const [y, m, d] = date.split('-');
    return Number(d) <= 12 && d !== m ? `${y}-${d}-${m}` : null;
  };
  const yearOff = (date: string) => `${Number(date.slice(0, 4)) + (random() < 0.5 ? -1 : 1)}${date.slice(4)}`;

  const kinds = [
    'serialTypo', 'transposition', 'variant', 'honorific', 'movedVillage', 'dateSwap', 'yearOff', 'reRegistered', 'missingNik', 'variantTypo',
    'nameTypo',
  ] as const;
  // A letter dropped or doubled by a clerk in the longest word (Suminah / Sumina, Hartono / Harttono).
  const nameTypo = (name: string) => {
    const words = name.split(' ');
    const at = words.reduce((best, w, i) => (w.length > words[best].length ? i : best), 0);
    const w = words[at];
    const k = int(1, Math.max(1, w.length - 2));
    words[at] = random() < 0.5 ? `${w.slice(0, k)}${w.slice(k + 1)}` : `${w.slice(0, k)}${w[k]}${w[k]}${w.slice(k + 1)}`.replace(/(.)\1\1/, '$1$1');
    return words.join(' ');
  };
  const positives = options.positives ?? 88;
  // Each listed twice at most: a person listed three times would make three true pairs.
  const order = background.map((_, i) => i).sort(() => random() - 0.5);
  for (let i = 0; i < Math.min(positives, order.length); i++) {
    const index = order[i];
    const p = background[index];
    const original = first[index];
    const kind = kinds[i % kinds.length];
    let second: LabelledEnrolment;
    if (kind === 'serialTypo') second = enrol(p, { nik: typoSerial(p.nik) });
    else if (kind === 'transposition') second = enrol(p, { nik: transpose(p.nik), name: random() < 0.5 ? variant(p.name) : p.name });
    else if (kind === 'variant') second = enrol(p, { nik: typoSerial(p.nik), name: variant(p.name) });
    else if (kind === 'honorific') second = enrol(p, { nik: random() < 0.5 ? transpose(p.nik) : typoSerial(p.nik), name: pick(HONORIFICS)(p.name, p.female) });
    else if (kind === 'movedVillage') {
      const elsewhere = villages.filter((v) => v !== p.village);
      const village = pick(elsewhere.length ? elsewhere : villages);
      second = enrol(p, { villageCode: village, kkNumber: newKk(village), nik: typoSerial(p.nik), name: random() < 0.5 ? variant(p.name) : p.name });
    } else if (kind === 'dateSwap') second = enrol(p, { birthDate: swapDayMonth(p.birthDate) ?? yearOff(p.birthDate), nik: typoSerial(p.nik) });
    else if (kind === 'yearOff') second = enrol(p, { birthDate: yearOff(p.birthDate), nik: transpose(p.nik) });
    else if (kind === 'reRegistered') {
      // A new NIK (registered again elsewhere in the regency), same name and birth date, same village.
      const other = pick(villages);
      second = enrol(p, { nik: composeNik(district(other), p.birthDate, p.female ? 'F' : 'M', nextSerial(district(other), p.birthDate)) });
    } else if (kind === 'missingNik') second = enrol(p, { nik: null, name: random() < 0.5 ? variant(p.name) : p.name });
    else if (kind === 'nameTypo') second = enrol(p, { nik: random() < 0.5 ? typoSerial(p.nik) : p.nik.slice(0, 15), name: nameTypo(p.name) });
    else second = enrol(p, { nik: typoSerial(p.nik), name: pick(HONORIFICS)(variant(p.name), p.female), kkNumber: null });
    matches.push(pair(original.id, second.id));
  }

  // ---- hard negatives: different people who look alike
  const negatives = Math.round(positives * 0.75);
  for (let i = 0; i < negatives; i++) {
    const kind = i % 4;
    if (kind === 0) {
      // Same first name and birth date in one regency, other last name and village.
      const a = newPerson();
      const firstName = a.name.split(' ')[0];
      let otherLast = pick(LAST.filter(Boolean));
      if (a.name.endsWith(otherLast)) otherLast = 'Gunadi';
      const b = newPerson({ female: a.female, birthDate: a.birthDate, name: `${firstName} ${otherLast}` });
      hardNegatives.push([...pair(enrol(a).id, enrol(b).id), 'same first name and birth date']);
    } else if (kind === 1) {
      // Twins: one family, one village, one birth date, consecutive serials, their own first names.
      const a = newPerson();
      const last = a.name.split(' ').length > 1 ? a.name.split(' ').at(-1)! : pick(LAST.filter(Boolean));
      const twinFemale = random() < 0.5 ? a.female : !a.female;
      let twinFirst = pick(twinFemale ? FEMALE : MALE).split(' ')[0];
      if (a.name.startsWith(twinFirst)) twinFirst = twinFemale ? 'Lestari' : 'Bagus';
      const aName = `${a.name.split(' ')[0]} ${last}`;
      const b = newPerson({ female: twinFemale, village: a.village, birthDate: a.birthDate, kk: a.kk, name: `${twinFirst} ${last}` });
      hardNegatives.push([...pair(enrol({ ...a, name: aName }).id, enrol(b).id), 'twins']);
    } else if (kind === 2) {
      // Father and son with the same name, one family.
      const son = newPerson({ female: false, birthDate: birth(1985, 2005) });
      const fatherBirth = `${Number(son.birthDate.slice(0, 4)) - int(22, 38)}${birth(2000, 2000).slice(4)}`;
      const father = newPerson({ female: false, village: son.village, kk: son.kk, name: son.name, birthDate: fatherBirth });
      hardNegatives.push([...pair(enrol(father).id, enrol(son).id), 'father and son']);
    } else {
      // The same common name, another person (other birth date, other village).
      const name = pick(['Siti Aminah', 'Muhammad Rizki', 'Sri Wahyuni', 'Ahmad Fauzi', 'Nur Aini', 'Budi Santoso']);
      const female = /^(Siti|Sri|Nur Aini)/.test(name);
      const a = newPerson({ name, female });
      const b = newPerson({ name, female });
      hardNegatives.push([...pair(enrol(a).id, enrol(b).id), 'same common name']);
    }
  }
  return { enrolments, matches, hardNegatives };
}
