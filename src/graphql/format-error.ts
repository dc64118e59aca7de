import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import { GraphQLError } from 'graphql';
import { PaduError } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';

/** The only codes a client ever sees (CONTRACT.md section 9). */
export const CLIENT_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'BAD_USER_INPUT', 'NOT_FOUND', 'CONFLICT',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'INTERNAL_SERVER_ERROR',
]);

const CONTEXT_PREFIX = 'Context creation failed: ';

/**
 * Codes of the automatic-persisted-query protocol: a client that sent only a query's hash must
 * see PERSISTED_QUERY_NOT_FOUND (message PersistedQueryNotFound) to know it should send the
 * query itself; masked as an internal error it could not fall back.
 */
const APQ_CODES = new Set(['PERSISTED_QUERY_NOT_FOUND']);

/**
 * "Did you mean …?" names schema elements (fields, types, enum values, arguments) a client did
 * not ask about; in production no message carries one, whichever rule or coercion wrote it.
 */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/**
 * SECURITY: the last stop before a client. Domain errors keep their code and message; errors
 * GraphQL itself raised keep theirs; anything else (a database error, a bug) is logged with the
 * operation and replaced by a bare INTERNAL_SERVER_ERROR, so no SQL, stack trace or other
 * record's data reaches the client.
 */
export function createFormatError(logger: Logger, options: { production?: boolean } = {}) {
  const clean = (message: string) => {
    const text = message.replace(CONTEXT_PREFIX, '');
    return options.production ? text.replace(SUGGESTION, '') : text;
  };
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const original = unwrapResolverError(error);
    const base = { locations: formatted.locations, path: formatted.path };
    if (original instanceof PaduError) {
      return { ...base, message: original.message, extensions: { code: original.code, ...original.details } };
    }
    const code = formatted.extensions?.code;
    const fromGraphQL = original instanceof GraphQLError || (error instanceof GraphQLError && original === error);
    if (typeof code === 'string' && CLIENT_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR' && fromGraphQL) {
      const extensions: Record<string, unknown> = { code };
      const argumentName = formatted.extensions?.argument;
      if (typeof argumentName === 'string') extensions.argument = argumentName;
      return { ...base, message: clean(formatted.message), extensions };
    }
    if (typeof code === 'string' && APQ_CODES.has(code)) {
      return { ...base, message: formatted.message, extensions: { code } };
    }
    // Apollo's own refusals of a request (a persisted-query hash that does not match its query, an
    // unsupported persisted-query version) carry an HTTP 4xx status but no code.
    const status = (original as { extensions?: { http?: { status?: number } } } | undefined)?.extensions?.http?.status;
    const clientRefusal = original instanceof GraphQLError && typeof status === 'number' && status >= 400 && status < 500;
    if (code === 'BAD_REQUEST' || code === 'PERSISTED_QUERY_NOT_SUPPORTED' || code === 'OPERATION_RESOLUTION_FAILURE' || clientRefusal) {
      return { ...base, message: clean(formatted.message), extensions: { code: 'BAD_USER_INPUT' } };
    }
    if ((original as { code?: unknown } | undefined)?.code === '57014') {
      // A read cancelled by the statement time limit (src/db/client.ts): say so, nothing more.
      logger.warn({ err: original, path: formatted.path }, 'statement cancelled by the time limit');
      return { ...base, message: 'the database did not answer within the time limit: narrow the filter or ask for a smaller page', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error');
    return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
