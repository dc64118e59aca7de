import { describe, expect, it } from 'vitest';
import { composeNik, isValidNik, maskNik, nikBirthInfo, nikDefect, PROVINCE_CODES } from '../../src/lib/nik.js';

/**
 * CONTRACT.md section 5, INVALID_NIK: not 16 digits; unknown province (digits 1-2); month
 * (digits 9-10) not 01-12; day (digits 7-8) not 01-31 or 41-71; serial (digits 13-16) 0000.
 * Layout: PP KK CC DD MM YY SSSS. Synthetic NIKs.
 */
describe('nikDefect', () => {
  it.each([
    ['a man born 1 Jan 1980 in Jember', '3509010101800001'],
    ['a woman born 1 Jan 1980 (day + 40)', '3509014101800001'],
    ['day 31', '3509013112800001'],
    ['day 71 (a woman born on the 31st)', '3509017112800001'],
    ['month 12', '3509011512990001'],
    ['serial 9999', '3509011501009999'],
    ['Aceh (11)', '1101011501800001'],
    ['Papua Barat Daya (96), the newest province', '9601011501800001'],
    ['Kota Solok (13)', '1372012005650123'],
    ['year 00', '3509012005000001'],
  ])('accepts %s: %s', (_label, nik) => {
    expect(nikDefect(nik)).toBeNull();
    expect(isValidNik(nik)).toBe(true);
  });

  it.each([
    ['null', null, 'EMPTY'],
    ['empty', '', 'EMPTY'],
    ['15 digits', '350901010180001', 'NOT_16_DIGITS'],
    ['17 digits', '35090101018000011', 'NOT_16_DIGITS'],
    ['a letter', '35090101018O0001', 'NOT_16_DIGITS'],
    ['spaces', '3509 0101 8000 01', 'NOT_16_DIGITS'],
    ['dots', '35.09.01.0101800001', 'NOT_16_DIGITS'],
    ['a trailing space', '3509010101800001 ', 'NOT_16_DIGITS'],
    ['Arabic-Indic digits', '٣٥٠٩٠١٠١٠١٨٠٠٠٠١', 'NOT_16_DIGITS'],
    ['province 00', '0009010101800001', 'UNKNOWN_PROVINCE'],
    ['province 10 (no such code)', '1009010101800001', 'UNKNOWN_PROVINCE'],
    ['province 37 (no such code)', '3709010101800001', 'UNKNOWN_PROVINCE'],
    ['province 99', '9909010101800001', 'UNKNOWN_PROVINCE'],
    ['month 00', '3509010100800001', 'BAD_MONTH'],
    ['month 13', '3509010113800001', 'BAD_MONTH'],
    ['month 41 (the +40 rule is for days only)', '3509014141800001', 'BAD_MONTH'],
    ['day 00', '3509010001800001', 'BAD_DAY'],
    ['day 32', '3509013201800001', 'BAD_DAY'],
    ['day 40', '3509014001800001', 'BAD_DAY'],
    ['day 72', '3509017201800001', 'BAD_DAY'],
    ['day 99', '3509019901800001', 'BAD_DAY'],
    ['serial 0000', '3509010101800000', 'ZERO_SERIAL'],
    ['all zeros', '0000000000000000', 'UNKNOWN_PROVINCE'],
  ])('rejects %s: %j as %s', (_label, nik, defect) => {
    expect(nikDefect(nik)).toBe(defect);
    expect(isValidNik(nik)).toBe(false);
  });

  it('checks the first defect in contract order (length, province, month, day, serial)', () => {
    expect(nikDefect('0009013213800000')).toBe('UNKNOWN_PROVINCE');
    expect(nikDefect('3509013213800000')).toBe('BAD_MONTH');
    expect(nikDefect('3509013212800000')).toBe('BAD_DAY');
  });

  it('knows the 38 provinces', () => {
    expect(PROVINCE_CODES.size).toBe(38);
  });

  it('composes valid NIKs and reads them back (synthetic data)', () => {
    const woman = composeNik('35.09.01', '1985-07-31', 'F', 12);
    expect(woman).toBe('3509017107850012');
    expect(nikBirthInfo(woman)).toEqual({ day: 31, month: 7, yy: 85, female: true });
    expect(nikBirthInfo(composeNik('13.72.01', '2001-02-03', 'M', 1))).toEqual({ day: 3, month: 2, yy: 1, female: false });
    expect(maskNik(woman)).toBe('3509xxxxxxxx0012');
  });
});
