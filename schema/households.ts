import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, smallint, text, timestamp, unique } from 'drizzle-orm/pg-core';
import { regionCode } from './columns.js';
import { regions } from './regions.js';

/**
 * DTKS households (rumah tangga, id IDBDT) with their welfare decile and the REGSOSEK2022
 * housing indicators (integer codes of questionnaire REGSOSEK2022.K).
 */
export const households = pgTable(
  'households',
  {
    id: text('id').primaryKey(),
    villageCode: regionCode('village_code')
      .notNull()
      .references(() => regions.code),
    /** Derived from the village: the co-location (shard) key, first column of the scope indexes. */
    regencyCode: regionCode('regency_code')
      .notNull()
      .generatedAlwaysAs(sql`substr(village_code, 1, 5)`),
    address: text('address'),
    rt: text('rt'),
    rw: text('rw'),
    desil: smallint('desil'),
    collectedOn: date('collected_on', { mode: 'string' }),
    floor: smallint('floor'),
    wall: smallint('wall'),
    roof: smallint('roof'),
    waterSource: smallint('water_source'),
    lighting: smallint('lighting'),
    cookingFuel: smallint('cooking_fuel'),
    toilet: smallint('toilet'),
    tenure: smallint('tenure'),
    /** Cell key method (stats, coverage): fixed random 0..255 drawn once at insert; never selected for clients. */
    recordKey: smallint('record_key').notNull().default(sql`floor(random() * 256)`),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    // Target of persons' (household_id, village_code) foreign key, which keeps a member's
    // village equal to its household's (ON UPDATE CASCADE) without triggers.
    unique('households_id_village_key').on(t.id, t.villageCode),
    index('households_regency_id_idx').on(t.regencyCode, t.id),
    index('households_village_id_idx').on(t.villageCode, t.id),
    index('households_regency_desil_idx').on(t.regencyCode, t.desil),
    check('households_record_key_range', sql`${t.recordKey} BETWEEN 0 AND 255`),
    check('households_id_shape', sql`char_length(${t.id}) BETWEEN 1 AND 64`),
    check('households_desil_range', sql`${t.desil} BETWEEN 1 AND 10`),
    check('households_address_length', sql`char_length(${t.address}) <= 500`),
    check('households_rt_rw_length', sql`char_length(${t.rt}) <= 8 AND char_length(${t.rw}) <= 8`),
    check(
      'households_housing_codes',
      sql`${t.floor} BETWEEN 1 AND 9 AND ${t.wall} BETWEEN 1 AND 7 AND ${t.roof} BETWEEN 1 AND 8
      AND ${t.waterSource} BETWEEN 1 AND 13 AND ${t.lighting} BETWEEN 1 AND 4
      AND ${t.cookingFuel} BETWEEN 1 AND 12 AND ${t.toilet} BETWEEN 1 AND 6 AND ${t.tenure} BETWEEN 1 AND 6`,
    ),
  ],
);
