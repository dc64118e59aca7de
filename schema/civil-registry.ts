import { sql } from 'drizzle-orm';
import { check, date, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { regionCode } from './columns.js';
import { sex } from './enums.js';
import { regions } from './regions.js';

/**
 * The civil-registry (Dukcapil) extract, keyed by NIK, used only to verify identities
 * (UU 24/2013: access is granted for verification). village_code is the current domicile.
 */
export const civilRegistry = pgTable(
  'civil_registry',
  {
    nik: text('nik').primaryKey(),
    kkNumber: text('kk_number'),
    name: text('name').notNull(),
    nameNorm: text('name_norm').notNull(),
    sex: sex('sex'),
    birthPlace: text('birth_place'),
    birthDate: date('birth_date', { mode: 'string' }),
    villageCode: regionCode('village_code')
      .notNull()
      .references(() => regions.code),
    regencyCode: regionCode('regency_code')
      .notNull()
      .generatedAlwaysAs(sql`substr(village_code, 1, 5)`),
    deathDate: date('death_date', { mode: 'string' }),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    index('civil_registry_regency_idx').on(t.regencyCode),
    index('civil_registry_kk_number_idx').on(t.kkNumber),
    check('civil_registry_nik_shape', sql`${t.nik} ~ '^[0-9]{16}$'`),
    check('civil_registry_text_lengths', sql`char_length(${t.kkNumber}) <= 32 AND char_length(${t.name}) <= 200
      AND char_length(${t.birthPlace}) <= 100`),
  ],
);
