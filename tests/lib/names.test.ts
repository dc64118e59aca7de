import { describe, expect, it } from 'vitest';
import { nameTokens, normalizeName } from '../../src/lib/names.js';

describe('normalizeName', () => {
  it.each([
    ['case and spaces', '  BUDI   santoso ', 'budi santoso'],
    ['punctuation', "Ma'ruf, Amin.", 'maruf amin'],
    ['diacritics', 'Rénata Çahya', 'renata cahya'],
    ['honorifics before the name', 'H. Ahmad Dahlan', 'ahmad dahlan'],
    ['hajjah and doctor', 'Hj. Dr. Fatimah', 'fatimah'],
    ['degrees after a comma', 'Rina Wulandari, S.Pd.', 'rina wulandari'],
    ['degrees stuck together', 'Agus Salim S.Pd.I M.Pd', 'agus salim'],
    ['midwife diploma', 'Dewi Lestari, A.Md.Keb', 'dewi lestari'],
    ['patronymic particles', 'Abdullah bin Umar', 'abdulah umar'],
    ['only titles', 'Dr. Ir. H.', ''],
    ['null', null, ''],
  ])('%s: %j -> %j', (_label, input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it.each([
    ['Muhammad', ['Muhamad', 'Mohammad', 'Mochammad', 'Moh.', 'Muh', 'Mhd', 'Mohamad']],
    ['Siti Aminah', ['Sitti Aminah', 'SITI AMINAH', 'Hj. Siti Aminah, S.E.']],
    ['Nur Aini', ['Noer Aini', 'Noor Aini', 'Nuur Aini']],
    ['Joko Widodo', ['Djoko Widodo', 'JOKO WIDODO, S.H.']],
    ['Sukarno', ['Soekarno', 'Soekarno, Ir.']],
    ['Cahyono', ['Tjahjono', 'Tjahyono']],
    ['Joyohadikusumo', ['Djojohadikusumo']],
    ['Ahmad Rahman', ['Achmad Rachman', 'Akhmad Rakhman', 'Dr. Ir. Achmad Rachman, M.Si']],
    ['Ramadan', ['Ramadhan']],
    ['Hendri', ['Hendry']],
    ['Muhammad Yusuf', ['M. Yusuf', 'Mohammad Jusuf']],
    ['Syahrir', ['Sjahrir']],
    ['Nyoman', ['Njoman']],
  ])('%s and its spelling variants normalise alike', (canonical, variants) => {
    for (const variant of variants) expect(normalizeName(variant), variant).toBe(normalizeName(canonical));
  });

  it.each([
    ['Budi Santoso', 'Budi Santosa'],
    ['Siti Aminah', 'Siti Amina Putri'],
    ['Muhammad Yusuf', 'Ahmad Yusuf'],
    ['Nur Aini', 'Nur Aida'],
    ['Joko Widodo', 'Yoko Widodo'],
  ])('keeps different names apart: %j vs %j', (a, b) => {
    expect(normalizeName(a)).not.toBe(normalizeName(b));
  });

  it('keeps a lone M that is not leading, and a leading M that is the whole name', () => {
    expect(nameTokens('Yusuf M.')).toEqual(['yusuf', 'm']);
    expect(nameTokens('M')).toEqual(['m']);
  });

  it('is idempotent', () => {
    for (const name of ['H. Moh. Soekarno, S.Pd.', 'Hj. Sitti Noer Djannah', 'Tjahjono']) {
      expect(normalizeName(normalizeName(name))).toBe(normalizeName(name));
    }
  });
});
