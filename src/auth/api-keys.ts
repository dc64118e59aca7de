import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { apiKeys } from '../../schema/index.js';
import type { Database } from '../db/client.js';
import { UnauthenticatedError } from '../lib/errors.js';
import { REGION_PREFIX, type Viewer } from './viewer.js';

const KEY_SHAPE = /^padu_[A-Za-z0-9_-]{43}$/;

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A new random key ("padu_" + 32 random bytes); only its hash is ever stored. */
export function generateApiKey(): string {
  return `padu_${randomBytes(32).toString('base64url')}`;
}

/** Look up an X-Api-Key; revoked or unknown keys are UNAUTHENTICATED at once (no cache). */
export async function viewerFromApiKey(database: Database, key: string): Promise<Viewer> {
  if (!KEY_SHAPE.test(key)) throw new UnauthenticatedError('X-Api-Key is not a Padu API key');
  const [row] = await database.db
    .select({ id: apiKeys.id, name: apiKeys.name, regions: apiKeys.regions })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashApiKey(key)), isNull(apiKeys.revokedAt)))
    .limit(1);
  if (!row) throw new UnauthenticatedError('X-Api-Key is unknown or revoked');
  const regions = row.regions.filter((r) => r === '*' || REGION_PREFIX.test(r));
  if (regions.length === 0) throw new UnauthenticatedError('X-Api-Key has no usable region scope');
  return Object.freeze({
    id: `apikey:${row.name}`,
    role: 'EXTERNAL_APP' as const,
    regions: Object.freeze(regions),
    programs: Object.freeze([]),
    via: 'api-key' as const,
  });
}

