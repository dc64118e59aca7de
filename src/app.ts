import { resolveJwtSecret } from './auth/secret.js';
import type { Config } from './config.js';
import { createServices, type AppDeps } from './context.js';
import { openDatabase, type Database } from './db/client.js';
import { migrate } from './db/migrate.js';
import type { Logger } from './lib/logger.js';

/** Open and migrate the configured database and assemble what every request needs. */
export async function bootstrap(config: Config, logger: Logger): Promise<AppDeps & { database: Database }> {
  const database = await openDatabase(config);
  try {
    const { regionsLoaded } = await migrate(database);
    if (regionsLoaded) logger.info({ regionsLoaded }, 'loaded the regions of Indonesia (idn-area-data)');
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  return { database, config, jwtSecret: resolveJwtSecret(config), services: createServices(database), logger };
}
