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
 * SECURITY: the last stop before a client. Domain errors keep their code and message; errors
 * GraphQL itself raised keep theirs; anything else (a database error, a bug) is logged with the
 * operation and replaced by a bare INTERNAL_SERVER_ERROR, so no SQL, stack trace or other
 * record's data reaches the client.
 */
export function createFormatError(logger: Logger) {
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
      return { ...base, message: formatted.message.replace(CONTEXT_PREFIX, ''), extensions };
    }
    if (code === 'BAD_REQUEST' || code === 'PERSISTED_QUERY_NOT_SUPPORTED' || code === 'OPERATION_RESOLUTION_FAILURE') {
      return { ...base, message: formatted.message, extensions: { code: 'BAD_USER_INPUT' } };
    }
    logger.error({ err: original, path: formatted.path }, 'unexpected error');
    return { ...base, message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  };
}
