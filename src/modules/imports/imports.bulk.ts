import { sql } from 'drizzle-orm';
import type { Database, RawTx } from '../../db/client.js';
import { sqlState } from '../../db/errors.js';

/**
 * Bulk loading: a large file into a table that holds few rows so far (a first load, a regency
 * joining, a re-base) is loaded the way pg_restore and pgloader load: the table's secondary
 * indexes and its own foreign keys are dropped, the rows stored, then the indexes built once,
 * sorted, and the foreign keys validated with one anti-join each. Index maintenance, row by row,
 * is most of an import's cost (perf of a persons import: B-tree inserts 32%, GiST 12%,
 * foreign-key triggers 7%); a sorted build of the same B-tree costs a fraction of it.
 *
 * Everything happens in ONE transaction that first takes the table's ACCESS EXCLUSIVE lock:
 * - nobody reads the table without its indexes or writes it without its foreign keys;
 * - a killed or failed import rolls back as a whole: the rows, the dropped indexes and
 *   constraints (DDL is transactional in PostgreSQL). A re-run starts from the same state.
 * The price: the table is locked for readers and writers while the file loads, which is why
 * `auto` chooses it only when the file is large (BULK_MIN_ROWS) and at least twice the rows the
 * table already has (then at least half of the file's rows are new, whatever it holds).
 *
 * What is dropped is read from the catalog, not from a list kept here: every non-unique index
 * that backs no constraint, and every foreign key of the table, with `pg_get_indexdef` /
 * `pg_get_constraintdef` giving the exact statements that recreate them (same names, same
 * definitions). Unique indexes stay: ON CONFLICT and incoming foreign keys need them.
 *
 * The trigram GiST index of persons costs about as much to build (6.4 s for 1M names) as to
 * maintain row by row, but dropped it moves that work off the load, which then keeps pace with
 * the parser, to the end (persons 1M: 21.0-21.2 s against 21.6-22.3 s kept).
 */

/** How a file's rows reach the table: chosen per import (see chooseLoadMode). */
export type LoadMode = 'bulk' | 'incremental';
/** What the caller asks for: `auto` weighs the file against the table. */
export type LoadModeOption = LoadMode | 'auto';
export const LOAD_MODE_OPTIONS: readonly LoadModeOption[] = ['auto', 'bulk', 'incremental'];

/** Below this many (estimated) rows a file is loaded incrementally, whatever the table holds. */
export const BULK_MIN_ROWS = 100_000;
/**
 * Memory for each index build (SET LOCAL). Not more: PostgreSQL gives each parallel build
 * participant 32 MB of it, and smaller sorted runs merge faster than one large in-memory sort
 * (the 13 enrolment B-trees over 1.47M rows: 12.4 s at 64 MB, 13.6 s at 96 MB, 14.2 s at 128
 * and 256 MB, 19.1 s at 32 MB, which allows no parallel worker).
 */
const BUILD_MEMORY = '64MB';
/** How long a bulk import waits for the table's lock before it gives up (readers hold it briefly). */
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;
/** One attempt's wait for the lock, and the pause between attempts (readers queued behind the request go through). */
const LOCK_ATTEMPT_MS = 2_000;
const LOCK_PAUSE_MS = 250;

/** The table stayed in use while a bulk import waited for it: nothing was changed. */
export class TableBusyError extends Error {
  readonly code = 'TABLE_BUSY';
  constructor(table: string, ms: number) {
    super(`${table} stayed in use for ${ms / 1000} s (a long query, or another import of it), so the bulk load could not lock it; nothing was imported. Run it again later, or with PADU_IMPORT_MODE=incremental, which does not lock the table`);
  }
}

export interface LoadModeInput {
  requested: LoadModeOption;
  /** The file's size in bytes, when known (the CLI knows it; a GraphQL string is never bulk-loaded). */
  expectedBytes?: number | null;
  /** Data rows parsed so far, and the bytes they took: the file's rows per byte. */
  rowsSeen: number;
  bytesSeen: number;
  /** Rows the table holds (see rowsIn). */
  tableRows: () => Promise<number>;
}

/** `bulk` when asked, or (auto) when the file is large and at least twice the table's rows. */
export async function chooseLoadMode(input: LoadModeInput): Promise<LoadMode> {
  if (input.requested !== 'auto') return input.requested;
  if (!input.expectedBytes || input.rowsSeen <= 0 || input.bytesSeen <= 0) return 'incremental';
  const estimatedRows = (input.expectedBytes * input.rowsSeen) / input.bytesSeen;
  if (estimatedRows < BULK_MIN_ROWS) return 'incremental';
  const existing = await input.tableRows();
  return estimatedRows >= 2 * existing ? 'bulk' : 'incremental';
}

