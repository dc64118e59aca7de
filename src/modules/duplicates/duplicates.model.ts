import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { projectPath } from '../../lib/paths.js';
import { sql, type SQL } from 'drizzle-orm';

/**
 * PROBABLE_SAME_PERSON as a Fellegi-Sunter record-linkage model, laid out the way Splink lays
 * it out (splink/internals: ComparisonLevel, Comparison, BlockingRule, Settings):
 *
 *   - BLOCKING_RULES: cheap equality joins inside one regency and one program; the pairs of all
 *     rules are unioned, each rule with AND NOT (earlier rules) so no pair is scored twice.
 *   - COMPARISONS: per field, a few levels from best to worst, each a SQL condition over a pair
 *     row `p` (columns l_* and r_* of the two enrolments). The first level whose condition holds
 *     is the pair's gamma for that comparison; `null` levels (a value missing) weigh 0.
 *   - PARAMETERS (duplicates.parameters.json, written by `npm run dedup:estimate`): per level
 *     m = P(level | same person) and u = P(level | different people); the match weight of a level
 *     is log2(m/u). u comes from random pairs of the data, m from a labelled synthetic set.
 *   - Term frequency: agreement on the name is worth log2(m / tf(name)) instead of log2(m/u),
 *     with tf(name) the product of its tokens' frequencies in the register, so two "Siti"s agree
 *     for less than two "Kusumawardhani"s.
 *   - The score is the probability from the prior (λ, the chance that two random enrolments of
 *     one regency and program are one person) plus the summed weights:
 *     p = 1 / (1 + 2^-(log2(λ/(1-λ)) + Σ w)). A pair is a candidate when p >= THRESHOLD.
 *
 * The SQL that applies all this is built by duplicates.linkage.sql.ts from these objects; the
 * evidence a reviewer reads is the same gamma and weight columns the score was summed from.
 */

export interface ComparisonLevel {
  /** Stable key of the level: the gamma value in SQL and the key of its parameters. */
  key: string;
  /** What a reviewer reads (Indonesian, as the offices work); `{sim}` is the name similarity. */
  label: string;
  /** The condition over the pair row `p`; absent on the last level (everything else). */
  when?: SQL;
  /** A missing value: weight 0 whatever the parameters say. */
  isNull?: boolean;
  /** Agreement whose weight is adjusted by the name's term frequency. */
  termFrequency?: boolean;
}

export interface Comparison {
  key: string;
  levels: ComparisonLevel[];
}

const p = (column: string) => sql.raw(`p.${column}`);
const digits16 = (column: string) => sql`(${p(column)} ~ '^[0-9]{16}$')`;

/** Number of positions at which two 16-character NIKs differ (inline: no subquery per pair). */
export const nikHamming = sql.raw(
  `(${Array.from({ length: 16 }, (_, i) => `(substr(p.l_nik, ${i + 1}, 1) <> substr(p.r_nik, ${i + 1}, 1))::int`).join(' + ')})`,
);
/** The two NIKs are equal but for two adjacent digits swapped. */
const nikTransposed = sql.raw(
  `(${Array.from({ length: 15 }, (_, i) =>
    `p.l_nik = overlay(p.r_nik placing substr(p.r_nik, ${i + 2}, 1) || substr(p.r_nik, ${i + 1}, 1) from ${i + 1} for 2)`).join(' or ')})`,
);
/** Women's NIKs carry the birth day + 40: digit 7 is 4 to 7. */
const nikFemale = (column: string) => sql`(substr(${p(column)}, 7, 1) between '4' and '7')`;

const words = (column: string) => sql`string_to_array(${p(column)}, ' ')`;

/** Name similarity levels, shared with verification's rule of "the same person's name" (0.6). */
export const NAME_SIMILAR = 0.8;
export const NAME_PARTIAL = 0.6;

