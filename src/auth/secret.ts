import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config.js';

/**
 * Where the development key lives: `dev-jwt-secret` beside the embedded data folder (so
 * `.padu/dev-jwt-secret` for the default `.padu/data`, and also with DATABASE_URL unless
 * PADU_DATA_DIR is set), `.padu/` for an in-memory database.
 */
export function jwtSecretFile(config: Pick<Config, 'dataDir'>): string {
  return join(config.dataDir.startsWith('memory://') ? '.padu' : dirname(config.dataDir), 'dev-jwt-secret');
}

/**
 * The HS256 key. Production must set JWT_SECRET (config refuses to start otherwise). Outside
 * production, a random key is created once next to the embedded data directory, so the tokens
 * printed at start keep working across restarts and `npm run token` signs with the same key,
 * while no well-known key ever ships with the code.
 */
export function resolveJwtSecret(config: Pick<Config, 'jwtSecret' | 'dataDir' | 'production'>): string {
  if (config.jwtSecret) return config.jwtSecret;
  if (config.production) throw new Error('JWT_SECRET is required in production');
  const file = jwtSecretFile(config);
  const base = dirname(file);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(base, { recursive: true });
    const secret = randomBytes(32).toString('base64url');
    try {
      writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
      return secret;
    } catch {
      // Another process created it first: use theirs.
      return readFileSync(file, 'utf8').trim();
    }
  }
}
