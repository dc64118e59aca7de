import { z } from 'zod';

/** Raised for any unusable setting; main prints its message as one line and exits 1. */
export class ConfigError extends Error {}

const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** Hide the password of a connection string before it appears in any message or log. */
export function redactUrl(url: string): string {
  return url.replace(/^(\w+:\/\/[^:/@]*:)[^@]*@/, '$1***@');
}

const databaseUrl = z.preprocess(
  blankAsUnset,
  z
    .string()
    .refine((value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '';
      } catch {
        return false;
      }
    }, 'must be a URL like postgres://user:password@host:5432/database')
    .optional(),
);

const environment = z.object({
  NODE_ENV: z.preprocess(blankAsUnset, z.enum(['development', 'test', 'production']).default('development')),
  DATABASE_URL: databaseUrl,
  PADU_DATA_DIR: z.preprocess(blankAsUnset, z.string().default('.padu/data')),
  PORT: z.preprocess(blankAsUnset, z.coerce.number().int().min(0).max(65535).default(4000)),
  HOST: z.preprocess(blankAsUnset, z.string().default('127.0.0.1')),
  JWT_SECRET: z.preprocess(blankAsUnset, z.string().optional()),
  STATS_MIN_CELL: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).max(1_000_000).default(5)),
  LOG_LEVEL: z.preprocess(
    blankAsUnset,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** Largest HTTP request body accepted (bytes); importRecords CSVs travel in it. */
  MAX_BODY_BYTES: z.preprocess(blankAsUnset, z.coerce.number().int().min(1024).default(32 * 1024 * 1024)),
  /** `false` skips loading the demo data set on the first start of an empty embedded database. */
  PADU_SEED_DEMO: z.preprocess(blankAsUnset, z.enum(['true', 'false']).default('true')),
  /** PostgreSQL: a read of a GraphQL request is cancelled after this many ms (0: never). */
  STATEMENT_TIMEOUT_MS: z.preprocess(blankAsUnset, z.coerce.number().int().min(0).max(3_600_000).default(15_000)),
});

export interface Config {
  env: 'development' | 'test' | 'production';
  production: boolean;
  databaseUrl?: string;
  dataDir: string;
  port: number;
  host: string;
  jwtSecret?: string;
  statsMinCell: number;
  logLevel: string;
  maxBodyBytes: number;
  seedDemo: boolean;
  statementTimeoutMs: number;
}

/** Parse the environment once. Throws ConfigError with a one-line, secret-free message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue.path[0] ?? 'environment');
    const raw = env[name];
    const shown = name === 'JWT_SECRET' ? '' : raw === undefined ? '' : `, got ${JSON.stringify(name === 'DATABASE_URL' ? redactUrl(raw) : raw.slice(0, 60))}`;
    throw new ConfigError(`invalid configuration: ${name}: ${issue.message}${shown}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production && !e.JWT_SECRET) {
    throw new ConfigError('invalid configuration: JWT_SECRET is required when NODE_ENV=production');
  }
  if (production && e.JWT_SECRET && e.JWT_SECRET.length < 32) {
    throw new ConfigError('invalid configuration: JWT_SECRET must be at least 32 characters when NODE_ENV=production');
  }
  return {
    env: e.NODE_ENV,
    production,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.PADU_DATA_DIR,
    port: e.PORT,
    host: e.HOST,
    jwtSecret: e.JWT_SECRET,
    statsMinCell: e.STATS_MIN_CELL,
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    seedDemo: e.PADU_SEED_DEMO === 'true',
    statementTimeoutMs: e.STATEMENT_TIMEOUT_MS,
  };
}
