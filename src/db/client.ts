import { mkdir } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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

/**
 * A transaction on one connection, below drizzle: for bulk work that needs COPY, savepoints and
 * session-local (temporary) tables, which drizzle's API does not offer. Statements still reach
 * the query listeners.
 */
export interface RawTx {
  query<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
  /**
   * COPY text-format lines into `table (columns)`: on PostgreSQL streamed over the COPY protocol
   * from `source` as it produces them; on PGlite gathered into one blob (`/dev/blob`).
   */
  copyIn(table: string, columns: readonly string[], source: AsyncIterable<Buffer | string>): Promise<void>;
  /** Run `fn` under a savepoint: an error rolls back to it (and is rethrown), the transaction stays usable. */
  savepoint<T>(fn: () => Promise<T>): Promise<T>;
}

export { DatabaseUnavailableError };

/**
 * One database handle for both drivers. Every statement goes through drizzle, so the query
 * listeners see all of them (tests pin statement counts with `onQuery`).
 */
export class Database {
  private readonly listeners = new Set<(query: string, params: unknown[]) => void>();
  /**
   * PostgreSQL only: a statement run through `execute` outside a transaction (every read of a
   * GraphQL request) is cancelled after this many milliseconds; 0 = no limit. Set by the HTTP
   * server only (src/server.ts), so migrations, imports and benchmarks run unbounded. PGlite runs
   * in the server's own thread and cannot be interrupted (nor does it honour statement_timeout).
   */
  statementTimeoutMs = 0;

  private constructor(
    readonly driver: 'pglite' | 'postgres',
    readonly db: Db,
    private readonly closeClient: () => Promise<void>,
    readonly description: string,
    /** postgres.js only: run a statement as a named prepared statement (parsed and planned once per connection). */
    private readonly prepared?: (text: string, params: unknown[]) => Promise<unknown[]> & { cancel(): void },
    /** One transaction on one connection, as RawTx. */
    private readonly raw?: <T>(fn: (tx: RawTx) => Promise<T>) => Promise<T>,
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
    // PGlite is one session: its transaction() holds it exclusively, so other callers queue
    // behind a bulk transaction instead of running inside it.
    const raw = <T>(fn: (tx: RawTx) => Promise<T>) =>
      client.transaction(async (tx) => {
        let savepoints = 0;
        const run = async <R>(text: string, params: unknown[] = [], options?: { blob?: Blob }) => {
          holder.db!.emit(text, params);
          return (await tx.query<R>(text, params, options)).rows;
        };
        // Savepoints are the driver's bookkeeping (postgres.js sends its own): not reported.
        const quiet = (text: string) => tx.exec(text);
        const rawTx: RawTx = {
          query: <R>(query: SQL) => {
            const { sql: text, params } = holder.db!.toQuery(query);
            return run<R>(text, params);
          },
          async copyIn(table, columns, source) {
            const parts: Array<Buffer | string> = [];
            for await (const part of source) parts.push(part);
            await run(`copy ${table} (${columns.join(', ')}) from '/dev/blob'`, [], { blob: new Blob(parts) });
          },
          async savepoint(fn2) {
            const name = `sp${++savepoints}`;
            await quiet(`savepoint ${name}`);
            try {
              const result = await fn2();
              await quiet(`release savepoint ${name}`);
              return result;
            } catch (error) {
              await quiet(`rollback to savepoint ${name}`);
              throw error;
            }
          },
        };
        return fn(rawTx);
      });
    const close = async () => {
      try {
        await client.close();
      } finally {
        unlock();
      }
    };
    holder.db = new Database('pglite', db as unknown as Db, close, `embedded PGlite (${dataDir})`, undefined, raw);
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
    type PgTx = postgres.TransactionSql<Record<string, never>>;
    const wrap = (tx: PgTx): RawTx => {
      // Inside savepoint(), statements must go through postgres.js's savepoint handle: an error
      // sent through the transaction's own handle fails the whole transaction.
      let current: PgTx = tx;
      return {
        query: async <R>(query: SQL) => {
          const { sql: text, params } = holder.db!.toQuery(query);
          holder.db!.emit(text, params);
          return (await current.unsafe(text, params as never[])) as unknown as R[];
        },
        async copyIn(table, columns, source) {
          const text = `copy ${table} (${columns.join(', ')}) from stdin`;
          holder.db!.emit(text, []);
          const writable = await current.unsafe(text).writable();
          await pipeline(Readable.from(source), writable);
        },
        savepoint: async <R>(fn: () => Promise<R>) => {
          const outer = current;
          try {
            return (await outer.savepoint((sp) => {
              current = sp as unknown as PgTx;
              return fn();
            })) as R;
          } finally {
            current = outer;
          }
        },
      };
    };
    const raw = <T>(fn: (tx: RawTx) => Promise<T>) => client.begin((tx) => fn(wrap(tx as PgTx))) as Promise<T>;
    const database = new Database('postgres', db as unknown as Db, () => client.end({ timeout: 5 }), redactUrl(url),
      (text, params) => client.unsafe(text, params as never[], { prepare: true }) as unknown as Promise<unknown[]> & { cancel(): void }, raw);
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
      const pending = this.prepared(text, params);
      if (this.statementTimeoutMs <= 0) return (await pending) as T[];
      const timer = setTimeout(() => pending.cancel(), this.statementTimeoutMs);
      try {
        return (await pending) as T[];
      } finally {
        clearTimeout(timer);
      }
    }
    const result = (await executor.execute(query)) as unknown;
    return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
  }

  /** One transaction below drizzle (COPY, savepoints, temporary tables); see RawTx. */
  rawTransaction<T>(fn: (tx: RawTx) => Promise<T>): Promise<T> {
    return this.raw!(fn);
  }

  private toQuery(query: SQL): { sql: string; params: unknown[] } {
    return (this.db as unknown as { dialect: { sqlToQuery(q: SQL): { sql: string; params: unknown[] } } }).dialect.sqlToQuery(query);
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
