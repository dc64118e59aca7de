import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, pgTable, primaryKey, real, text, timestamp } from 'drizzle-orm/pg-core';
import { regionCode } from './columns.js';
import { duplicateKind, reviewStatus } from './enums.js';
import { enrolments } from './enrolments.js';

/**
 * A stored finding of the duplicate scan (src/modules/duplicates). `fingerprint` is the md5 of
 * the candidate's key (kind, program, key type and value: one candidate per NIK, KK number or
 * household of a program; per pair of enrolments for PROBABLE_SAME_PERSON), so a rescan finds
 * the same row and a group that grows keeps its candidate. `enrolmentsSignature` is the md5 of
 * the member ids with their updated_at: a DISMISSED candidate stays dismissed while it is equal
 * and is reopened when one of its enrolments changes. `regencyCode` is the first member's
 * regency, `regencyCodes` all of them (a NIK listed in two regencies is one candidate).
 */
export const duplicateCandidates = pgTable(
  'duplicate_candidates',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    kind: duplicateKind('kind').notNull(),
    regencyCode: regionCode('regency_code').notNull(),
    regencyCodes: text('regency_codes').array().notNull().default(sql`'{}'`),
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
    index('duplicate_candidates_regencies_idx').using('gin', t.regencyCodes),
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

/**
 * One finished scan: its scope (programs null = all; regions the caller's prefixes narrowed by
 * the argument) and start instant. An incremental scan compares the enrolments changed since
 * the start of the newest finished scan whose scope covers its own with the same model version.
 */
export const duplicateScans = pgTable(
  'duplicate_scans',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    actor: text('actor').notNull(),
    programs: text('programs').array(),
    regions: text('regions').array().notNull(),
    modelVersion: text('model_version').notNull(),
    incremental: boolean('incremental').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true, mode: 'string' }).notNull(),
    finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    compared: integer('compared').notNull(),
    candidates: integer('candidates').notNull(),
    newCandidates: integer('new_candidates').notNull(),
  },
  (t) => [index('duplicate_scans_started_idx').on(t.startedAt)],
);
