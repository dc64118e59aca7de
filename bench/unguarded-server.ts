/**
 * Padu WITHOUT field guards and READ auditing, for one purpose only: measuring what the guards
 * cost (`BENCH_GUARDS=compare npm run bench:api`). Binds to loopback like the real server and
 * refuses to start in production. Never deploy it.
 */
import { bootstrap } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { buildUnguardedSchema } from '../src/graphql/schema.js';
import { createLogger } from '../src/lib/logger.js';
import { createHttpServer } from '../src/server.js';

const config = loadConfig({ ...process.env, NODE_ENV: 'development' });
if (process.env.NODE_ENV === 'production') throw new Error('the unguarded benchmark server never runs in production');
const app = await bootstrap(config, createLogger(config.logLevel));
const http = await createHttpServer(await buildUnguardedSchema(), app);
http.server.listen(config.port, '127.0.0.1');
process.on('SIGTERM', () => void http.close().then(() => app.database.close()).then(() => process.exit(0)));
