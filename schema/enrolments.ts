import { sql } from 'drizzle-orm';
import { bigint, boolean, check, date, index, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { regionCode } from './columns.js';
import { enrolmentStatus } from './enums.js';
import { households } from './households.js';
import { persons } from './persons.js';
import { programs } from './programs.js';
import { regions } from './regions.js';

/**
 * One row of a program's beneficiary list. The identity is kept exactly as the list gives it
 * (nik, kk_number, name, birth_date); person_id and household_id are what identity resolution
 * found in the DTKS (CONTRACT.md section 9), null when nothing matched.
 */
export const enrolments = pgTable(
  'enrolments',
  {
    id: text('id').primaryKey(),
    programCode: text('program_code')
      .notNull()
      .references(() => programs.code, { onUpdate: 'cascade' }),
    status: enrolmentStatus('status').notNull(),
    startDate: date('start_date', { mode: 'string' }),
    endDate: date('end_date', { mode: 'string' }),
    /** Whole rupiah. */
    amount: bigint('amount', { mode: 'number' }),
    /** Where the benefit is delivered: what places the enrolment in a viewer's scope. */
    villageCode: regionCode('village_code')
      .notNull()
      .references(() => regions.code),
    regencyCode: regionCode('regency_code')
      .notNull()
      .generatedAlwaysAs(sql`substr(village_code, 1, 5)`),
    nik: text('nik'),
    nikValid: boolean('nik_valid').notNull().default(false),
    kkNumber: text('kk_number'),
    name: text('name'),
    nameNorm: text('name_norm'),
    birthDate: date('birth_date', { mode: 'string' }),
    personId: text('person_id').references(() => persons.id, { onDelete: 'set null' }),
    householdId: text('household_id').references(() => households.id, { onDelete: 'set null' }),
    /** Cell key method (stats, coverage): fixed random 0..255 drawn once at insert; never selected for clients. */
    recordKey: smallint('record_key').notNull().default(sql`floor(random() * 256)`),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    index('enrolments_regency_program_status_idx').on(t.regencyCode, t.programCode, t.status, t.id),
    index('enrolments_regency_id_idx').on(t.regencyCode, t.id),
    index('enrolments_village_id_idx').on(t.villageCode, t.id),
    index('enrolments_program_id_idx').on(t.programCode, t.id),
    index('enrolments_nik_idx').on(t.nik),
    index('enrolments_kk_number_idx').on(t.kkNumber),
    index('enrolments_person_idx').on(t.personId),
    index('enrolments_household_idx').on(t.householdId),
    // Duplicate scans (migration 0007): the changed-since watermark and the blocking keys of
    // PROBABLE_SAME_PERSON, so an incremental scan probes from the changed rows by index.
    index('enrolments_updated_idx').on(t.updatedAt),
    index('enrolments_regency_birth_date_idx').on(t.regencyCode, t.birthDate),
    index('enrolments_name_norm_idx').on(t.nameNorm),
    index('enrolments_nik_head_idx').using('btree', sql`left(${t.nik}, 12)`),
    index('enrolments_nik_tail_idx').using('btree', sql`substr(${t.nik}, 7)`),
    check('enrolments_record_key_range', sql`${t.recordKey} BETWEEN 0 AND 255`),
    check('enrolments_id_shape', sql`char_length(${t.id}) BETWEEN 1 AND 64`),
    check('enrolments_amount_not_negative', sql`${t.amount} >= 0`),
    check('enrolments_dates_ordered', sql`${t.endDate} >= ${t.startDate}`),
    check('enrolments_text_lengths', sql`char_length(${t.nik}) <= 32 AND char_length(${t.kkNumber}) <= 32
      AND char_length(${t.name}) <= 200`),
  ],
);
