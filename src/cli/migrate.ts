import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { runCli } from './run.js';

runCli(async () => {
  const database = await openDatabase(loadConfig());
  try {
    const { regionsLoaded } = await migrate(database);
    process.stdout.write(`migrated ${database.description}${regionsLoaded ? `; loaded ${regionsLoaded} regions` : ''}\n`);
  } finally {
    await database.close();
  }
});
