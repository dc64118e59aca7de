import { parseArgs } from 'node:util';
import { resolveJwtSecret } from '../auth/secret.js';
import { signToken } from '../auth/tokens.js';
import { ROLES, type Role } from '../auth/viewer.js';
import { loadConfig } from '../config.js';
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
  if (!ROLES.includes(values.role as Role)) throw new Error(`--role must be one of ${ROLES.join(', ')}, got ${JSON.stringify(values.role)}`);
  const list = (text?: string) => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
  const secret = resolveJwtSecret(loadConfig());
  const token = await signToken(
    {
      sub: values.sub ?? `cli-${values.role.toLowerCase()}`,
      role: values.role as Role,
      regions: list(values.regions)!,
      programs: list(values.programs),
      ttl: values.ttl,
    },
    secret,
  );
  process.stdout.write(`${token}\n`);
});
