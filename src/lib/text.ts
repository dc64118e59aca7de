import { BadUserInputError, quote } from './errors.js';

/**
 * The one set of rules for free text that Padu stores, shared by GraphQL inputs
 * (src/modules/referrals/referrals.input.ts) and the CSV import validator
 * (src/modules/imports/imports.rows.ts), so a value refused by one is refused by the other.
 *
 * - Encoding: no NUL and no unpaired UTF-16 surrogate anywhere in a request (PostgreSQL can store
 *   neither; `wellFormedProblem`, also applied to every string of every request by
 *   src/graphql/inputs.ts before any resolver runs), and no U+FFFD: it is what a decoder writes
 *   for bytes that were not UTF-8 (or for a lone surrogate encoded as UTF-8), never data.
 * - Characters: control characters (C0, DEL, C1; newline and tab only where a text may have
 *   lines), invisible format characters (zero-width space/joiners, bidi embeddings, overrides and
 *   isolates, word joiner, BOM, soft hyphen…: Unicode category Cf), private-use characters,
 *   noncharacters and the line/paragraph separators U+2028/U+2029. They make a text that looks
 *   empty, or looks like another, pass as data.
 * - Form: NFC, so the same visible text is stored as the same code points.
 */

const NUL_OR_LONE_SURROGATE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/**
 * Format (Cf), private use (Co), U+2028/2029, noncharacters, the replacement character, and the
 * blank "letters" (Hangul fillers, braille blank) that render as nothing.
 */
const INVISIBLE_OR_BROKEN = /[\p{Cf}\p{Co}\u2028\u2029\uFFFD\uFFFE\uFFFF\uFDD0-\uFDEF\u115F\u1160\u3164\uFFA0\u2800]/u;
const LETTER = /\p{L}/u;
const NON_ASCII = /[^\u0000-\u007f]/;

const codePoint = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
const position = (value: string, index: number) => (NON_ASCII.test(value) ? [...value.slice(0, index)].length : index) + 1;

/** NUL or an unpaired surrogate: the two things no text column can hold. Null when well formed. */
export function wellFormedProblem(value: string): string | null {
  const bad = NUL_OR_LONE_SURROGATE.exec(value);
  if (!bad) return null;
  return bad[0] === '\u0000'
    ? `must not contain NUL (U+0000), found at position ${position(value, bad.index)}`
    : `must be well-formed Unicode, found an unpaired surrogate ${codePoint(bad[0])} at position ${position(value, bad.index)}`;
}

/** What is wrong with a text's characters (rules above), or null. Positions count code points from 1. */
export function textProblem(value: string, options: { multiline?: boolean } = {}): string | null {
  const control = (options.multiline ? CONTROL_EXCEPT_LINES : CONTROL).exec(value);
  if (control) {
    return `must not contain control characters, got ${codePoint(control[0])} at position ${position(value, control.index)}`;
  }
  if (!NON_ASCII.test(value)) return null;
  const encoding = wellFormedProblem(value);
  if (encoding) return encoding;
  const invisible = INVISIBLE_OR_BROKEN.exec(value);
  if (invisible) {
    const what = invisible[0] === '\uFFFD'
      ? 'the replacement character U+FFFD (text that was not valid UTF-8)'
      : `invisible or reserved characters, got ${codePoint(invisible[0])}`;
    return `must not contain ${what} at position ${position(value, invisible.index)}`;
  }
  return null;
}

/** NFC, with a fast path for ASCII (already in every normal form). */
export function toNfc(value: string): string {
  return NON_ASCII.test(value) ? value.normalize('NFC') : value;
}

export interface CleanTextOptions {
  /** Longest text, in characters (code points) after trimming and NFC. */
  max: number;
  /** Line breaks and tab allowed (CR LF and a lone CR stored as LF by cleanText). */
  multiline?: boolean;
  /** Empty (after trimming) is refused instead of read as null. */
  required?: boolean;
  /** A person's name: refused when it has no letter at all (`%`, `_`, `123`, an emoji alone). */
  personName?: boolean;
}

/**
 * A free-text input as Padu stores it: trimmed, NFC, checked against the rules above and its
 * length. The length is checked first against twice the limit, so a 1 MB payload costs one
 * comparison. Null for an empty optional text; BAD_USER_INPUT naming `argument` otherwise.
 */
export function cleanText(value: string, argument: string, options: CleanTextOptions): string | null {
  if (typeof value !== 'string') throw new BadUserInputError(`${argument} must be a string`, argument);
  if (value.length > options.max * 2) {
    throw new BadUserInputError(`${argument} must be at most ${options.max} characters, got ${value.length}`, argument);
  }
  const problem = textProblem(value, { multiline: options.multiline });
  if (problem) throw new BadUserInputError(`${argument} ${problem}, got ${quote(value)}`, argument);
  const text = toNfc(options.multiline ? value.replace(/\r\n?/g, '\n') : value).trim();
  if (text.length === 0) {
    if (options.required) throw new BadUserInputError(`${argument} must not be empty`, argument);
    return null;
  }
  const length = [...text].length;
  if (length > options.max) {
    throw new BadUserInputError(`${argument} must be at most ${options.max} characters, got ${length}`, argument);
  }
  if (options.personName && !LETTER.test(text)) {
    throw new BadUserInputError(`${argument} must be a name with letters, got ${quote(text)}`, argument);
  }
  return text;
}
