// PostGraphile 5 over the Padu bench database, for bench/api.ts. Stock Amber preset, no plugins,
// no auth: the comparison point for raw throughput. Listens on $PORT.
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

const preset = {
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ connectionString: process.env.DATABASE_URL, schemas: ['public'], poolConfig: { max: 10 } })],
  grafast: { explain: false },
  grafserv: { graphiql: false, watch: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
server.once('listening', () => process.stdout.write(`postgraphile ready on ${process.env.PORT}\n`));
await serv.addTo(server);
server.listen(Number(process.env.PORT ?? 5678), '127.0.0.1');
process.on('SIGTERM', async () => { server.close(); await pgl.release(); process.exit(0); });
