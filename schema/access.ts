import { sql } from 'drizzle-orm';
import { check, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * API keys of EXTERNAL_APP clients. Only a SHA-256 hash of the key is stored; the key itself
 * is shown once, when created. A key with revoked_at set is refused from that moment.
 */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull().unique('api_keys_name_key'),
    /** The key's first characters, so operators can tell keys apart without the secret. */
    keyPrefix: text('key_prefix').notNull(),
    keyHash: text('key_hash').notNull().unique('api_keys_key_hash_key'),
    regions: text('regions').array().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'string' }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'string' }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'string' }),
  },
  (t) => [
    check('api_keys_regions_not_empty', sql`cardinality(${t.regions}) >= 1`),
    check('api_keys_name_length', sql`char_length(${t.name}) BETWEEN 1 AND 100`),
  ],
);
