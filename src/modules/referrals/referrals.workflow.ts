import type { Role } from '../../auth/viewer.js';
import { BadUserInputError, ForbiddenError } from '../../lib/errors.js';
import type { ReferralStatus } from '../../graphql/enums.js';

/**
 * The SLRT referral state machine (CONTRACT.md section 7), in one place. Everything that
 * decides whether a referral may move is here; the service only applies the decision in SQL.
 */

/** Allowed transitions: from -> the statuses it may move to. RESOLVED and REJECTED are final. */
export const TRANSITIONS: Readonly<Record<ReferralStatus, readonly ReferralStatus[]>> = {
  REGISTERED: ['VERIFYING', 'REFERRED', 'RESOLVED', 'REJECTED'],
  VERIFYING: ['REFERRED', 'RESOLVED', 'REJECTED'],
  // REFERRED -> REFERRED: passed on to another agency.
  REFERRED: ['REFERRED', 'RESOLVED', 'REJECTED'],
  RESOLVED: [],
  REJECTED: [],
};

export const STATUSES = Object.keys(TRANSITIONS) as ReferralStatus[];

/** The roles that work SLRT cases: they register complaints and move referrals. */
export const CASEWORKER_ROLES: readonly Role[] = ['ADMIN', 'MANAGER', 'SUPERVISOR', 'FACILITATOR'];

/** Rejecting a complaint closes it without help: only a MANAGER, SUPERVISOR or ADMIN may. */
export const REJECTING_ROLES: readonly Role[] = ['ADMIN', 'MANAGER', 'SUPERVISOR'];

export function isAllowed(from: ReferralStatus, to: ReferralStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** The statuses a referral may be in to move to `to` (the SQL guard of the UPDATE). */
export function allowedFrom(to: ReferralStatus): ReferralStatus[] {
  return STATUSES.filter((from) => isAllowed(from, to));
}

/** Defence in depth until the field guards cover the mutations: caseworkers only. */
export function assertCaseworker(role: Role, operation: string): void {
  if (!CASEWORKER_ROLES.includes(role)) {
    throw new ForbiddenError(`${operation} needs one of the roles ${CASEWORKER_ROLES.join(', ')}; the caller is ${role}`);
  }
}

/**
 * What can be decided before the referral is read: the role rule for REJECTED and the
 * agency of REFERRED (required there, refused elsewhere so it is never silently dropped).
 */
export function assertTransitionRequest(role: Role, to: ReferralStatus, referredTo: string | null): void {
  if (to === 'REJECTED' && !REJECTING_ROLES.includes(role)) {
    throw new ForbiddenError(`rejecting a referral needs one of the roles ${REJECTING_ROLES.join(', ')}; the caller is ${role}`);
  }
  if (to === 'REFERRED' && referredTo == null) {
    throw new BadUserInputError('referredTo is required when moving a referral to REFERRED (the agency or program, e.g. DUKCAPIL)', 'referredTo');
  }
  if (to !== 'REFERRED' && referredTo != null) {
    throw new BadUserInputError(`referredTo is only given when moving a referral to REFERRED, not to ${to}`, 'referredTo');
  }
}

/** A transition the state machine refuses: BAD_USER_INPUT naming both ends. */
export function forbiddenTransition(from: ReferralStatus, to: ReferralStatus): BadUserInputError {
  const allowed = TRANSITIONS[from];
  return new BadUserInputError(
    `a referral cannot move from ${from} to ${to}; from ${from} it may move to ${allowed.length ? allowed.join(', ') : 'nothing (it is closed)'}`,
    'to',
  );
}
