import { BadUserInputError, quote } from '../../lib/errors.js';

/**
 * Checks of the free text a Puskesos front office types (complaint, names, notes, agencies).
 * Text is trimmed; control characters are refused (newline and tab are allowed where a text
 * may have lines, CR LF is kept as LF); so are unpaired UTF-16 surrogates, which PostgreSQL
 * cannot store. The length is checked first, so a 1 MB payload costs one comparison.
 */
export const LIMITS = { name: 200, description: 4000, note: 4000, referredTo: 100 } as const;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const CONTROL_EXCEPT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

export function cleanText(
  value: string,
  argument: string,
  options: { max: number; multiline?: boolean; required?: boolean },
): string | null {
  if (typeof value !== 'string') throw new BadUserInputError(`${argument} must be a string`, argument);
  if (value.length > options.max * 2) {
    throw new BadUserInputError(`${argument} must be at most ${options.max} characters, got ${value.length}`, argument);
  }
  const text = (options.multiline ? value.replace(/\r\n?/g, '\n') : value).trim();
  if (text.length === 0) {
    if (options.required) throw new BadUserInputError(`${argument} must not be empty`, argument);
    return null;
  }
  if ([...text].length > options.max) {
    throw new BadUserInputError(`${argument} must be at most ${options.max} characters, got ${[...text].length}`, argument);
  }
  if ((options.multiline ? CONTROL_EXCEPT_LINES : CONTROL).test(text)) {
    throw new BadUserInputError(
      `${argument} must not contain control characters${options.multiline ? ' (other than newline and tab)' : ''}, got ${quote(text)}`,
      argument,
    );
  }
  if (LONE_SURROGATE.test(text)) throw new BadUserInputError(`${argument} must be well-formed Unicode text, got ${quote(text)}`, argument);
  return text;
}
