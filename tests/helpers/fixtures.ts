/**
 * Small builders for named registry fixtures: each test inserts exactly the records it talks
 * about, with defaults for the rest. Synthetic data only.
 */
import { civilRegistry, enrolments, households, persons, referralEvents, referrals } from '../../schema/index.js';
import type { Database } from '../../src/db/client.js';
import { normalizeName } from '../../src/lib/names.js';
import { isValidNik } from '../../src/lib/nik.js';

/** Real villages of the region table used by the fixtures. */
export const VILLAGES = {
  /** Jember (35.09), district Kencong area (35.09.01) */
  padomasan: '35.09.01.2001',
  keting: '35.09.01.2002',
  /** Jember, another district (35.09.02) */
  cakru: '35.09.02.2001',
  /** Kota Mojokerto (35.76) */
  mentikan: '35.76.01.1003',
  /** Kota Solok (13.72) */
  tanahGaram: '13.72.01.1001',
} as const;

type HouseholdInsert = typeof households.$inferInsert;
type PersonInsert = typeof persons.$inferInsert;
type EnrolmentInsert = typeof enrolments.$inferInsert;
type ReferralInsert = typeof referrals.$inferInsert;

export async function addHouseholds(database: Database, rows: Array<Pick<HouseholdInsert, 'id' | 'villageCode'> & Partial<HouseholdInsert>>) {
  if (rows.length) await database.db.insert(households).values(rows.map((r) => ({ address: `Jl. ${r.id}`, rt: '001', rw: '002', ...r })));
}

/** Persons take their household's village; nik_valid and name_norm are derived as imports do. */
export async function addPersons(database: Database, rows: Array<Pick<PersonInsert, 'id' | 'householdId' | 'villageCode'> & Partial<PersonInsert>>) {
  if (!rows.length) return;
  await database.db.insert(persons).values(rows.map((r) => ({
    name: `Person ${r.id}`, sex: 'M' as const, presence: 'PRESENT' as const, relationship: 'HEAD' as const, ...r,
    nameNorm: normalizeName(r.name ?? `Person ${r.id}`), nikValid: isValidNik(r.nik),
  })));
}

export async function addEnrolments(database: Database, rows: Array<Pick<EnrolmentInsert, 'id' | 'programCode' | 'villageCode'> & Partial<EnrolmentInsert>>) {
  if (!rows.length) return;
  await database.db.insert(enrolments).values(rows.map((r) => ({
    status: 'ACTIVE' as const, ...r, nameNorm: r.name ? normalizeName(r.name) : null, nikValid: isValidNik(r.nik),
  })));
}

export async function addReferrals(database: Database, rows: Array<Pick<ReferralInsert, 'id' | 'villageCode'> & Partial<ReferralInsert>>) {
  if (!rows.length) return;
  await database.db.insert(referrals).values(rows.map((r) => ({
    category: 'HEALTH' as const, complainantName: `Complainant ${r.id}`, description: 'Belum terdaftar PBI.', ...r,
  })));
}

export async function addReferralEvents(database: Database, rows: Array<typeof referralEvents.$inferInsert>) {
  if (rows.length) await database.db.insert(referralEvents).values(rows);
}

export async function addCivilRecords(database: Database, rows: Array<Omit<typeof civilRegistry.$inferInsert, 'nameNorm'>>) {
  if (rows.length) await database.db.insert(civilRegistry).values(rows.map((r) => ({ ...r, nameNorm: normalizeName(r.name) })));
}
