import type { SQL } from 'drizzle-orm';
import * as enums from '../../../schema/enums.js';
import { PROGRAM_CODE } from '../../auth/viewer.js';
import type { RawTx } from '../../db/client.js';
import type { ImportKind } from '../../graphql/enums.js';
import { quote } from '../../lib/errors.js';
import { normalizeName as normalizeNameUncached } from '../../lib/names.js';
import { isValidNik } from '../../lib/nik.js';
import type { RowReader } from './imports.rows.js';
import * as q from './imports.sql.js';

/** A parsed row: its columns as the SQL of its kind expects them, plus its data row number. */
export type ParsedRow = Record<string, unknown> & { row: number };

export interface StoreResult {
  inserted: number;
  updated: number;
}

export interface StoreContext {
  tx: RawTx;
  batchId: string;
  actor: string;
  /** The optional columns the file has. */
  present: ReadonlySet<string>;
  /** A bulk load holds the table's ACCESS EXCLUSIVE lock: new rows need no conflict check (imports.sql.ts storeCte). */
  exclusive: boolean;
}

/**
 * One importable file kind (CONTRACT.md section 3): its header, natural key, the per-row
 * parser (everything that needs no database), the staging columns its rows are COPYed into,
 * the set-wise checks that need the database, and the store.
 */
export interface KindDef {
  kind: ImportKind;
  /** The name on the command line and in messages. */
  name: string;
  /** The table the kind loads (a constant: used in ANALYZE). */
  table: string;
  columns: readonly string[];
  optional?: readonly string[];
  key: string;
  /** Reads one record; the row is stored only when the reader collected no errors. */
  parse(r: RowReader): Record<string, unknown>;
  keyOf(row: ParsedRow): string;
  /** Columns of the staging table (after `row int`), with their SQL types: what parse returns. */
  stage: ReadonlyArray<readonly [string, string]>;
  /** Database-dependent checks over the staged rows, each a query returning (row, field, message). */
  checks?(): SQL[];
  /** Store the staged rows of one row range; stored keys go to import_changed. */
  store(range: q.RowRange, ctx: StoreContext): Promise<StoreResult>;
  /** After the segment's rows are stored: re-resolve the enrolments its changes may affect. */
  resolve?(): SQL;
  /** Large files may be bulk-loaded (imports.bulk.ts): the register's big tables. */
  bulk?: boolean;
}

/**
 * normalizeName, remembered: a register repeats the same names (and the same given name +
 * family name pairs) over and over, and normalising is the costliest step of reading a row.
 * Bounded: the memory is dropped whenever it holds 50,000 names.
 */
const normalized = new Map<string, string>();
function normalizeName(name: string | null): string {
  if (name === null) return normalizeNameUncached(name);
  let value = normalized.get(name);
  if (value === undefined) {
    if (normalized.size >= 50_000) normalized.clear();
    value = normalizeNameUncached(name);
    normalized.set(name, value);
  }
  return value;
}

async function one<T>(ctx: StoreContext, query: SQL): Promise<T> {
  const [row] = await ctx.tx.query<T>(query);
  return row;
}

const TEXT = 'text';
/** Region codes compare byte-wise, as in the tables (schema/columns.ts). */
const CODE = 'text collate "C"';

/** A list's own NIK or KK number is kept whatever its shape (a finding, not a reason to reject), but must fit the column. */
const identityNumber = (r: RowReader, field: string) => r.text(field, { max: 32 });

const programs: KindDef = {
  kind: 'PROGRAMS',
  name: 'programs',
  table: 'programs',
  columns: ['code', 'name', 'target_unit', 'exclusive_with'],
  key: 'code',
  parse(r) {
    const code = r.text('code', { required: true });
    if (code !== null && !PROGRAM_CODE.test(code)) {
      r.fail('code', `must be 2-32 capitals, digits or _ starting with a letter (like BLT_DD), got ${quote(code)}`);
    }
    const exclusiveWith = r.list('exclusive_with');
    const malformed = exclusiveWith.filter((c) => !PROGRAM_CODE.test(c));
    if (malformed.length) r.fail('exclusive_with', `must be a ; list of program codes, got ${quote(malformed.join(';'))}`);
    if (code !== null && exclusiveWith.includes(code)) r.fail('exclusive_with', `a program cannot exclude itself (${code})`);
    return {
      code,
      name: r.text('name', { required: true, max: 200 }),
      target_unit: r.enumOf('target_unit', enums.targetUnit.enumValues, { required: true }),
      exclusive_with: exclusiveWith,
    };
  },
  keyOf: (row) => row.code as string,
  stage: [['code', TEXT], ['name', TEXT], ['target_unit', 'target_unit'], ['exclusive_with', 'text[]']],
  checks: () => [q.unknownExclusions()],
  async store(range, ctx) {
    const changed = await ctx.tx.query<{ code: string; inserted: boolean }>(q.upsertPrograms(range));
    const exclusions = await ctx.tx.query<{ code: string }>(q.replaceExclusions(range));
    const inserted = new Set(changed.filter((c) => c.inserted).map((c) => c.code));
    const updated = new Set([...changed.filter((c) => !c.inserted).map((c) => c.code), ...exclusions.map((c) => c.code)]);
    for (const code of inserted) updated.delete(code);
    return { inserted: inserted.size, updated: updated.size };
  },
};

