import { sql } from 'drizzle-orm';
import { bigint, check, index, pgTable, primaryKey, real, text, timestamp } from 'drizzle-orm/pg-core';
import { regionCode } from './columns.js';
import { duplicateKind, reviewStatus } from './enums.js';
import { enrolments } from './enrolments.js';

/**
 * A stored finding of the duplicate scan. `fingerprint` (kind + sorted enrolment ids) makes a
 * rescan idempotent; `enrolmentsSignature` tells whether the enrolments changed since a
 * reviewer DISMISSED the candidate (a dismissed candidate stays dismissed while it is equal).
 */
export const duplicateCandidates = pgTable(
  'duplicate_candidates',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: duplicateKind('kind').notNull(),
    regencyCode: regionCode('regency_code').notNull(),
    programCodes: text('program_codes').array().notNull(),
    fingerprint: text('fingerprint').notNull().unique('duplicate_candidates_fingerprint_key'),
    score: real('score').notNull(),
    evidence: text('evidence').array().notNull().default(sql`'{}'`),
    enrolmentsSignature: text('enrolments_signature').notNull(),
    status: reviewStatus('status').notNull().default('OPEN'),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true, mode: 'string' }),
    reviewedBy: text('reviewed_by'),
    reviewNote: text('review_note'),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
  },
  (t) => [
    index('duplicate_candidates_regency_idx').on(t.regencyCode, t.kind, t.status, t.id),
    index('duplicate_candidates_programs_idx').using('gin', t.programCodes),
    check('duplicate_candidates_score_range', sql`${t.score} >= 0 AND ${t.score} <= 1`),
  ],
);

/** The enrolments of a candidate; viewers see a candidate only through enrolments they may see. */
export const duplicateCandidateEnrolments = pgTable(
  'duplicate_candidate_enrolments',
  {
    candidateId: bigint('candidate_id', { mode: 'number' })
      .notNull()
      .references(() => duplicateCandidates.id, { onDelete: 'cascade' }),
    enrolmentId: text('enrolment_id')
      .notNull()
      .references(() => enrolments.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ name: 'duplicate_candidate_enrolments_pkey', columns: [t.candidateId, t.enrolmentId] }),
    index('duplicate_candidate_enrolments_enrolment_idx').on(t.enrolmentId),
  ],
);
