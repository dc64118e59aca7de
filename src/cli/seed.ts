import { seedDemo } from '../../seeds/demo.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { runCli } from './run.js';

runCli(async () => {
  const database = await openDatabase(loadConfig());
  try {
    await migrate(database);
    const started = Date.now();
    const counts = await seedDemo(database);
    const summary = Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ');
    process.stdout.write(`seeded ${database.description} in ${Date.now() - started} ms: ${summary}\n`);
  } finally {
    await database.close();
  }
});
