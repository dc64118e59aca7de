import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { targetUnit } from './enums.js';

/** Social assistance programs: the six national ones (built in) and regional ones added by import. */
export const programs = pgTable(
  'programs',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    targetUnit: targetUnit('target_unit').notNull(),
    builtIn: boolean('built_in').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    check('programs_code_shape', sql`${t.code} ~ '^[A-Z][A-Z0-9_]{1,31}$'`),
    check('programs_name_length', sql`char_length(${t.name}) BETWEEN 1 AND 200`),
  ],
);

/**
 * "program_code excludes excluded_code", as the program's own row declared it (BLT_DD excludes
 * PKH and BPNT). Exclusion is symmetric in meaning, so readers take the union of both directions;
 * storing the declaration as given lets a re-import of one program replace exactly its own rows.
 */
export const programExclusions = pgTable(
  'program_exclusions',
  {
    programCode: text('program_code')
      .notNull()
      .references(() => programs.code, { onDelete: 'cascade', onUpdate: 'cascade' }),
    excludedCode: text('excluded_code')
      .notNull()
      .references(() => programs.code, { onDelete: 'cascade', onUpdate: 'cascade' }),
  },
  (t) => [
    primaryKey({ name: 'program_exclusions_pkey', columns: [t.programCode, t.excludedCode] }),
    index('program_exclusions_excluded_idx').on(t.excludedCode),
    check('program_exclusions_not_self', sql`${t.programCode} <> ${t.excludedCode}`),
  ],
);