export const COMPARISONS: Comparison[] = [
  {
    key: 'name',
    levels: [
      { key: 'null', label: 'nama kosong', isNull: true, when: sql`(coalesce(p.l_name, '') = '' or coalesce(p.r_name, '') = '')` },
      { key: 'exact', label: 'nama sama', termFrequency: true, when: sql`(p.l_name = p.r_name)` },
      {
        // Nurhayati / Nur Hayati; Kartini Handayani / Kartini Handayani Putri. A lone first name
        // inside a longer name (Budi / Budi Santoso) is not enough: it goes to the similarity levels.
        key: 'joined', label: 'nama sama tanpa spasi atau satu nama lebih lengkap',
        when: sql`(replace(p.l_name, ' ', '') = replace(p.r_name, ' ', '')
          or (${words('l_name')} <@ ${words('r_name')} and p.l_name like '% %')
          or (${words('r_name')} <@ ${words('l_name')} and p.r_name like '% %'))`,
      },
      { key: 'similar', label: 'nama mirip {sim}', when: sql`(p.s_name >= ${sql.raw(String(NAME_SIMILAR))})` },
      { key: 'partial', label: 'nama agak mirip {sim}', when: sql`(p.s_name >= ${sql.raw(String(NAME_PARTIAL))})` },
      { key: 'else', label: 'nama beda {sim}' },
    ],
  },
  {
    key: 'birthDate',
    levels: [
      { key: 'null', label: 'tanggal lahir kosong', isNull: true, when: sql`(p.l_birth is null or p.r_birth is null)` },
      { key: 'exact', label: 'tanggal lahir sama', when: sql`(p.l_birth = p.r_birth)` },
      {
        key: 'swapped', label: 'tanggal lahir: hari dan bulan tertukar',
        when: sql`(extract(year from p.l_birth) = extract(year from p.r_birth) and extract(day from p.l_birth) = extract(month from p.r_birth)
          and extract(month from p.l_birth) = extract(day from p.r_birth))`,
      },
      {
        key: 'yearOff', label: 'tanggal lahir beda 1 tahun',
        when: sql`(to_char(p.l_birth, 'MM-DD') = to_char(p.r_birth, 'MM-DD') and abs(extract(year from p.l_birth) - extract(year from p.r_birth)) = 1)`,
      },
      { key: 'else', label: 'tanggal lahir beda' },
    ],
  },
  {
    key: 'nik',
    levels: [
      { key: 'null', label: 'NIK kosong atau bukan 16 digit', isNull: true, when: sql`(not ${digits16('l_nik')} or not ${digits16('r_nik')})` },
      { key: 'serial1', label: 'NIK beda 1 digit serial', when: sql`(left(p.l_nik, 12) = left(p.r_nik, 12) and p.nik_hamming = 1)` },
      { key: 'transposed', label: 'NIK 2 digit bertukar tempat', when: sql`(p.nik_hamming = 2 and ${nikTransposed})` },
      { key: 'digit1', label: 'NIK beda 1 digit', when: sql`(p.nik_hamming = 1)` },
      { key: 'else', label: 'NIK beda' },
    ],
  },
  {
    key: 'sex',
    levels: [
      {
        key: 'null', label: 'jenis kelamin menurut NIK tidak terbaca', isNull: true,
        when: sql`(not ${digits16('l_nik')} or not ${digits16('r_nik')})`,
      },
      { key: 'exact', label: 'jenis kelamin menurut NIK sama', when: sql`(${nikFemale('l_nik')} = ${nikFemale('r_nik')})` },
      { key: 'else', label: 'jenis kelamin menurut NIK beda' },
    ],
  },
  {
    key: 'village',
    levels: [
      { key: 'exact', label: 'desa sama', when: sql`(p.l_village = p.r_village)` },
      { key: 'district', label: 'kecamatan sama, desa beda', when: sql`(left(p.l_village, 8) = left(p.r_village, 8))` },
      { key: 'else', label: 'kecamatan beda' },
    ],
  },
  {
    key: 'kk',
    levels: [
      { key: 'null', label: 'nomor KK kosong', isNull: true, when: sql`(not ${digits16('l_kk')} or not ${digits16('r_kk')})` },
      { key: 'exact', label: 'nomor KK sama', when: sql`(p.l_kk = p.r_kk)` },
      { key: 'else', label: 'nomor KK beda' },
    ],
  },
];

/**
 * Blocking rules: equality joins between enrolment `l` (a changed one) and `r` (any), always
 * inside one regency and one program (added by the SQL builder). Which pairs can be a duplicate
 * at all: a pair no rule proposes is never scored (tests measure this blocking recall).
 */