const households: KindDef = {
  kind: 'HOUSEHOLDS',
  name: 'households',
  table: 'households',
  bulk: true,
  columns: ['household_id', 'village_code', 'address', 'rt', 'rw', 'desil', 'collected_on'],
  optional: q.HOUSING_COLUMNS,
  key: 'household_id',
  parse(r) {
    const row: Record<string, unknown> = {
      id: r.key('household_id'),
      village_code: r.village('village_code'),
      address: r.text('address', { max: 500 }),
      rt: r.text('rt', { max: 8 }),
      rw: r.text('rw', { max: 8 }),
      desil: r.int('desil', 1, 10, { what: 'a desil 1..10 (or empty when not ranked)' }),
      collected_on: r.date('collected_on'),
    };
    for (const [field, max] of HOUSING_RANGES) {
      if (r.has(field)) row[field] = r.int(field, 1, max, { what: `a REGSOSEK2022.K ${field} code 1..${max}` });
    }
    return row;
  },
  keyOf: (row) => row.id as string,
  stage: [
    ['id', TEXT], ['village_code', CODE], ['address', TEXT], ['rt', TEXT], ['rw', TEXT], ['desil', 'smallint'], ['collected_on', 'date'],
    ...q.HOUSING_COLUMNS.map((c) => [c, 'smallint'] as const),
  ],
  checks: () => [q.unknownVillages()],
  store(range, ctx) {
    const housing = q.HOUSING_COLUMNS.filter((c) => ctx.present.has(c));
    return one<StoreResult>(ctx, q.upsertHouseholds(range, housing, ctx.exclusive));
  },
  // A household that moves takes its members to another regency, where name matches differ.
  resolve: q.resolveAfterHouseholds,
};

const HOUSING_RANGES: ReadonlyArray<readonly [string, number]> = [
  ['floor', 9], ['wall', 7], ['roof', 8], ['water_source', 13], ['lighting', 4], ['cooking_fuel', 12], ['toilet', 6], ['tenure', 6],
];

const persons: KindDef = {
  kind: 'PERSONS',
  name: 'persons',
  table: 'persons',
  bulk: true,
  columns: [
    'person_id', 'household_id', 'nik', 'kk_number', 'name', 'sex', 'birth_place', 'birth_date', 'relationship',
    'marital_status', 'presence', 'disability', 'chronic_illness', 'ppks',
  ],
  key: 'person_id',
  parse(r) {
    const nik = identityNumber(r, 'nik');
    const name = r.text('name', { max: 200 });
    return {
      id: r.key('person_id'),
      household_id: r.key('household_id'),
      nik,
      nik_valid: isValidNik(nik),
      kk_number: identityNumber(r, 'kk_number'),
      name,
      name_norm: name === null ? null : normalizeName(name),
      sex: r.enumOf('sex', enums.sex.enumValues),
      birth_place: r.text('birth_place', { max: 100 }),
      birth_date: r.date('birth_date'),
      relationship: r.enumOf('relationship', enums.relationship.enumValues),
      marital_status: r.enumOf('marital_status', enums.maritalStatus.enumValues),
      presence: r.enumOf('presence', enums.presence.enumValues),
      disability: r.bool('disability'),
      chronic_illness: r.bool('chronic_illness'),
      ppks: r.ppks('ppks'),
    };
  },
  keyOf: (row) => row.id as string,
  stage: [
    ['id', TEXT], ['household_id', TEXT], ['nik', TEXT], ['nik_valid', 'boolean'], ['kk_number', TEXT], ['name', TEXT],
    ['name_norm', TEXT], ['sex', 'sex'], ['birth_place', TEXT], ['birth_date', 'date'], ['relationship', 'relationship'],
    ['marital_status', 'marital_status'], ['presence', 'presence'], ['disability', 'boolean'], ['chronic_illness', 'boolean'],
    ['ppks', 'ppks_category[]'],
  ],
  checks: () => [q.unknownHouseholds()],
  store: (range, ctx) => one<StoreResult>(ctx, q.upsertPersons(range, ctx.exclusive)),
  resolve: q.resolveAfterPersons,
};

