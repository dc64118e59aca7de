import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written YYYY-MM-DD (2025-02-29 is not one). */
export function isCalendarDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1800 || y > 2200 || mo < 1 || mo > 12 || d < 1) return false;
  // Arithmetic rather than a Date per value: imports check millions of dates.
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[mo - 1]);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function parseDate(value: unknown): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw new GraphQLError(`Date must be a calendar date YYYY-MM-DD, got ${JSON.stringify(value)?.slice(0, 40)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description: 'ISO 8601 calendar date, YYYY-MM-DD.',
  serialize: (value) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10)),
  parseValue: parseDate,
  parseLiteral: (ast) => parseDate(ast.kind === Kind.STRING ? ast.value : undefined),
});

/** PostgreSQL's text form "2026-11-22 05:16:59.589+00" (both drivers return it) to ISO 8601. */
export function toIsoInstant(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  const normalised = text.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00');
  const date = new Date(normalised);
  if (Number.isNaN(date.getTime())) throw new TypeError(`not a timestamp: ${text.slice(0, 40)}`);
  return date.toISOString();
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * The one parser of ISO 8601 instants (the DateTime scalar and the CSV import): a calendar date
 * in 1800..2200 (isCalendarDate: no February 30th rolling over into March), hours 00-23,
 * minutes and seconds 00-59 (no T24:00, no leap second), an offset Z or ±hh:mm (colon optional)
 * up to ±23:59. Anything JavaScript's Date would silently normalise is refused, and every
 * accepted value is one PostgreSQL can store. Returns the instant in UTC (toISOString), or null.
 */
export function parseIsoInstant(value: string): string | null {
  const m = INSTANT.exec(value);
  if (!m || !isCalendarDate(m[1])) return null;
  const [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4] ?? 0)];
  if (hour > 23 || minute > 59 || second > 59) return null;
  if (m[6] !== 'Z' && (Number(m[8]) > 23 || Number(m[9]) > 59)) return null;
  const offset = m[6] === 'Z' ? 'Z' : `${m[7]}${m[8]}:${m[9]}`;
  const date = new Date(`${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}${(m[5] ?? '').slice(0, 4)}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function parseInstant(value: unknown): string {
  const instant = typeof value === 'string' ? parseIsoInstant(value) : null;
  if (instant !== null) return instant;
  throw new GraphQLError(`DateTime must be an ISO 8601 instant with offset between 1800 and 2200, such as 2026-11-22T05:16:59.589Z, got ${JSON.stringify(value)?.slice(0, 40)}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

export const DateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'ISO 8601 instant with offset, e.g. 2026-11-22T05:16:59.589Z.',
  serialize: toIsoInstant,
  parseValue: parseInstant,
  parseLiteral: (ast) => parseInstant(ast.kind === Kind.STRING ? ast.value : undefined),
});
