/**
 * Indonesian personal-name normalisation, shared by search, verification and duplicate
 * detection so that all three agree on what "the same name" means.
 *
 * Steps: lower case, strip diacritics, drop honorifics and academic degrees (H., Hj., Dr.,
 * Ir., S.Pd., …) and patronymic particles (bin, binti), punctuation to spaces, old spelling to
 * new (dj→j, tj→c, oe→u, sj→sy, nj→ny, ch→kh), dh→d (Ramadhan/Ramadan), a final y after a
 * consonant to i (Hendry/Hendri), doubled letters to one (Sitti/Siti, Abdullah/Abdulah), one
 * canonical form per family of spelling variants (Muhammad/Muhamad/Mohammad/Moh./M.,
 * Siti/Sitti, Nur/Noer, …), and a leading lone "M" read as Muhammad.
 *
 * Changing these rules changes persons.name_norm, enrolments.name_norm, civil_registry.name_norm
 * and referrals.name_norm written by imports: existing rows then need recomputing.
 */

/** Titles and degrees, matched as whole tokens after lower-casing and removing dots. */
const TITLES = new Set([
  'h', 'hj', 'haji', 'hajjah', 'dr', 'drs', 'dra', 'ir', 'prof', 'kh', 'ust', 'ustadz', 'ustaz', 'ustadzah',
  'tn', 'ny', 'nn', 'sdr', 'sdri', 'bpk', 'bapak', 'ibu', 'alm', 'almh', 'almarhum', 'almarhumah', 'rd', 'raden',
  'spd', 'spdi', 'sag', 'sh', 'se', 'st', 'skom', 'sked', 'skm', 'sos', 'ssos', 'sip', 'sp', 'ssi', 'sthi',
  'shi', 'sei', 'sikom', 'ssit', 'amd', 'amdkeb', 'amdkep', 'amkep', 'amg', 'mm', 'mpd', 'msi', 'mh', 'mag', 'mkes',
  'mt', 'phd', 'ma', 'ba', 'bsc', 'msc', 'mba', 'apt', 'ners', 'bidan', 'spog', 'spa', 'sppd', 'dipl',
]);

/** Patronymic particles: "Ahmad bin Umar" is written "Ahmad Umar" just as often. */
const PARTICLES = new Set(['bin', 'binti', 'bt', 'bte', 'bn']);

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
  fatimah: 'fatimah', fatima: 'fatimah', fatmah: 'fatimah', fatma: 'fatimah',
  aisyah: 'aisyah', aisah: 'aisyah', aishah: 'aisyah', aisya: 'aisyah',
  khadijah: 'khadijah', hadijah: 'khadijah', kadijah: 'khadijah',
  zainal: 'zainal', zaenal: 'zainal', zainul: 'zainal',
  saiful: 'saiful', syaiful: 'saiful', syaifulloh: 'saifullah', saifulloh: 'saifullah', saifullah: 'saifullah',
  sri: 'sri', sry: 'sri',
};

/** Old (Van Ophuijsen / Soewandi) spellings to the 1972 EYD spelling, applied inside words. */
function modernSpelling(word: string): string {
  // A word written in the old spelling (it has one of its digraphs) also used j for today's y:
  // Tjahjono is Cahyono, Djojo is Joyo. Other words keep their j (Joko).
  const old = /oe|dj|tj|sj|nj/.test(word);
  let w = word
    .replace(/oe/g, 'u')
    .replace(/tj/g, 'c')
    .replace(/dj/g, '\u0000')
    .replace(/sj/g, 'sy')
    .replace(/nj/g, 'ny');
  if (old) w = w.replace(/j/g, 'y');
  return w
    .replace(/\u0000/g, 'j')
    .replace(/ch/g, 'kh')
    .replace(/dh/g, 'd');
}

/** Spelling noise that does not tell two names apart: doubled letters, a final y after a consonant. */
function simplify(word: string): string {
  return word.replace(/([a-z])\1+/g, '$1').replace(/([^aeiou])y$/, '$1i');
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
  const kept = words.filter((w) => !TITLES.has(w) && !PARTICLES.has(w));
  return kept.map((w, index) => {
    // "M. Yusuf": a leading lone M is the usual abbreviation of Muhammad.
    if (w === 'm' && index === 0 && kept.length > 1) return simplify('muhammad');
    const direct = VARIANTS[w];
    if (direct) return simplify(direct);
    const modern = modernSpelling(w);
    return simplify(VARIANTS[modern] ?? modern);
  });
}

/** The normalised name: tokens joined by single spaces; '' when nothing is left. */
export function normalizeName(name: string | null | undefined): string {
  return nameTokens(name).join(' ');
}
