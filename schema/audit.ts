import { sql } from 'drizzle-orm';
import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { regionCode } from './columns.js';
import { auditAction, role } from './enums.js';

/**
 * The audit trail of personal-data access (UU PDP 27/2022). Append-only: a trigger in the
 * migrations refuses UPDATE, DELETE and TRUNCATE for every database user, the service included.
 */
export const auditEntries = pgTable(
  'audit_entries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    actor: text('actor').notNull(),
    role: role('role').notNull(),
    action: auditAction('action').notNull(),
    operation: text('operation'),
    subjectType: text('subject_type'),
    subjectId: text('subject_id'),
    fields: text('fields').array().notNull().default(sql`'{}'`),
    /**
     * The village of the subject read (a person's, a household's, …), so that auditLog applies
     * the region scope like every other read; null for entries about no placed subject.
     */
    villageCode: regionCode('village_code'),
    requestId: text('request_id'),
    /**
     * READ entries (migration 0009): one row per request, subject type and field set, its
     * subjects as arrays, village_codes[i] the village of subject_ids[i]; subject_id and
     * village_code are then null. The view audit_subject_entries reads one row per subject.
     */
    subjectIds: text('subject_ids').array(),
    villageCodes: regionCode('village_codes').array(),
  },
  (t) => [
    index('audit_entries_at_idx').on(t.at, t.id),
    index('audit_entries_actor_at_idx').on(t.actor, t.at),
    index('audit_entries_subject_idx').on(t.subjectId, t.at),
    index('audit_entries_village_idx').on(t.villageCode, t.id),
    index('audit_entries_subject_ids_idx').using('gin', t.subjectIds),
  ],
);