const enrolments: KindDef = {
  kind: 'ENROLMENTS',
  name: 'enrolments',
  table: 'enrolments',
  bulk: true,
  columns: ['enrolment_id', 'program', 'nik', 'kk_number', 'name', 'birth_date', 'village_code', 'status', 'start_date', 'end_date', 'amount'],
  key: 'enrolment_id',
  parse(r) {
    const nik = identityNumber(r, 'nik');
    const name = r.text('name', { max: 200 });
    const startDate = r.date('start_date');
    const endDate = r.date('end_date');
    if (startDate && endDate && endDate < startDate) r.fail('end_date', `must not be before start_date ${startDate}, got ${quote(endDate)}`);
    return {
      id: r.key('enrolment_id'),
      program_code: r.text('program', { required: true, max: 32 }),
      nik,
      nik_valid: isValidNik(nik),
      kk_number: identityNumber(r, 'kk_number'),
      name,
      name_norm: name === null ? null : normalizeName(name),
      birth_date: r.date('birth_date'),
      village_code: r.village('village_code'),
      status: r.enumOf('status', enums.enrolmentStatus.enumValues, { required: true }),
      start_date: startDate,
      end_date: endDate,
      amount: r.int('amount', 0, Number.MAX_SAFE_INTEGER, { what: 'a whole number of rupiah (digits only, not negative)' }),
    };
  },
  keyOf: (row) => row.id as string,
  stage: [
    ['id', TEXT], ['program_code', TEXT], ['nik', TEXT], ['nik_valid', 'boolean'], ['kk_number', TEXT], ['name', TEXT],
    ['name_norm', TEXT], ['birth_date', 'date'], ['village_code', CODE], ['status', 'enrolment_status'],
    ['start_date', 'date'], ['end_date', 'date'], ['amount', 'bigint'],
  ],
  checks: () => [q.unknownPrograms(), q.unknownVillages()],
  // Resolved to DTKS persons in the statement that stores them.
  store: (range, ctx) => one<StoreResult>(ctx, q.upsertEnrolments(range, ctx.exclusive)),
};

const civilRegistry: KindDef = {
  kind: 'CIVIL_REGISTRY',
  name: 'civil-registry',
  table: 'civil_registry',
  bulk: true,
  columns: ['nik', 'kk_number', 'name', 'sex', 'birth_place', 'birth_date', 'village_code', 'death_date'],
  key: 'nik',
  parse(r) {
    const nik = r.text('nik', { required: true });
    // The extract is keyed by NIK: a key that is not a NIK cannot identify anyone here.
    if (nik !== null && !/^[0-9]{16}$/.test(nik)) r.fail('nik', `must be 16 digits (the civil registry's key), got ${quote(nik)}`);
    const name = r.text('name', { required: true, max: 200 });
    return {
      nik,
      kk_number: identityNumber(r, 'kk_number'),
      name,
      name_norm: normalizeName(name),
      sex: r.enumOf('sex', enums.sex.enumValues),
      birth_place: r.text('birth_place', { max: 100 }),
      birth_date: r.date('birth_date'),
      village_code: r.village('village_code'),
      death_date: r.date('death_date'),
    };
  },
  keyOf: (row) => row.nik as string,
  stage: [
    ['nik', TEXT], ['kk_number', TEXT], ['name', TEXT], ['name_norm', TEXT], ['sex', 'sex'], ['birth_place', TEXT],
    ['birth_date', 'date'], ['village_code', CODE], ['death_date', 'date'],
  ],
  checks: () => [q.unknownVillages()],
  store: (range, ctx) => one<StoreResult>(ctx, q.upsertCivilRegistry(range, ctx.exclusive)),
};

const referrals: KindDef = {
  kind: 'REFERRALS',
  name: 'referrals',
  table: 'referrals',
  columns: ['referral_id', 'registered_at', 'village_code', 'category', 'name', 'nik', 'description', 'status', 'referred_to'],
  key: 'referral_id',
  parse(r) {
    const name = r.text('name', { required: true, max: 200 });
    const status = r.enumOf('status', enums.referralStatus.enumValues) ?? 'REGISTERED';
    const referredTo = r.text('referred_to', { max: 100 });
    if (status === 'REFERRED' && referredTo === null && !r.errors.some((e) => e.field === 'referred_to')) {
      r.fail('referred_to', 'is required when status is REFERRED (the agency or program referred to)');
    }
    return {
      id: r.key('referral_id'),
      registered_at: r.instant('registered_at', { required: true }),
      village_code: r.village('village_code'),
      category: r.enumOf('category', enums.referralCategory.enumValues, { required: true }),
      complainant_name: name,
      name_norm: normalizeName(name),
      nik: identityNumber(r, 'nik'),
      description: r.text('description', { required: true, max: 10_000 }),
      status,
      referred_to: referredTo,
    };
  },
  keyOf: (row) => row.id as string,
  stage: [
    ['id', TEXT], ['registered_at', 'timestamptz'], ['village_code', CODE], ['category', 'referral_category'],
    ['complainant_name', TEXT], ['name_norm', TEXT], ['nik', TEXT], ['description', TEXT], ['status', 'referral_status'],
    ['referred_to', TEXT],
  ],
  checks: () => [q.unknownVillages()],
  store: (range, ctx) => one<StoreResult>(ctx, q.upsertReferrals(range, ctx.actor, ctx.batchId)),
};

export const KINDS: readonly KindDef[] = [programs, households, persons, enrolments, civilRegistry, referrals];

/** By command-line name (civil-registry) or GraphQL name (CIVIL_REGISTRY). */
export function kindByName(name: string): KindDef | undefined {
  return KINDS.find((k) => k.name === name || k.kind === name);
}

export const KIND_NAMES = KINDS.map((k) => k.name);
