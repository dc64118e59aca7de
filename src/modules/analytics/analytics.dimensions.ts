/**
 * The names of stats' measures and dimensions and which dimension groups which measure
 * (CONTRACT.md section 8), as plain data: the GraphQL enums (analytics.types.ts), the argument
 * checks (analytics.service.ts) and the SQL (analytics.sql.ts) all read them from here.
 */
export const STAT_MEASURES = ['HOUSEHOLDS', 'PERSONS', 'ENROLMENTS'] as const;
export type StatMeasure = (typeof STAT_MEASURES)[number];

export const STAT_DIMENSIONS = [
  'PROVINCE', 'REGENCY', 'DISTRICT', 'VILLAGE', 'DESIL', 'PROGRAM', 'SEX', 'AGE_BAND', 'PPKS', 'VERIFICATION_STATUS',
  'ENROLMENT_STATUS',
] as const;
export type StatDimension = (typeof STAT_DIMENSIONS)[number];

/** Which measures each dimension groups (CONTRACT.md section 8). */
export const MEASURES_OF: Record<StatDimension, readonly StatMeasure[]> = {
  PROVINCE: ['HOUSEHOLDS', 'PERSONS', 'ENROLMENTS'],
  REGENCY: ['HOUSEHOLDS', 'PERSONS', 'ENROLMENTS'],
  DISTRICT: ['HOUSEHOLDS', 'PERSONS', 'ENROLMENTS'],
  VILLAGE: ['HOUSEHOLDS', 'PERSONS', 'ENROLMENTS'],
  DESIL: ['HOUSEHOLDS', 'PERSONS', 'ENROLMENTS'],
  PROGRAM: ['ENROLMENTS'],
  ENROLMENT_STATUS: ['ENROLMENTS'],
  SEX: ['PERSONS', 'ENROLMENTS'],
  AGE_BAND: ['PERSONS', 'ENROLMENTS'],
  PPKS: ['PERSONS', 'ENROLMENTS'],
  VERIFICATION_STATUS: ['PERSONS', 'ENROLMENTS'],
};

