import type { IRules } from './graphql-shield.js';
import {
  addressReader, analyticsReader, anyViewer, attributeReader, auditReader, complaintReader, duplicateManager, duplicateReader, healthReader,
  identityReader, importer, referralWorker, registryReader,
} from './rules.js';

/** A rule as shield takes it (allow/deny are logic rules, not IRule). */
type FieldRule = Extract<IRules, { [key: string]: unknown }>[string];
type FieldRules = Record<string, FieldRule>;

/** Every field of a type under one rule, listed by name (no wildcards: the map is the contract). */
const all = (rule: FieldRule, ...fields: string[]): FieldRules => Object.fromEntries(fields.map((f) => [f, rule]));
const connection = (rule: FieldRule) => all(rule, 'edges', 'pageInfo', 'totalCount');
const edge = (rule: FieldRule) => all(rule, 'cursor', 'node');

/**
 * The field table of CONTRACT.md section 4, as one map whose shape mirrors the schema. Every
 * field of every object type is named here: tests/permissions/shield.test.ts walks the emitted
 * schema and fails on any field without an explicit rule. Anything not named is denied. The
 * rules are enforced by src/permissions/guard.ts (decided once per operation where a rule depends
 * on the viewer only). Row visibility is not decided here but in the SQL (src/auth/scope.ts).
 */
export const RULES: Record<string, FieldRules> = {
  Query: {
    me: anyViewer,
    regions: anyViewer,
    region: anyViewer,
    programs: anyViewer,
    household: registryReader,
    households: registryReader,
    person: registryReader,
    persons: registryReader,
    searchPersons: registryReader,
    enrolments: registryReader,
    referral: registryReader,
    referrals: registryReader,
    importBatch: importer,
    auditLog: auditReader,
    duplicateEnrolments: duplicateReader,
    stats: analyticsReader,
    coverage: analyticsReader,
  },
  Mutation: {
    importRecords: importer,
    registerComplaint: referralWorker,
    transitionReferral: referralWorker,
    scanDuplicates: duplicateManager,
    reviewDuplicate: duplicateManager,
  },
  Viewer: all(anyViewer, 'id', 'role', 'regions', 'programs'),
  Region: all(anyViewer, 'code', 'name', 'level', 'parent'),
  Program: all(anyViewer, 'code', 'name', 'targetUnit', 'exclusiveWith'),
  PageInfo: all(anyViewer, 'hasNextPage', 'endCursor'),

  Household: {
    ...all(registryReader, 'id', 'desil', 'region', 'members', 'enrolments', 'referrals'),
    ...all(addressReader, 'address', 'rt', 'rw'),
  },
  HouseholdConnection: connection(registryReader),
  HouseholdEdge: edge(registryReader),

  Person: {
    ...all(registryReader, 'id', 'household', 'enrolments', 'referrals'),
    ...all(identityReader, 'nik', 'kkNumber', 'name', 'birthDate'),
    ...all(attributeReader, 'nikMasked', 'age', 'sex', 'ppks', 'presence', 'relationship', 'verification'),
    ...all(healthReader, 'disability', 'chronicIllness'),
  },
  PersonConnection: connection(registryReader),
  PersonEdge: edge(registryReader),
  PersonMatch: all(registryReader, 'person', 'score'),

  Enrolment: {
    ...all(registryReader, 'id', 'program', 'status', 'startDate', 'endDate', 'region', 'person', 'household'),
    ...all(identityReader, 'nik', 'name', 'kkNumber'),
    verification: attributeReader,
  },
  EnrolmentConnection: connection(registryReader),
  EnrolmentEdge: edge(registryReader),

  Referral: {
    ...all(registryReader, 'id', 'category', 'status', 'version', 'region', 'registeredAt', 'referredTo', 'inDtks',
      'person', 'household', 'history'),
    ...all(complaintReader, 'complainantName', 'nik', 'description'),
  },
  ReferralConnection: connection(registryReader),
  ReferralEdge: edge(registryReader),
  // A facilitator's note may repeat what the complaint said: guarded like the complaint.
  ReferralEvent: { ...all(registryReader, 'at', 'fromStatus', 'toStatus', 'actor', 'referredTo'), note: complaintReader },

  Verification: all(attributeReader, 'status', 'issues', 'nameSimilarity'),

  // Duplicates (issue 10): the listed enrolments keep the Enrolment guards (identity audited).
  DuplicateCandidate: all(duplicateReader, 'id', 'kind', 'score', 'enrolments', 'programs', 'evidence', 'status', 'reviewedAt',
    'reviewNote', 'reviewedBy', 'firstSeenAt'),
  DuplicateCandidateConnection: connection(duplicateReader),
  DuplicateCandidateEdge: edge(duplicateReader),
  DuplicateScan: all(duplicateManager, 'candidates', 'newCandidates', 'tookMs', 'incremental', 'compared', 'byKind'),
  DuplicateKindCount: all(duplicateManager, 'kind', 'candidates', 'newCandidates'),

  ImportBatch: all(importer, 'id', 'kind', 'status', 'startedAt', 'finishedAt', 'received', 'accepted', 'rejected',
    'inserted', 'updated', 'errors'),
  ImportError: all(importer, 'row', 'field', 'message'),

  // Aggregates: ANALYST sees them suppressed and perturbed (src/modules/analytics), EXTERNAL_APP and AUDITOR not at all.
  StatRow: all(analyticsReader, 'keys', 'count', 'suppressed'),
  StatKey: all(analyticsReader, 'dimension', 'value'),
  Coverage: all(analyticsReader, 'region', 'program', 'eligibleHouseholds', 'enrolledHouseholds', 'coveredEligibleHouseholds',
    'inclusionErrors', 'exclusionErrors', 'coverageRate'),

  AuditEntry: all(auditReader, 'id', 'at', 'actor', 'role', 'action', 'operation', 'subjectType', 'subjectId', 'fields'),
  AuditEntryConnection: connection(auditReader),
  AuditEntryEdge: edge(auditReader),
};

/**
 * Fields whose reads are personal data under UU PDP 27/2022 / UU 24/2013 art. 84: every value
 * returned writes a READ audit entry (per subject, with the field names).
 */
export const AUDITED_FIELDS: Record<string, readonly string[]> = {
  Person: ['nik', 'kkNumber', 'name', 'birthDate', 'disability', 'chronicIllness'],
  Enrolment: ['nik', 'name', 'kkNumber'],
  Household: ['address', 'rt', 'rw'],
  Referral: ['complainantName', 'nik', 'description'],
};
