import { GraphQLError } from 'graphql';

/**
 * Domain errors carry a stable code; src/server/format-error.ts turns them into GraphQLErrors
 * with `extensions.code`. Anything that is not a PaduError is unexpected: logged, then masked.
 */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'CONFLICT';

export class PaduError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthenticatedError extends PaduError {
  constructor(message = 'valid credentials are required: send Authorization: Bearer <token> or X-Api-Key: <key>') {
    super('UNAUTHENTICATED', message);
  }
}

export class ForbiddenError extends PaduError {
  constructor(message = 'not allowed for this role') {
    super('FORBIDDEN', message);
  }
}

export class BadUserInputError extends PaduError {
  constructor(message: string, readonly argument?: string) {
    super('BAD_USER_INPUT', message, argument ? { argument } : {});
  }
}

export class NotFoundError extends PaduError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class ConflictError extends PaduError {
  constructor(message: string, details: Record<string, unknown> = {}) {
    super('CONFLICT', message, details);
  }
}

/** For values quoted in messages: short, single-line, never a whole hostile payload. */
export function quote(value: unknown, max = 40): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  const short = text.length > max ? `${text.slice(0, max)}…` : text;
  // Control characters and unpaired surrogates (also one cut in half above) shown as "?".
  return JSON.stringify(short.replace(/[\u0000-\u001f\u007f]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '?'));
}

export function toGraphQLError(error: PaduError): GraphQLError {
  return new GraphQLError(error.message, { extensions: { code: error.code, ...error.details } });
}
