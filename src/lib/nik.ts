/**
 * NIK (Nomor Induk Kependudukan) structure, UU 24/2013 and Permendagri 72/2019:
 *   PP KK CC DD MM YY SSSS
 *   province, regency, district of first registration; birth day (women: day + 40), month,
 *   two-digit year; serial. The region part stays when the person moves.
 * One set of rules for imports (persons.nik_valid, enrolments.nik_valid) and verification.
 */

/** Province codes of the 38 provinces (idn-area-data 4.0.1), the digits 1-2 of every NIK. */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15', '16', '17', '18', '19', '21', '31', '32', '33', '34', '35', '36', '51', '52',
  '53', '61', '62', '63', '64', '65', '71', '72', '73', '74', '75', '76', '81', '82', '91', '92', '93', '94',
  '95', '96',
]);

export type NikDefect = 'EMPTY' | 'NOT_16_DIGITS' | 'UNKNOWN_PROVINCE' | 'BAD_MONTH' | 'BAD_DAY' | 'ZERO_SERIAL';

const DEFECT_TEXT: Record<NikDefect, string> = {
  EMPTY: 'is empty',
  NOT_16_DIGITS: 'is not 16 digits',
  UNKNOWN_PROVINCE: 'has an unknown province code (digits 1-2)',
  BAD_MONTH: 'has a month (digits 9-10) outside 01-12',
  BAD_DAY: 'has a day (digits 7-8) outside 01-31 and 41-71',
  ZERO_SERIAL: 'has serial 0000 (digits 13-16)',
};

/** The first structural defect of a NIK, or null when it is well formed. */
export function nikDefect(nik: string | null | undefined): NikDefect | null {
  if (nik == null || nik === '') return 'EMPTY';
  if (!/^[0-9]{16}$/.test(nik)) return 'NOT_16_DIGITS';
  if (!PROVINCE_CODES.has(nik.slice(0, 2))) return 'UNKNOWN_PROVINCE';
  const month = Number(nik.slice(8, 10));
  if (month < 1 || month > 12) return 'BAD_MONTH';
  const day = Number(nik.slice(6, 8));
  if (!((day >= 1 && day <= 31) || (day >= 41 && day <= 71))) return 'BAD_DAY';
  if (nik.slice(12) === '0000') return 'ZERO_SERIAL';
  return null;
}

export const isValidNik = (nik: string | null | undefined): boolean => nikDefect(nik) === null;

export const describeNikDefect = (defect: NikDefect): string => DEFECT_TEXT[defect];

/** What a well-formed NIK says about its holder. */
export function nikBirthInfo(nik: string): { day: number; month: number; yy: number; female: boolean } | null {
  if (!isValidNik(nik)) return null;
  const rawDay = Number(nik.slice(6, 8));
  return { day: rawDay > 40 ? rawDay - 40 : rawDay, month: Number(nik.slice(8, 10)), yy: Number(nik.slice(10, 12)), female: rawDay > 40 };
}

/**
 * Compose a NIK (synthetic data only: seeds, tests, benchmarks). `districtCode` is a dotted
 * Kemendagri district code such as 35.09.01; birthDate YYYY-MM-DD; serial 1..9999.
 */
export function composeNik(districtCode: string, birthDate: string, sex: 'M' | 'F', serial: number): string {
  const region = districtCode.replace(/\./g, '').slice(0, 6);
  const [y, m, d] = birthDate.split('-');
  const day = Number(d) + (sex === 'F' ? 40 : 0);
  return `${region}${String(day).padStart(2, '0')}${m}${y.slice(2)}${String(serial).padStart(4, '0')}`;
}

/** Compose a KK number: region (6) + issue date DDMMYY + serial (4). Synthetic data only. */
export function composeKkNumber(districtCode: string, issuedOn: string, serial: number): string {
  const region = districtCode.replace(/\./g, '').slice(0, 6);
  const [y, m, d] = issuedOn.split('-');
  return `${region}${d}${m}${y.slice(2)}${String(serial).padStart(4, '0')}`;
}

/** NIK with digits 5 to 12 hidden: 3509xxxxxxxx0001. Null stays null. */
export function maskNik(nik: string | null | undefined): string | null {
  if (nik == null) return null;
  if (nik.length <= 8) return 'x'.repeat(nik.length);
  return `${nik.slice(0, 4)}${'x'.repeat(Math.min(8, nik.length - 8))}${nik.slice(12)}`;
}