/** Rows in `table` (a constant of the import kinds): the planner's estimate, or a count when it has none or a low one. */
export async function rowsIn(database: Database, table: string): Promise<number> {
  const [row] = await database.execute<{ rows: number }>(sql.raw(`
    select greatest(
      (select c.reltuples from pg_class c where c.oid = '${table}'::regclass),
      (select count(*) from (select 1 from ${table} limit ${2 * BULK_MIN_ROWS}) s)
    )::float8 as rows`));
  return Number(row.rows);
}

interface Deferred {
  /** Indexes (0) are built before the foreign keys (1) are validated. */
  step: number;
  /** DROP statement. */
  drop: string;
  /** The statement that recreates it exactly. */
  create: string;
}

/**
 * One bulk import's transaction, held open across the whole file: `open` locks the table and
 * drops what the load would maintain row by row, `tx` carries every segment, `commit` rebuilds
 * and commits, `rollback` undoes everything.
 */
export class BulkLoad {
  private constructor(
    readonly tx: RawTx,
    private readonly deferred: Deferred[],
    private readonly end: (error?: Error) => Promise<void>,
  ) {}

  static open(database: Database, table: string, lockTimeoutMs = DEFAULT_LOCK_TIMEOUT_MS): Promise<BulkLoad> {
    return new Promise<BulkLoad>((resolveOpen, rejectOpen) => {
      let settle!: (error?: Error) => void;
      const ended = new Promise<void>((resolve, reject) => (settle = (error) => (error ? reject(error) : resolve())));
      let opened = false;
      const transaction = database.rawTransaction(async (tx) => {
        // While a lock request waits, every new reader of the table queues behind it: so each
        // attempt waits at most LOCK_ATTEMPT_MS, and the queue drains between attempts.
        const deadline = Date.now() + lockTimeoutMs;
        for (;;) {
          const wait = Math.max(1, Math.min(LOCK_ATTEMPT_MS, deadline - Date.now()));
          await tx.query(sql.raw(`select set_config('lock_timeout', '${Math.round(wait)}ms', true)`));
          try {
            await tx.savepoint(() => tx.query(sql.raw(`lock table ${table} in access exclusive mode`)));
            break;
          } catch (error) {
            // 55P03 lock_not_available: this attempt's wait ran out.
            if (sqlState(error) !== '55P03') throw error;
            if (Date.now() >= deadline) throw new TableBusyError(table, lockTimeoutMs);
            await new Promise((r) => setTimeout(r, Math.min(LOCK_PAUSE_MS, Math.max(0, deadline - Date.now()))));
          }
        }
        await tx.query(sql.raw(`select set_config('lock_timeout', '0', true), set_config('maintenance_work_mem', '${BUILD_MEMORY}', true)`));
        const deferred = await tx.query<Deferred>(sql.raw(`
          select 0 as step, format('drop index %s', i.indexrelid::regclass) as drop, pg_get_indexdef(i.indexrelid) as "create"
          from pg_index i
          where i.indrelid = '${table}'::regclass and not i.indisunique and not i.indisprimary
            and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
          union all
          select 1, format('alter table %s drop constraint %I', k.conrelid::regclass, k.conname),
            format('alter table %s add constraint %I %s', k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid))
          from pg_constraint k where k.conrelid = '${table}'::regclass and k.contype = 'f'
          order by 1, 2`));
        for (const d of deferred) await tx.query(sql.raw(d.drop));
        opened = true;
        const end = async (error?: Error) => {
          settle(error);
          if (error) await transaction.catch(() => {});
          else await transaction;
        };
        resolveOpen(new BulkLoad(tx, deferred, end));
        await ended;
      });
      transaction.catch((error) => {
        if (!opened) rejectOpen(error);
      });
    });
  }

  /** Build the indexes and validate the foreign keys that `open` dropped, then commit. */
  async commit(): Promise<void> {
    try {
      for (const d of this.deferred) await this.tx.query(sql.raw(d.create));
    } catch (error) {
      await this.end(error as Error);
      throw error;
    }
    await this.end();
  }

  /** Undo everything: the rows and the dropped indexes and constraints. */
  async rollback(error: Error): Promise<void> {
    await this.end(error);
  }
}
