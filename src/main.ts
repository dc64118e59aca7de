import { sql } from 'drizzle-orm';
import { bootstrap } from './app.js';
import { signToken } from './auth/tokens.js';
import { ROLES, type Role } from './auth/viewer.js';
import { ConfigError, loadConfig } from './config.js';
import { DatabaseUnavailableError } from './db/client.js';
import { buildPaduSchema } from './graphql/schema.js';
import { createLogger } from './lib/logger.js';
import { createHttpServer } from './server.js';
import { seedDemo } from '../seeds/demo.js';

/** Demo scopes for the printed tokens: the regencies of the demo data set. */
const DEMO_TOKENS: Record<Role, { regions: string[]; programs?: string[] }> = {
  ADMIN: { regions: ['*'] },
  MANAGER: { regions: ['35.09'] },
  SUPERVISOR: { regions: ['35.09'] },
  FACILITATOR: { regions: ['35.09.01'] },
  PROGRAM_MANAGER: { regions: ['*'], programs: ['PKH', 'BPNT', 'BLT_DD'] },
  EXTERNAL_APP: { regions: ['35.09', '35.76'] },
  ANALYST: { regions: ['*'] },
  AUDITOR: { regions: ['*'] },
};

async function main() {
  const startedAt = Date.now();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const app = await bootstrap(config, logger);

  // The embedded database is seeded with the demo data set on its first start. That runs after
  // the server listens: PGlite queues queries behind the seed's transaction, so early requests
  // wait for complete data instead of seeing part of it, and /readyz says 503 meanwhile.
  let seeding = false;
  if (!config.databaseUrl && config.seedDemo) {
    const [{ households }] = await app.database.execute<{ households: number }>(
      sql`select count(*)::int as households from households`,
    );
    seeding = households === 0;
  }

  const schema = await buildPaduSchema();
  const http = await createHttpServer(schema, app);
  await new Promise<void>((resolve, reject) => {
    http.server.once('error', reject);
    http.server.listen(config.port, config.host, resolve);
  });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host}:${port}/graphql`;
  logger.info({ url, database: app.database.description, ms: Date.now() - startedAt }, 'Padu is ready');

  if (!config.production) {
    const lines = [`Padu serves ${url} (${app.database.description}), ready in ${Date.now() - startedAt} ms.`, ''];
    lines.push('Bearer tokens for trying it out (12 h; not printed in production):');
    for (const role of ROLES) {
      const { regions, programs } = DEMO_TOKENS[role];
      const token = await signToken({ sub: `demo-${role.toLowerCase()}`, role, regions, programs, ttl: '12h' }, app.jwtSecret);
      lines.push(`  ${role.padEnd(16)} regions=${regions.join(',')}${programs ? ` programs=${programs.join(',')}` : ''}`);
      lines.push(`    ${token}`);
    }
    lines.push('', `Try: curl -s ${url} -H 'content-type: application/json' -H "authorization: Bearer <token>" -d '{"query":"{ me { id role regions } }"}'`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    await http.close();
    logger.debug('http closed');
    await app.database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  if (seeding) {
    app.warmingUp = 'loading the demo data set';
    process.stdout.write('Loading the demo data set (first start, about 10 s); queries wait for it.\n');
    const seedStarted = Date.now();
    const counts = await seedDemo(app.database);
    app.warmingUp = undefined;
    logger.info({ ...counts, ms: Date.now() - seedStarted }, 'first start: loaded the demo data set');
    process.stdout.write(`Demo data set loaded in ${Date.now() - seedStarted} ms.\n`);
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
