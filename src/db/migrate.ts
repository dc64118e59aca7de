import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Database } from './client.js';
import { projectPath } from '../lib/paths.js';
import { ensureRegions } from './regions-data.js';

const MIGRATIONS = projectPath('migrations');

/** Apply pending migrations (drizzle-orm's migrator), then make sure the regions are loaded. */
export async function migrate(database: Database): Promise<{ regionsLoaded: number }> {
  if (database.driver === 'pglite') {
    await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS });
  } else {
    await migratePostgres(database.db as unknown as PostgresJsDatabase, { migrationsFolder: MIGRATIONS });
  }
  const { loaded } = await ensureRegions(database);
  return { regionsLoaded: loaded };
}
