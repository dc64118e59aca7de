import { registerEnumType } from 'type-graphql';
import * as db from '../../schema/enums.js';
import { VERIFICATION_ISSUES } from '../modules/verification/verification.sql.js';

type EnumObject<T extends string> = { [K in T]: K };
const enumObject = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((v) => [v, v])) as EnumObject<T>;

// GraphQL enums are the database enums: one list of names (schema/enums.ts) serves both.
export const Role = enumObject(db.role.enumValues);
export type Role = keyof typeof Role;
export const RegionLevel = enumObject(db.regionLevel.enumValues);
export type RegionLevel = keyof typeof RegionLevel;
export const Sex = enumObject(db.sex.enumValues);
export type Sex = keyof typeof Sex;
export const Relationship = enumObject(db.relationship.enumValues);
export type Relationship = keyof typeof Relationship;
export const Presence = enumObject(db.presence.enumValues);
export type Presence = keyof typeof Presence;
export const PpksCategory = enumObject(db.ppksCategory.enumValues);
export type PpksCategory = keyof typeof PpksCategory;
export const TargetUnit = enumObject(db.targetUnit.enumValues);
export type TargetUnit = keyof typeof TargetUnit;
export const EnrolmentStatus = enumObject(db.enrolmentStatus.enumValues);
export type EnrolmentStatus = keyof typeof EnrolmentStatus;
export const DuplicateKind = enumObject(db.duplicateKind.enumValues);
export type DuplicateKind = keyof typeof DuplicateKind;
export const ReviewStatus = enumObject(db.reviewStatus.enumValues);
export type ReviewStatus = keyof typeof ReviewStatus;
export const ReferralCategory = enumObject(db.referralCategory.enumValues);
export type ReferralCategory = keyof typeof ReferralCategory;
export const ReferralStatus = enumObject(db.referralStatus.enumValues);
export type ReferralStatus = keyof typeof ReferralStatus;
export const AuditAction = enumObject(db.auditAction.enumValues);
export type AuditAction = keyof typeof AuditAction;
export const ImportKind = enumObject(db.importKind.enumValues);
export type ImportKind = keyof typeof ImportKind;

registerEnumType(Role, { name: 'Role' });
registerEnumType(RegionLevel, { name: 'RegionLevel' });
registerEnumType(Sex, { name: 'Sex' });
registerEnumType(Relationship, { name: 'Relationship' });
registerEnumType(Presence, { name: 'Presence' });
registerEnumType(PpksCategory, { name: 'PpksCategory' });
registerEnumType(TargetUnit, { name: 'TargetUnit' });
registerEnumType(EnrolmentStatus, { name: 'EnrolmentStatus' });
registerEnumType(DuplicateKind, { name: 'DuplicateKind' });
registerEnumType(ReviewStatus, { name: 'ReviewStatus' });
registerEnumType(ReferralCategory, { name: 'ReferralCategory' });
registerEnumType(ReferralStatus, { name: 'ReferralStatus' });
registerEnumType(AuditAction, { name: 'AuditAction' });
registerEnumType(ImportKind, { name: 'ImportKind' });
export const ImportStatus = enumObject(db.importStatus.enumValues);
export type ImportStatus = keyof typeof ImportStatus;
registerEnumType(ImportStatus, { name: 'ImportStatus', description: 'RUNNING while rows are loaded (and after a crash), FINISHED, or FAILED (the file broke off or the database failed).' });

// Verification outcomes are computed, not stored: their names live with the SQL that computes them.
export const VerificationIssue = enumObject(VERIFICATION_ISSUES);
export type VerificationIssue = keyof typeof VerificationIssue;
export const VerificationStatus = enumObject(['VERIFIED', ...VERIFICATION_ISSUES] as const);
export type VerificationStatus = keyof typeof VerificationStatus;
registerEnumType(VerificationIssue, { name: 'VerificationIssue' });
registerEnumType(VerificationStatus, { name: 'VerificationStatus' });
