/**
 * Raised when the database cannot be opened or reached; main and the CLIs print it as one line.
 * Its own module, so a command that opens no database (npm run token) does not load the drivers
 * just to recognise it, nor to read a driver error's SQLSTATE (below).
 */
export class DatabaseUnavailableError extends Error {}

/** SQLSTATE of a driver error (postgres.js and PGlite set `code`; drizzle wraps the error in `cause`). */
export function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

/** The constraint a driver error names (`constraint_name` or `constraint`, as the drivers call it), if any. */
export function constraintOf(error: unknown): string | undefined {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const name = e.constraint_name ?? e.constraint;
    if (typeof name === 'string') return name;
  }
  return undefined;
}
