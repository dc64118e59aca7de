import { PPKS_CATEGORIES } from '../../../schema/enums.js';
import { isCalendarDate, parseIsoInstant } from '../../graphql/scalars.js';
import { quote } from '../../lib/errors.js';
import { textProblem, toNfc } from '../../lib/text.js';

/** One rejected row's reason: the 1-based data row (header is row 0), the column, the reason. */
export interface RowError {
  row: number;
  field: string | null;
  message: string;
}

export const VILLAGE_CODE = /^[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}$/;
const INTEGER = /^[+-]?[0-9]+$/;
/** Printable ASCII, not starting or ending with a space: already trimmed, NFC and free of control characters. */
const PLAIN_CELL = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;

interface TextOptions {
  required?: boolean;
  max?: number;
}

/**
 * Reads the cells of one CSV record by column name and collects the field errors. Every
 * method returns the typed value or null; after all fields are read, `errors` says whether
 * the row can be stored. An empty (or all-blank) cell is null (CONTRACT.md section 3).
 */
export class RowReader {
  readonly errors: Array<{ field: string; message: string }> = [];
  private cells: string[] = [];

  constructor(private readonly index: ReadonlyMap<string, number>) {}

  reset(cells: string[]): this {
    this.cells = cells;
    this.errors.length = 0;
    return this;
  }

  fail(field: string, message: string): null {
    this.errors.push({ field, message });
    return null;
  }

  /** Whether the file has this (optional) column. */
  has(field: string): boolean {
    return this.index.has(field);
  }

  /**
   * The trimmed cell in NFC, null when empty; refuses what GraphQL text inputs refuse
   * (src/lib/text.ts: control characters other than line breaks and tab, invisible characters,
   * and U+FFFD, which is how bytes that are not UTF-8, such as an encoded lone surrogate, decode).
   */
  raw(field: string): string | null {
    const at = this.index.get(field);
    if (at === undefined) return null;
    const cell = this.cells[at];
    if (cell === undefined || cell === '') return null;
    // Most cells are printable ASCII with no space at either end: nothing to trim, refuse or
    // normalise (one test instead of three, on millions of cells).
    if (PLAIN_CELL.test(cell)) return cell;
    const value = cell.trim();
    if (value === '') return null;
    const problem = textProblem(value, { multiline: true });
    if (problem) return this.fail(field, problem);
    return toNfc(value);
  }

  text(field: string, options: TextOptions = {}): string | null {
    const value = this.raw(field);
    if (value === null) {
      if (options.required && !this.errors.some((e) => e.field === field)) this.fail(field, 'is required');
      return null;
    }
    if (options.max !== undefined && value.length > options.max) {
      return this.fail(field, `must be at most ${options.max} characters, got ${value.length}`);
    }
    return value;
  }

  /** A natural key: required, 1..64 characters. */
  key(field: string): string | null {
    return this.text(field, { required: true, max: 64 });
  }

  enumOf<T extends string>(field: string, values: readonly T[], options: { required?: boolean } = {}): T | null {
    const value = this.text(field, options);
    if (value === null) return null;
    if (!(values as readonly string[]).includes(value)) {
      return this.fail(field, `must be one of ${values.join(', ')}, got ${quote(value)}`);
    }
    return value as T;
  }

  date(field: string, options: { required?: boolean } = {}): string | null {
    const value = this.text(field, options);
    if (value === null) return null;
    if (!isCalendarDate(value)) return this.fail(field, `must be a calendar date YYYY-MM-DD, got ${quote(value)}`);
    return value;
  }

  instant(field: string, options: { required?: boolean } = {}): string | null {
    const value = this.text(field, options);
    if (value === null) return null;
    if (parseIsoInstant(value) === null) {
      return this.fail(field, `must be an ISO 8601 instant with offset such as 2025-03-01T08:30:00+07:00, got ${quote(value)}`);
    }
    return value;
  }

  int(field: string, min: number, max: number, options: { required?: boolean; what?: string } = {}): number | null {
    const value = this.text(field, options);
    if (value === null) return null;
    const n = INTEGER.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min || n > max) {
      return this.fail(field, `must be ${options.what ?? `a whole number ${min}..${max}`}, got ${quote(value)}`);
    }
    return n;
  }

  bool(field: string): boolean | null {
    const value = this.text(field);
    if (value === null) return null;
    const lower = value.toLowerCase();
    if (lower === 'true') return true;
    if (lower === 'false') return false;
    return this.fail(field, `must be true or false, got ${quote(value)}`);
  }

  village(field: string, options: { required?: boolean } = { required: true }): string | null {
    const value = this.text(field, options);
    if (value === null) return null;
    if (!VILLAGE_CODE.test(value)) return this.fail(field, `must be a Kemendagri village code such as 35.09.01.2001, got ${quote(value)}`);
    return value;
  }

  /** A `;` separated list; blanks dropped, duplicates removed, order kept. */
  list(field: string): string[] {
    const value = this.raw(field);
    if (value === null) return [];
    return [...new Set(value.split(';').map((s) => s.trim()).filter(Boolean))];
  }

  ppks(field: string): string[] {
    const items = this.list(field);
    const unknown = items.filter((c) => !(PPKS_CATEGORIES as readonly string[]).includes(c));
    if (unknown.length) {
      this.fail(field, `must be a ; list of PpksCategory names (e.g. FAKIR_MISKIN;PENYANDANG_DISABILITAS), got unknown ${quote(unknown.join(';'))}`);
      return [];
    }
    return items;
  }
}
