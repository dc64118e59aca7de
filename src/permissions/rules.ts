import { allow, deny, rule } from './graphql-shield.js';
import type { Role } from '../auth/viewer.js';
import type { Context } from '../context.js';

/**
 * Small named rules, one per row of the field table of CONTRACT.md section 4. Each depends on
 * the viewer's role only, so it is evaluated once per request (`cache: 'contextual'`).
 * Row visibility (region, program) is not here: it is in the SQL of every statement.
 */
const roles = (name: string, allowed: readonly Role[]) =>
  rule(name, { cache: 'contextual' })((_parent, _args, ctx: Context) => allowed.includes(ctx.viewer.role));

const OFFICE: Role[] = ['ADMIN', 'MANAGER', 'SUPERVISOR', 'FACILITATOR'];

/** Everyone authenticated (the context factory refuses requests without credentials). */
export const anyViewer = allow;
/** Nobody: for fields that exist for the schema's shape only. */
export const nobody = deny;

/** Reads of the registry: every role but AUDITOR (who reads only me, regions, programs, auditLog). */
export const registryReader = roles('registryReader', [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST']);
/** Person.nik kkNumber name birthDate, Enrolment.nik name kkNumber. */
export const identityReader = roles('identityReader', [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP']);
/** nikMasked, age, sex, ppks, presence, relationship, verification. */
export const attributeReader = roles('attributeReader', [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST']);
/** Household.address rt rw. */
export const addressReader = roles('addressReader', [...OFFICE, 'EXTERNAL_APP']);
/** Person.disability chronicIllness. */
export const healthReader = roles('healthReader', OFFICE);
/** Referral.complainantName nik description. */
export const complaintReader = roles('complaintReader', OFFICE);
/** stats, coverage (ANALYST with small cells suppressed). */
export const analyticsReader = roles('analyticsReader', [...OFFICE, 'PROGRAM_MANAGER', 'ANALYST']);
/** auditLog. */
export const auditReader = roles('auditReader', ['ADMIN', 'AUDITOR']);
/** registerComplaint, transitionReferral. */
export const referralWorker = roles('referralWorker', OFFICE);
/**
 * duplicateEnrolments and its candidates: the roles that act on enrolments (the offices and
 * program managers). Not EXTERNAL_APP (client apps have no review queue), not ANALYST (no
 * identities, and a candidate is about identities), not AUDITOR.
 */
export const duplicateReader = roles('duplicateReader', [...OFFICE, 'PROGRAM_MANAGER']);
/** scanDuplicates, reviewDuplicate. */
export const duplicateManager = roles('duplicateManager', ['ADMIN', 'PROGRAM_MANAGER']);
/** importRecords, importBatch. */
export const importer = roles('importer', ['ADMIN']);
