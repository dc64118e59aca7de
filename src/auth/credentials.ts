import type { Database } from '../db/client.js';
import { UnauthenticatedError } from '../lib/errors.js';
import { viewerFromApiKey } from './api-keys.js';
import { verifyToken } from './tokens.js';
import type { Viewer } from './viewer.js';

const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

/** Header values as received; a repeated header arrives joined with ", " and is refused. */
export interface CredentialHeaders {
  authorization?: string;
  apiKey?: string;
}

/**
 * Authenticate one request: exactly one credential, bearer token or API key. Two credentials,
 * a repeated header, or anything malformed is UNAUTHENTICATED, never a partial viewer.
 */
export async function authenticate(
  headers: CredentialHeaders,
  deps: { database: Database; jwtSecret: string },
): Promise<Viewer> {
  const { authorization, apiKey } = headers;
  if (authorization !== undefined && apiKey !== undefined) {
    throw new UnauthenticatedError('send one credential: Authorization or X-Api-Key, not both');
  }
  if (authorization !== undefined) {
    const match = BEARER.exec(authorization.trim());
    if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <token>" with a single JWT');
    return verifyToken(match[1], deps.jwtSecret);
  }
  if (apiKey !== undefined) return viewerFromApiKey(deps.database, apiKey.trim());
  throw new UnauthenticatedError();
}