export interface BlockingRule {
  key: string;
  /** The equality condition between enrolments `l` and `r` (aliases written in code). */
  on: (l: string, r: string) => SQL;
}

export const BLOCKING_RULES: BlockingRule[] = [
  { key: 'birthDate', on: (l, r) => sql.raw(`${r}.birth_date = ${l}.birth_date`) },
  // The NIK's region and birth part: a typo or transposition in the serial.
  { key: 'nikHead', on: (l, r) => sql.raw(`left(${r}.nik, 12) = left(${l}.nik, 12)`) },
  // The NIK's birth part and serial: a typo in the region digits (or a re-registration).
  { key: 'nikTail', on: (l, r) => sql.raw(`substr(${r}.nik, 7) = substr(${l}.nik, 7)`) },
  // The normalised name and the day of the year of birth: a year off with a NIK typo in its
  // birth part. The name alone would pair every two "Siti Aminah"s of a program in a regency.
  {
    key: 'nameAndDay',
    on: (l, r) => sql.raw(`${r}.name_norm = ${l}.name_norm and to_char(${r}.birth_date, 'MM-DD') = to_char(${l}.birth_date, 'MM-DD')`),
  },
];

/**
 * The contract's definition of the kind (CONTRACT.md section 6: "similar names, with matching
 * birth date or near-identical NIK"), checked on the gamma columns beside the threshold. It is
 * what keeps family members apart: twins and a father and son share the KK number, the village,
 * the NIK's region part and often a birth date, which Fellegi-Sunter adds up as if independent;
 * their names (twins) or their birth dates and NIKs (father and son) are what differ.
 */
export const NAME_AGREES = ['exact', 'joined', 'similar', 'partial'];
export const BIRTH_AGREES = ['exact', 'swapped', 'yearOff'];
export const NIK_AGREES = ['serial1', 'transposed', 'digit1'];
export const candidateRule = sql.raw(
  `(p.g_name in ('${NAME_AGREES.join("', '")}') and (p.g_birthDate in ('${BIRTH_AGREES.join("', '")}') or p.g_nik in ('${NIK_AGREES.join("', '")}')))`,
);

export interface LevelParameters {
  m: number;
  u: number;
}

export interface ModelParameters {
  /** Prior: probability that two random enrolments of one regency and program are one person. */
  lambda: number;
  /** Candidates are stored from this probability up. */
  threshold: number;
  comparisons: Record<string, Record<string, LevelParameters>>;
  /** Relative frequency of name tokens among enrolments (tokens of src/lib/names.ts). */
  tokenFrequencies: Record<string, number>;
  /** Frequency of a token not in the table (rarer than every listed one). */
  defaultTokenFrequency: number;
  /** Where the numbers came from: data, sample sizes, date. */
  provenance: Record<string, unknown>;
}

// The committed JSON beside this file in src/ (the compiled dist/ copy has no JSON of its own).
export const PARAMETERS_FILE = pathToFileURL(projectPath('src', 'modules', 'duplicates', 'duplicates.parameters.json'));

let cached: { parameters: ModelParameters; version: string } | undefined;

/** The committed parameters, and their version (a hash: a scan after re-estimation is a full one). */
export function modelParameters(): { parameters: ModelParameters; version: string } {
  if (!cached) {
    const text = readFileSync(PARAMETERS_FILE, 'utf8');
    cached = { parameters: JSON.parse(text) as ModelParameters, version: createHash('sha256').update(text).digest('hex').slice(0, 16) };
  }
  return cached;
}

/** log2(m/u) of a level (0 for null levels). */
export function levelWeight(parameters: ModelParameters, comparison: string, level: ComparisonLevel): number {
  if (level.isNull) return 0;
  const values = parameters.comparisons[comparison]?.[level.key];
  if (!values) throw new Error(`duplicates.parameters.json has no m/u for ${comparison}.${level.key}`);
  return Math.log2(values.m / values.u);
}

/** The prior as a match weight: log2(λ / (1 - λ)). */
export const priorWeight = (parameters: ModelParameters) => Math.log2(parameters.lambda / (1 - parameters.lambda));

/** Probability from a total match weight (prior included). */
export const probability = (totalWeight: number) => 1 / (1 + 2 ** -totalWeight);
