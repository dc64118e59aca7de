import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { Database } from '../../src/db/client.js';

export interface TestDatabase {
  database: Database;
  /** The connection string of this database (PostgreSQL only): for child processes such as the CLI. */
  url?: string;
  /** Close and drop (PostgreSQL) or discard (PGlite) the database. */
  dispose(): Promise<void>;
}

/** A fresh database cloned from the migrated snapshot: PostgreSQL when DATABASE_URL is set. */
export async function openTestDatabase(): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = inject('pgTemplate');
    const name = `${template.replace(/_tpl$/, '')}_t${process.pid}_${randomBytes(3).toString('hex')}`;
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template "${template}"`);
        break;
      } catch (error) {
        // Two files cloning the template at the same instant: PostgreSQL refuses one; retry.
        if (attempt >= 10 || !String((error as Error).message).includes('being accessed')) throw error;
        await new Promise((r) => setTimeout(r, 200 + attempt * 100));
      }
    }
    const dbUrl = new URL(url);
    dbUrl.pathname = `/${name}`;
    const database = await Database.openPostgres(dbUrl.toString(), { max: 25 });
    return {
      database,
      url: dbUrl.toString(),
      async dispose() {
        await database.close();
        await admin.unsafe(`drop database if exists "${name}" with (force)`);
        await admin.end();
      },
    };
  }
  const snapshot = inject('pgliteSnapshot');
  const database = await Database.openPglite('memory://', { loadDataDir: new Blob([readFileSync(snapshot)]) });
  return { database, dispose: () => database.close() };
}

/** Collect the SQL statements sent while `fn` runs. */
export async function captureStatements<T>(database: Database, fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const stop = database.onQuery((query) => statements.push(query));
  try {
    return { result: await fn(), statements };
  } finally {
    stop();
  }
}
