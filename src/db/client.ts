import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import type { SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '../../schema/index.js';
import { redactUrl } from '../config.js';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';
import { DatabaseUnavailableError } from './errors.js';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle: the same query API as Db. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type Executor = Db | Tx;

export { DatabaseUnavailableError };

/**
 * One database handle for both drivers. Every statement goes through drizzle, so the query
 * listeners see all of them (tests pin statement counts with `onQuery`).
 */
export class Database {
  private readonly listeners = new Set<(query: string, params: unknown[]) => void>();

  private constructor(
    readonly driver: 'pglite' | 'postgres',
    readonly db: Db,
    private readonly closeClient: () => Promise<void>,
    readonly description: string,
    /** postgres.js only: run a statement as a named prepared statement (parsed and planned once per connection). */
    private readonly prepared?: (text: string, params: unknown[]) => Promise<unknown[]>,
  ) {}

  /** Embedded PGlite in `dataDir` ("memory://" for in-memory), or loaded from a dump. */
  static async openPglite(dataDir: string, options: { loadDataDir?: Blob } = {}): Promise<Database> {
    let unlock = () => {};
    if (!dataDir.startsWith('memory://')) {
      await mkdir(dataDir, { recursive: true });
      // One process per folder (data-dir-lock.ts): a second one refuses before touching it.
      try {
        unlock = lockDataDir(dataDir);
      } catch (error) {
        if (error instanceof DataDirLockedError) throw new DatabaseUnavailableError(error.message);
        throw error;
      }
    }
    let client: PGlite;
    try {
      client = await PGlite.create(dataDir, { extensions: { pg_trgm }, loadDataDir: options.loadDataDir });
    } catch (error) {
      unlock();
      throw new DatabaseUnavailableError(
        `cannot open the embedded database in ${dataDir}: ${(error as Error).message}`,
      );
    }
    const holder: { db?: Database } = {};
    const db = drizzlePglite(client, { schema, logger: { logQuery: (q, p) => holder.db?.emit(q, p) } });
    const close = async () => {
      try {
        await client.close();
      } finally {
        unlock();
      }
    };
    holder.db = new Database('pglite', db as unknown as Db, close, `embedded PGlite (${dataDir})`);
    return holder.db;
  }

  /** PostgreSQL over postgres.js; fails fast with one line when the server does not answer. */
  static async openPostgres(url: string, options: { max?: number } = {}): Promise<Database> {
    const client = postgres(url, {
      max: options.max ?? 10,
      onnotice: () => {},
      connect_timeout: 10,
      connection: { application_name: 'padu', TimeZone: 'UTC' },
    });
    const holder: { db?: Database } = {};
    const db = drizzlePostgres(client, { schema, logger: { logQuery: (q, p) => holder.db?.emit(q, p) } });
    const database = new Database('postgres', db as unknown as Db, () => client.end({ timeout: 5 }), redactUrl(url),
      (text, params) => client.unsafe(text, params as never[], { prepare: true }) as unknown as Promise<unknown[]>);
    holder.db = database;
    try {
      await client`select 1`;
    } catch (error) {
      await client.end({ timeout: 1 }).catch(() => {});
      const e = error as NodeJS.ErrnoException;
      throw new DatabaseUnavailableError(`cannot reach PostgreSQL at ${redactUrl(url)}: ${e.code ?? ''} ${e.message}`.replace(/\s+/g, ' '));
    }
    return database;
  }

  /**
   * Run raw SQL and return its rows, whichever the driver. On PostgreSQL, outside transactions,
   * the statement is prepared (drizzle's execute never prepares): reads with a stable text,
   * such as the loaders' (src/lib/sql.ts keyList), are then planned once per connection.
   */
  async execute<T = Record<string, unknown>>(query: SQL, executor: Executor = this.db): Promise<T[]> {
    if (this.prepared && executor === this.db) {
      const { sql: text, params } = (this.db as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(query);
      this.emit(text, params);
      return (await this.prepared(text, params)) as T[];
    }
    const result = (await executor.execute(query)) as unknown;
    return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
  }

  async ping(): Promise<boolean> {
    try {
      await this.db.execute('select 1' as unknown as SQL);
      return true;
    } catch {
      return false;
    }
  }

  /** Listen to every statement sent; returns the function that stops listening. */
  onQuery(listener: (query: string, params: unknown[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(query: string, params: unknown[]) {
    for (const listener of this.listeners) listener(query, params);
  }

  async close(): Promise<void> {
    await this.closeClient();
  }
}

/** DATABASE_URL wins; otherwise the embedded database in dataDir. */
export function openDatabase(config: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  return config.databaseUrl ? Database.openPostgres(config.databaseUrl) : Database.openPglite(config.dataDir);
}
