import { parseArgs } from 'node:util';
import { createApiKey, listApiKeys, revokeApiKey } from '../auth/api-keys.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { toIsoInstant } from '../graphql/scalars.js';
import { refuseUnknown, regionsOption, unknownRegions } from './options.js';
import { runCli } from './run.js';

const USAGE = `usage:
  npm run apikey -- create --name NAME --regions 35.09[,35.76]
  npm run apikey -- list
  npm run apikey -- revoke --name NAME`;

runCli(async () => {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: { name: { type: 'string' }, regions: { type: 'string' } },
    strict: true,
  });
  const [command, ...rest] = positionals;
  if (!['create', 'list', 'revoke'].includes(command ?? '') || rest.length > 0) throw new Error(USAGE);
  if (command === 'create' && (!values.name || !values.regions)) throw new Error(USAGE);
  if (command === 'revoke' && !values.name) throw new Error(USAGE);
  const regions = command === 'create' ? regionsOption(values.regions) : [];
  const database = await openDatabase(loadConfig());
  try {
    await migrate(database);
    if (command === 'create') {
      refuseUnknown('--regions', 'region', await unknownRegions(database, regions));
      const { key, info } = await createApiKey(database, { name: values.name!, regions });
      process.stderr.write(`created API key ${info.name} (EXTERNAL_APP, regions ${info.regions.join(',')}); it is shown once, store it now:\n`);
      process.stdout.write(`${key}\n`);
    } else if (command === 'list') {
      for (const k of await listApiKeys(database)) {
        const state = k.revokedAt ? `revoked ${toIsoInstant(k.revokedAt)}` : 'active';
        const used = k.lastUsedAt ? `last used ${toIsoInstant(k.lastUsedAt)}` : 'never used';
        process.stdout.write(`${k.name}\t${k.keyPrefix}…\t${k.regions.join(',')}\t${state}\t${used}\n`);
      }
    } else {
      const info = await revokeApiKey(database, values.name!);
      process.stdout.write(`revoked ${info.name} at ${toIsoInstant(info.revokedAt)}\n`);
    }
  } finally {
    await database.close();
  }
});
