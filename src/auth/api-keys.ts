import { createHash, randomBytes } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { apiKeys } from '../../schema/index.js';
import type { Database } from '../db/client.js';
import { BadUserInputError, NotFoundError, quote, UnauthenticatedError } from '../lib/errors.js';
import { REGION_PREFIX, type Viewer } from './viewer.js';

const KEY_SHAPE = /^padu_[A-Za-z0-9_-]{43}$/;
const NAME_SHAPE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** SHA-256 of the key: the only form in which a key is stored. */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** A new random key ("padu_" + 32 random bytes, base64url). */
export function generateApiKey(): string {
  return `padu_${randomBytes(32).toString('base64url')}`;
}

/**
 * Look up an X-Api-Key. Revoked or unknown keys are UNAUTHENTICATED at once: nothing is cached.
 * One statement: it also records last use, at most once a minute, to keep writes rare.
 */
export async function viewerFromApiKey(database: Database, key: string): Promise<Viewer> {
  if (!KEY_SHAPE.test(key)) throw new UnauthenticatedError('X-Api-Key is not a Padu API key');
  const [row] = await database.execute<{ name: string; regions: string[] }>(sql`
    with key as (
      select id, name, regions, last_used_at from api_keys
      where key_hash = ${hashApiKey(key)} and revoked_at is null
    ), touched as (
      update api_keys set last_used_at = now()
      where id = (select id from key) and (last_used_at is null or last_used_at < now() - interval '1 minute')
    )
    select name, regions from key`);
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

export interface ApiKeyInfo {
  name: string;
  keyPrefix: string;
  regions: string[];
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** Create a key for an EXTERNAL_APP client; returns the key, which is never shown again. */
export async function createApiKey(database: Database, input: { name: string; regions: string[] }): Promise<{ key: string; info: ApiKeyInfo }> {
  if (!NAME_SHAPE.test(input.name)) {
    throw new BadUserInputError(`name must be 1-100 letters, digits, dots, dashes or underscores, got ${quote(input.name)}`, 'name');
  }
  const regions = [...new Set(input.regions)];
  if (regions.length === 0) throw new BadUserInputError('regions must name at least one region code prefix, or *', 'regions');
  for (const region of regions) {
    if (region !== '*' && !REGION_PREFIX.test(region)) throw new BadUserInputError(`regions: ${quote(region)} is not a region code prefix such as 35.09`, 'regions');
  }
  if (regions.includes('*') && regions.length > 1) throw new BadUserInputError('regions: "*" must stand alone', 'regions');
  const key = generateApiKey();
  const [info] = await database.db
    .insert(apiKeys)
    .values({ name: input.name, keyPrefix: key.slice(0, 12), keyHash: hashApiKey(key), regions })
    .onConflictDoNothing({ target: apiKeys.name })
    .returning(infoColumns);
  if (!info) throw new BadUserInputError(`an API key named ${quote(input.name)} exists already`, 'name');
  return { key, info };
}

const infoColumns = {
  name: apiKeys.name,
  keyPrefix: apiKeys.keyPrefix,
  regions: apiKeys.regions,
  createdAt: apiKeys.createdAt,
  revokedAt: apiKeys.revokedAt,
  lastUsedAt: apiKeys.lastUsedAt,
};

export function listApiKeys(database: Database): Promise<ApiKeyInfo[]> {
  return database.db.select(infoColumns).from(apiKeys).orderBy(asc(apiKeys.name));
}

/** Revoke a key by name: refused from the next request on. */
export async function revokeApiKey(database: Database, name: string): Promise<ApiKeyInfo> {
  const [info] = await database.db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(eq(apiKeys.name, name))
    .returning(infoColumns);
  if (!info) throw new NotFoundError(`no API key named ${quote(name)}`);
  return info;
}
