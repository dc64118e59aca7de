import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { regionCode } from './columns.js';
import { referralCategory, referralStatus } from './enums.js';
import { households } from './households.js';
import { persons } from './persons.js';
import { regions } from './regions.js';

/** SLRT complaints registered at a Puskesos and followed through referral to closure. */
export const referrals = pgTable(
  'referrals',
  {
    id: text('id').primaryKey().default(sql`gen_random_uuid()::text`),
    villageCode: regionCode('village_code')
      .notNull()
      .references(() => regions.code),
    regencyCode: regionCode('regency_code')
      .notNull()
      .generatedAlwaysAs(sql`substr(village_code, 1, 5)`),
    category: referralCategory('category').notNull(),
    status: referralStatus('status').notNull().default('REGISTERED'),
    /** Optimistic-concurrency counter: incremented by every transition. */
    version: integer('version').notNull().default(1),
    registeredAt: timestamp('registered_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    complainantName: text('complainant_name').notNull(),
    nameNorm: text('name_norm'),
    nik: text('nik'),
    description: text('description').notNull(),
    referredTo: text('referred_to'),
    /** Whether the complainant was found in the DTKS at registration (false: a DTKS proposal). */
    inDtks: boolean('in_dtks').notNull().default(false),
    personId: text('person_id').references(() => persons.id, { onDelete: 'set null' }),
    householdId: text('household_id').references(() => households.id, { onDelete: 'set null' }),
    registeredBy: text('registered_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    index('referrals_regency_registered_idx').on(t.regencyCode, t.registeredAt, t.id),
    // National viewers (no regency in the scope) page the newest-first list on this one.
    index('referrals_registered_idx').on(t.registeredAt, t.id),
    index('referrals_village_idx').on(t.villageCode, t.id),
    index('referrals_regency_status_idx').on(t.regencyCode, t.status),
    index('referrals_nik_idx').on(t.nik),
    index('referrals_person_idx').on(t.personId),
    index('referrals_household_idx').on(t.householdId),
    check('referrals_id_shape', sql`char_length(${t.id}) BETWEEN 1 AND 64`),
    check('referrals_version_positive', sql`${t.version} >= 1`),
    check('referrals_referred_has_agency', sql`${t.status} <> 'REFERRED' OR ${t.referredTo} IS NOT NULL`),
    check('referrals_text_lengths', sql`char_length(${t.complainantName}) BETWEEN 1 AND 200
      AND char_length(${t.description}) BETWEEN 1 AND 10000 AND char_length(${t.nik}) <= 32
      AND char_length(${t.referredTo}) <= 100`),
  ],
);

/** Append-only history of a referral: one row per transition, written with the state change. */
export const referralEvents = pgTable(
  'referral_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    referralId: text('referral_id')
      .notNull()
      .references(() => referrals.id, { onDelete: 'restrict' }),
    regencyCode: regionCode('regency_code').notNull(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    fromStatus: referralStatus('from_status'),
    toStatus: referralStatus('to_status').notNull(),
    actor: text('actor').notNull(),
    note: text('note'),
    referredTo: text('referred_to'),
  },
  (t) => [
    index('referral_events_referral_idx').on(t.referralId, t.at, t.id),
    check('referral_events_note_length', sql`char_length(${t.note}) <= 10000`),
  ],
);
