export const ROLES = [
  'ADMIN', 'MANAGER', 'SUPERVISOR', 'FACILITATOR', 'PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST', 'AUDITOR',
] as const;
export type Role = (typeof ROLES)[number];

/** A region scope entry: "*" (whole country) or a Kemendagri code prefix such as "35" or "35.09". */
export const REGION_PREFIX = /^[0-9]{2}(\.[0-9]{2}(\.[0-9]{2}(\.[0-9]{4})?)?)?$/;
export const PROGRAM_CODE = /^[A-Z][A-Z0-9_]{1,31}$/;

/** The authenticated caller of one request. Immutable: built once by the context factory. */
export interface Viewer {
  readonly id: string;
  readonly role: Role;
  /** ["*"] or code prefixes; never empty. */
  readonly regions: readonly string[];
  /** Program codes of a PROGRAM_MANAGER; empty for other roles. */
  readonly programs: readonly string[];
  readonly via: 'token' | 'api-key';
}

export const isNational = (viewer: Pick<Viewer, 'regions'>) => viewer.regions.includes('*');

/** JavaScript twin of the SQL scope (src/auth/scope.ts), for codes that arrive as arguments. */
export function regionInScope(viewer: Pick<Viewer, 'regions'>, code: string): boolean {
  return viewer.regions.some((prefix) => prefix === '*' || code === prefix || code.startsWith(`${prefix}.`));
}

/** Whether `code` is an ancestor of the viewer's scope (a province above a regency scope). */
export function regionAboveScope(viewer: Pick<Viewer, 'regions'>, code: string): boolean {
  return viewer.regions.some((prefix) => prefix !== '*' && prefix.startsWith(`${code}.`));
}
