import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { regionCode } from './columns.js';
import { regionLevel } from './enums.js';

/** Every province, regency, district and village of Indonesia (idn-area-data, ODbL). */
export const regions = pgTable(
  'regions',
  {
    code: regionCode('code').primaryKey(),
    parentCode: regionCode('parent_code').references((): AnyPgColumn => regions.code),
    level: regionLevel('level').notNull(),
    name: text('name').notNull(),
  },
  (t) => [
    index('regions_parent_code_idx').on(t.parentCode, t.code),
    index('regions_level_code_idx').on(t.level, t.code),
    check(
      'regions_code_matches_level',
      sql`(${t.level} = 'PROVINCE' AND ${t.code} ~ '^[0-9]{2}$')
       OR (${t.level} = 'REGENCY' AND ${t.code} ~ '^[0-9]{2}\\.[0-9]{2}$')
       OR (${t.level} = 'DISTRICT' AND ${t.code} ~ '^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}$')
       OR (${t.level} = 'VILLAGE' AND ${t.code} ~ '^[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}$')`,
    ),
    check('regions_parent_is_prefix', sql`${t.parentCode} IS NULL OR starts_with(${t.code}, ${t.parentCode} || '.')`),
  ],
);
