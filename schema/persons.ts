import { sql } from 'drizzle-orm';
import { boolean, check, date, foreignKey, index, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { regionCode } from './columns.js';
import { maritalStatus, ppksCategory, presence, relationship, sex } from './enums.js';
import { households } from './households.js';

/** DTKS household members (anggota rumah tangga, id IDARTBDT). */
export const persons = pgTable(
  'persons',
  {
    id: text('id').primaryKey(),
    householdId: text('household_id').notNull(),
    /** Always the household's village (composite foreign key below, ON UPDATE CASCADE). */
    villageCode: regionCode('village_code').notNull(),
    regencyCode: regionCode('regency_code')
      .notNull()
      .generatedAlwaysAs(sql`substr(village_code, 1, 5)`),
    /** As the register lists it: may be empty or malformed, which is what verification reports. */
    nik: text('nik'),
    /** Structure check of src/lib/nik.ts, stored at write time so filters stay set-based. */
    nikValid: boolean('nik_valid').notNull().default(false),
    kkNumber: text('kk_number'),
    name: text('name'),
    /** src/lib/names.ts normalisation; trigram-indexed for search and matching. */
    nameNorm: text('name_norm'),
    sex: sex('sex'),
    birthPlace: text('birth_place'),
    birthDate: date('birth_date', { mode: 'string' }),
    relationship: relationship('relationship'),
    maritalStatus: maritalStatus('marital_status'),
    presence: presence('presence'),
    disability: boolean('disability'),
    chronicIllness: boolean('chronic_illness'),
    ppks: ppksCategory('ppks').array().notNull().default(sql`'{}'`),
    /** Cell key method (stats, coverage): fixed random 0..255 drawn once at insert; never selected for clients. */
    recordKey: smallint('record_key').notNull().default(sql`floor(random() * 256)`),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      name: 'persons_household_fk',
      columns: [t.householdId, t.villageCode],
      foreignColumns: [households.id, households.villageCode],
    })
      .onUpdate('cascade')
      .onDelete('restrict'),
    index('persons_household_idx').on(t.householdId),
    index('persons_regency_id_idx').on(t.regencyCode, t.id),
    index('persons_village_id_idx').on(t.villageCode, t.id),
    index('persons_nik_idx').on(t.nik),
    index('persons_kk_number_idx').on(t.kkNumber),
    index('persons_regency_birth_date_idx').on(t.regencyCode, t.birthDate),
    // searchPersons orders by trigram distance (<->): a GiST index serves that as a
    // nearest-neighbour scan (~6 ms instead of 600-900 ms for a common name on 1M persons), and
    // the `%` filter too. The GIN trigram index beside it was never chosen by the planner and
    // cost imports a fifth of their index maintenance: migration 0010 drops it.
    index('persons_name_norm_trgm_gist_idx').using('gist', sql`${t.nameNorm} gist_trgm_ops`),
    check('persons_record_key_range', sql`${t.recordKey} BETWEEN 0 AND 255`),
    check('persons_id_shape', sql`char_length(${t.id}) BETWEEN 1 AND 64`),
    check('persons_text_lengths', sql`char_length(${t.nik}) <= 32 AND char_length(${t.kkNumber}) <= 32
      AND char_length(${t.name}) <= 200 AND char_length(${t.birthPlace}) <= 100`),
  ],
);
