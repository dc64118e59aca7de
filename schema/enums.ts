import { pgEnum } from 'drizzle-orm/pg-core';

// Enum labels are the GraphQL enum names of the contract (shared/contract/core.graphql),
// so values travel from CSV through SQL to GraphQL without translation tables.

export const regionLevel = pgEnum('region_level', ['PROVINCE', 'REGENCY', 'DISTRICT', 'VILLAGE']);
export const role = pgEnum('role', [
  'ADMIN', 'MANAGER', 'SUPERVISOR', 'FACILITATOR', 'PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST', 'AUDITOR',
]);
export const sex = pgEnum('sex', ['M', 'F']);
export const relationship = pgEnum('relationship', [
  'HEAD', 'SPOUSE', 'CHILD', 'IN_LAW', 'GRANDCHILD', 'PARENT', 'HELPER', 'OTHER',
]);
export const maritalStatus = pgEnum('marital_status', ['SINGLE', 'MARRIED', 'DIVORCED', 'WIDOWED']);
export const presence = pgEnum('presence', [
  'PRESENT', 'DECEASED', 'MOVED', 'MOVED_ABROAD', 'NEW_MEMBER', 'NOT_FOUND',
]);
export const PPKS_CATEGORIES = [
  'ANAK_BALITA_TELANTAR', 'ANAK_TELANTAR', 'ANAK_BERHADAPAN_HUKUM', 'ANAK_JALANAN', 'ANAK_DISABILITAS',
  'ANAK_KORBAN_KEKERASAN', 'ANAK_PERLINDUNGAN_KHUSUS', 'LANJUT_USIA_TELANTAR', 'PENYANDANG_DISABILITAS',
  'TUNA_SUSILA', 'GELANDANGAN', 'PENGEMIS', 'PEMULUNG', 'KELOMPOK_MINORITAS', 'BEKAS_WARGA_BINAAN',
  'ODHA', 'KORBAN_NAPZA', 'KORBAN_TRAFFICKING', 'KORBAN_KEKERASAN', 'PEKERJA_MIGRAN_BERMASALAH',
  'KORBAN_BENCANA_ALAM', 'KORBAN_BENCANA_SOSIAL', 'PEREMPUAN_RAWAN_SOSIAL_EKONOMI', 'FAKIR_MISKIN',
  'KELUARGA_BERMASALAH_PSIKOLOGIS', 'KOMUNITAS_ADAT_TERPENCIL',
] as const;
export const ppksCategory = pgEnum('ppks_category', PPKS_CATEGORIES);
export const targetUnit = pgEnum('target_unit', ['INDIVIDUAL', 'FAMILY', 'HOUSEHOLD']);
export const enrolmentStatus = pgEnum('enrolment_status', ['ACTIVE', 'SUSPENDED', 'ENDED']);
export const duplicateKind = pgEnum('duplicate_kind', [
  'SAME_NIK', 'SAME_FAMILY', 'EXCLUSIVE_PROGRAMS', 'PROBABLE_SAME_PERSON',
]);
// RESOLVED (migration 0007): a candidate that no longer holds (an enrolment ended or was corrected).
export const reviewStatus = pgEnum('review_status', ['OPEN', 'CONFIRMED', 'DISMISSED', 'RESOLVED']);
export const referralCategory = pgEnum('referral_category', [
  'HEALTH', 'EDUCATION', 'SOCIAL_ECONOMIC', 'FOOD', 'ENERGY', 'AGRICULTURE', 'FISHERIES', 'HOUSING',
  'CIVIL_REGISTRATION',
]);
export const referralStatus = pgEnum('referral_status', [
  'REGISTERED', 'VERIFYING', 'REFERRED', 'RESOLVED', 'REJECTED',
]);
export const auditAction = pgEnum('audit_action', ['READ', 'MUTATION', 'IMPORT', 'DENIED']);
export const importKind = pgEnum('import_kind', [
  'PROGRAMS', 'HOUSEHOLDS', 'PERSONS', 'ENROLMENTS', 'CIVIL_REGISTRY', 'REFERRALS',
]);
export const importStatus = pgEnum('import_status', ['RUNNING', 'FINISHED', 'FAILED']);
