import { customType } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * Kemendagri region codes ("35", "35.09", "35.09.01", "35.09.01.2001") compared byte-wise.
 * The "C" collation makes `LIKE '35.09.%'` and range scans use plain btree indexes and keeps
 * the ordering independent of the server's locale (glibc locales ignore dots when sorting).
 */
export const regionCode = customType<{ data: string; driverData: string }>({
  dataType: () => 'text COLLATE "C"',
});

/** The regency part ("35.09") of a village code: the co-location (shard) key of large tables. */
export const regencyOf = (villageColumn: string) => sql.raw(`substr(${villageColumn}, 1, 5)`);
