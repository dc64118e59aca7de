import { PROGRAM_CODE, REGION_PREFIX } from '../auth/viewer.js';
import { BadUserInputError, quote } from './errors.js';
import { wellFormedProblem } from './text.js';

/**
 * Argument checks shared by the registry queries: malformed input is BAD_USER_INPUT with the
 * contract and the value received, before any SQL runs.
 */

/** Record ids (IDBDT, IDARTBDT, enrolment ids): 1 to 64 printable, well-formed characters, as the tables allow. */
export function assertId(id: string, argument: string): void {
  if (typeof id !== 'string' || id.length < 1 || id.length > 64 || /[\u0000-\u001f\u007f]/.test(id) || wellFormedProblem(id) !== null) {
    throw new BadUserInputError(`${argument} must be a record id of 1 to 64 printable characters, got ${quote(id)}`, argument);
  }
}

export function assertNik(nik: string, argument: string): void {
  if (!/^[0-9]{16}$/.test(nik)) {
    throw new BadUserInputError(`${argument} must be a NIK of 16 digits, got ${quote(nik)}`, argument);
  }
}

export function assertRegionCodeArg(code: string, argument: string): void {
  if (!REGION_PREFIX.test(code)) {
    throw new BadUserInputError(`${argument} must be a Kemendagri region code such as 35.09 or 35.09.01.2001, got ${quote(code)}`, argument);
  }
}

export function assertProgramCodeShape(code: string, argument: string): void {
  if (!PROGRAM_CODE.test(code)) {
    throw new BadUserInputError(`${argument} must be a program code such as PKH or BPNT, got ${quote(code)}`, argument);
  }
}

export function assertIntRange(value: number | null | undefined, min: number, max: number, argument: string): void {
  if (value == null) return;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new BadUserInputError(`${argument} must be between ${min} and ${max}, got ${value}`, argument);
  }
}

export function assertOrdered(low: number | null | undefined, high: number | null | undefined, lowName: string, highName: string): void {
  if (low != null && high != null && low > high) {
    throw new BadUserInputError(`${lowName} must not be greater than ${highName}, got ${lowName} ${low} and ${highName} ${high}`, lowName);
  }
}
