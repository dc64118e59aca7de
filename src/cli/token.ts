import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveJwtSecret } from '../auth/secret.js';
import { signToken } from '../auth/tokens.js';
import { ROLES, type Role } from '../auth/viewer.js';
import { loadConfig } from '../config.js';
import {
  BUILT_IN_PROGRAMS, programsOption, refuseUnknown, regionsOption, ttlOption, unknownPrograms, unknownReferenceRegions,
} from './options.js';
import { runCli } from './run.js';

const USAGE = 'usage: npm run token -- --role ROLE --regions 35.09[,35.76] [--programs PKH,BPNT] [--sub NAME] [--ttl 1h]';

runCli(async () => {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      regions: { type: 'string' },
      programs: { type: 'string' },
      sub: { type: 'string' },
      ttl: { type: 'string', default: '1h' },
    },
    strict: true,
  });
  if (!values.role || !values.regions) throw new Error(USAGE);
  if (!ROLES.includes(values.role as Role)) throw new Error(`--role: ${JSON.stringify(values.role)} is not one of ${ROLES.join(', ')}`);
  const regions = regionsOption(values.regions);
  const programs = programsOption(values.programs);
  const ttl = ttlOption(values.ttl);
  refuseUnknown('--regions', 'region', unknownReferenceRegions(regions));
  // Built-in programs are known without a database; any other code is looked up in it (the
  // embedded one only when no server holds it: the message then says so).
  const notBuiltIn = programs.filter((code) => !BUILT_IN_PROGRAMS.includes(code));
  const config = loadConfig();
  const neverCreated = !config.databaseUrl && !existsSync(join(config.dataDir, 'PG_VERSION'));
  if (notBuiltIn.length > 0 && neverCreated) refuseUnknown('--programs', 'program', notBuiltIn);
  if (notBuiltIn.length > 0) {
    // Loaded only here: the database drivers are most of what a token would otherwise wait for.
    const { openDatabase } = await import('../db/client.js');
    const database = await openDatabase(config);
    try {
      refuseUnknown('--programs', 'program', await unknownPrograms(database, notBuiltIn));
    } finally {
      await database.close();
    }
  }
  const token = await signToken(
    {
      sub: values.sub ?? `cli-${values.role.toLowerCase()}`,
      role: values.role as Role,
      regions,
      programs: programs.length ? programs : undefined,
      ttl,
    },
    resolveJwtSecret(config),
  );
  process.stdout.write(`${token}\n`);
});
