import { sql } from 'drizzle-orm';
import { bootstrap } from './app.js';
import { jwtSecretFile } from './auth/secret.js';
import { signToken } from './auth/tokens.js';
import { DEMO_TOKENS } from './auth/demo-tokens.js';
import { ROLES } from './auth/viewer.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseUnavailableError } from './db/client.js';
import { buildPaduSchema } from './graphql/schema.js';
import { createLogger } from './lib/logger.js';
import { createHttpServer } from './server.js';
import { seedDemo } from '../seeds/demo.js';

async function main() {
  const startedAt = Date.now();
  // Signals are ours from the first instant (npm start execs node: this is the PID a process
  // manager signals). One arriving before the server exists is remembered and acted on below.
  let stop: (signal: string) => void;
  let requested: string | undefined;
  stop = (signal) => (requested ??= signal);
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await bootstrap(config, logger);

  // The embedded database is seeded with the demo data set on its first start, while the server
  // already listens. The gate is closed before listen(): from the very first connection /readyz
  // says 503 and GraphQL requests wait until the data is in, never seeing part of it.
  let seeding = false;
  if (!config.databaseUrl && config.seedDemo) {
    const [{ households }] = await app.database.execute<{ households: number }>(
      sql`select count(*)::int as households from households`,
    );
    seeding = households === 0;
  }
  let openGate = () => {};
  if (seeding) {
    app.warmingUp = 'loading the demo data set';
    app.warmedUp = new Promise<void>((resolve) => (openGate = resolve));
  }
  const seedAbort = new AbortController();

  const schema = await buildPaduSchema();
  const http = await createHttpServer(schema, app);
  let stopping: Promise<void> | undefined;
  stop = (signal) => {
    stopping ??= (async () => {
      logger.info({ signal }, 'shutting down: finishing in-flight requests');
      // A seed in progress is rolled back (it is one transaction); the next start seeds again.
      seedAbort.abort();
      openGate();
      await http.close();
      logger.debug('http closed');
      await seeded.catch(() => {});
      await app.database.close();
      logger.info('stopped');
      process.exit(0);
    })().catch((error) => {
      process.stderr.write(`padu: stopping failed: ${(error as Error).message}\n`);
      process.exit(1);
    });
  };
  let seeded: Promise<unknown> = Promise.resolve();
  if (requested) return stop(requested);

  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(config.port, config.host, resolve);
  });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}/graphql`;
  logger.info({ url, database: app.database.description, ms: Date.now() - startedAt }, 'Padu is ready');

  if (seeding) {
    const seedStarted = Date.now();
    seeded = seedDemo(app.database, { signal: seedAbort.signal });
    seeded.then(
      (counts) => {
        app.warmingUp = undefined;
        openGate();
        logger.info({ ...(counts as object), ms: Date.now() - seedStarted }, 'first start: loaded the demo data set');
        process.stdout.write(`Demo data set loaded in ${Date.now() - seedStarted} ms.\n`);
      },
      (error) => {
        if (seedAbort.signal.aborted) return;
        process.stderr.write(`padu: failed to load the demo data set: ${(error as Error).message.split('\n')[0]}\n`);
        process.exit(1);
      },
    );
  }

  if (!config.production) {
    const lines = [`Padu serves ${url} (${app.database.description}), ready in ${Date.now() - startedAt} ms.`, ''];
    const keyFile = config.jwtSecret ? 'JWT_SECRET' : jwtSecretFile(config);
    lines.push(`Bearer tokens for trying it out (12 h, signed with the key in ${keyFile}; not printed in production):`);
    for (const role of ROLES) {
      const { regions, programs } = DEMO_TOKENS[role];
      const token = await signToken({ sub: `demo-${role.toLowerCase()}`, role, regions, programs, ttl: '12h' }, app.jwtSecret);
      lines.push(`  ${role.padEnd(16)} regions=${regions.join(',')}${programs ? ` programs=${programs.join(',')}` : ''}`);
      lines.push(`    ${token}`);
    }
    lines.push('', `Try: curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer <token>" -d '{"query":"{ me { id role regions } }"}'`);
    if (seeding) lines.push('', 'Loading the demo data set (first start, about 10 s); queries wait for it.');
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

main().catch((error) => {
  // Configuration and connectivity problems are the operator's to fix: one clear line.
  if (error instanceof ConfigError || error instanceof DatabaseUnavailableError) {
    process.stderr.write(`padu: ${error.message}\n`);
  } else {
    process.stderr.write(`padu: failed to start: ${(error as Error).message?.split('\n')[0] ?? String(error)}\n`);
  }
  process.exit(1);
});
