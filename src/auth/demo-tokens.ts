import type { Role } from './viewer.js';

/** Demo scopes for the printed tokens: the regencies of the demo data set (docs/operations use 35.09). */
export const DEMO_TOKENS: Record<Role, { regions: string[]; programs?: string[] }> = {
  ADMIN: { regions: ['*'] },
  MANAGER: { regions: ['35.09'] },
  SUPERVISOR: { regions: ['35.09'] },
  FACILITATOR: { regions: ['35.09'] },
  PROGRAM_MANAGER: { regions: ['*'], programs: ['PKH', 'BPNT', 'BLT_DD', 'PBI_JK'] },
  EXTERNAL_APP: { regions: ['35.09', '35.76'] },
  ANALYST: { regions: ['*'] },
  AUDITOR: { regions: ['*'] },
};
