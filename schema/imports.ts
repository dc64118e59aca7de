import { bigint, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { importKind, importStatus } from './enums.js';

/** One run of a CSV import, with its counts; its rejected rows are in import_errors. */
export const importBatches = pgTable(
  'import_batches',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: importKind('kind').notNull(),
    status: importStatus('status').notNull().default('RUNNING'),
    source: text('source'),
    actor: text('actor').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }),
    received: integer('received').notNull().default(0),
    accepted: integer('accepted').notNull().default(0),
    rejected: integer('rejected').notNull().default(0),
    /** Of the accepted rows: those that created a record, and those that changed one (the rest were equal). */
    inserted: integer('inserted').notNull().default(0),
    updated: integer('updated').notNull().default(0),
    failure: text('failure'),
  },
  (t) => [index('import_batches_started_idx').on(t.startedAt)],
);

export const importErrors = pgTable(
  'import_errors',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    batchId: uuid('batch_id')
      .notNull()
      .references(() => importBatches.id, { onDelete: 'cascade' }),
    row: integer('row').notNull(),
    field: text('field'),
    message: text('message').notNull(),
  },
  (t) => [index('import_errors_batch_row_idx').on(t.batchId, t.row)],
);
