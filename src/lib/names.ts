/**
 * Indonesian personal-name normalisation, shared by search, verification and duplicate
 * detection so that all three agree on what "the same name" means.
 *
 * Steps: lower case, strip diacritics, drop honorifics and academic degrees (H., Hj., Dr.,
 * Ir., S.Pd., …), punctuation to spaces, old spelling to new (dj→j, tj→c, oe→u, ch→kh, j→y
 * where the old Soewandi spelling used it), and one canonical form per family of spelling
 * variants (Muhammad/Muhamad/Mohammad/Moh./M., Siti/Sitti, Nur/Noer, …).
 */

/** Titles and degrees, matched as whole tokens after lower-casing and removing dots. */
const TITLES = new Set([
  'h', 'hj', 'haji', 'hajjah', 'dr', 'drs', 'dra', 'ir', 'prof', 'kh', 'ust', 'ustadz', 'ustaz', 'ustadzah',
  'tn', 'ny', 'nn', 'sdr', 'sdri', 'bpk', 'bapak', 'ibu', 'alm', 'almh', 'almarhum', 'almarhumah', 'rd', 'raden',
  'spd', 'spdi', 'sag', 'sh', 'se', 'st', 'skom', 'sked', 'skm', 'sos', 'ssos', 'sip', 'sp', 'ssi', 'sthi',
  'shi', 'sei', 'sikom', 'ssit', 'amd', 'amdkeb', 'amdkep', 'amkep', 'amg', 'mm', 'mpd', 'msi', 'mh', 'mag', 'mkes',
  'mt', 'phd', 'ma', 'ba', 'bsc', 'msc', 'mba', 'apt', 'ners', 'bidan', 'spog', 'spa', 'sppd', 'dipl',
]);

/** Canonical form of common given-name variants (after the old-spelling rewrite). */
const VARIANTS: Record<string, string> = {
  muhamad: 'muhammad', muhammad: 'muhammad', mohammad: 'muhammad', mohamad: 'muhammad', mochammad: 'muhammad',
  mochamad: 'muhammad', muchammad: 'muhammad', muchamad: 'muhammad', mohamed: 'muhammad', muhamat: 'muhammad',
  muhammat: 'muhammad', mokhammad: 'muhammad', mukhammad: 'muhammad', mukhamad: 'muhammad', mokhamad: 'muhammad',
  mhd: 'muhammad', moh: 'muhammad', moch: 'muhammad', mohd: 'muhammad', muh: 'muhammad', mch: 'muhammad',
  sitti: 'siti', siti: 'siti',
  nur: 'nur', nuur: 'nur', noor: 'nur', nurul: 'nurul',
  achmad: 'ahmad', akhmad: 'ahmad', ahmat: 'ahmad', ahmad: 'ahmad',
  abdul: 'abdul', abdoel: 'abdul', abd: 'abdul',
  rahman: 'rahman', rachman: 'rahman', rakhman: 'rahman',
  rahmat: 'rahmat', rachmat: 'rahmat', rakhmat: 'rahmat',
  yusuf: 'yusuf', yusup: 'yusuf', jusuf: 'yusuf',
  fatimah: 'fatimah', fatima: 'fatimah', fatmah: 'fatimah',
  aisyah: 'aisyah', aisah: 'aisyah', aishah: 'aisyah', aisya: 'aisyah',
  khadijah: 'khadijah', hadijah: 'khadijah', kadijah: 'khadijah',
  zainal: 'zainal', zaenal: 'zainal', zainul: 'zainal',
  saiful: 'saiful', syaiful: 'saiful', syaifulloh: 'saifullah', saifulloh: 'saifullah', saifullah: 'saifullah',
  sri: 'sri', sry: 'sri',
};

/** Old (Van Ophuijsen / Soewandi) spellings to the 1972 EYD spelling, applied inside words. */
function modernSpelling(word: string): string {
  return word
    .replace(/oe/g, 'u')
    .replace(/dj/g, 'j')
    .replace(/tj/g, 'c')
    .replace(/sj/g, 'sy')
    .replace(/nj/g, 'ny')
    .replace(/ch/g, 'kh');
}

/** Tokens of the normalised name, in order. */
export function nameTokens(name: string | null | undefined): string[] {
  if (!name) return [];
  const plain = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
  // Degrees such as "S.Pd." or "A.Md.Keb" lose their dots first so they read as one token.
  const words = plain
    .split(/[\s,]+/)
    .map((w) => w.replace(/[.'`’]/g, ''))
    .flatMap((w) => w.split(/[^a-z0-9]+/))
    .filter(Boolean);
  return words
    .filter((w) => !TITLES.has(w))
    .map((w) => {
      const direct = VARIANTS[w];
      if (direct) return direct;
      const modern = modernSpelling(w);
      return VARIANTS[modern] ?? modern;
    });
}

/** The normalised name: tokens joined by single spaces; '' when nothing is left. */
export function normalizeName(name: string | null | undefined): string {
  return nameTokens(name).join(' ');
}
