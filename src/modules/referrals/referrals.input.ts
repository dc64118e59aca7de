/**
 * Limits of the free text a Puskesos front office types (complaint, names, notes, agencies).
 * The checks themselves are the shared text rules of src/lib/text.ts (the CSV import applies
 * the same ones): trimmed, NFC, no control characters (newline and tab allowed where a text may
 * have lines, CR LF kept as LF), no invisible or broken characters, a name needs a letter.
 */
export const LIMITS = { name: 200, description: 4000, note: 4000, referredTo: 100 } as const;

export { cleanText } from '../../lib/text.js';
