import { once } from 'node:events';
import { PassThrough, type Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Role } from '../../auth/viewer.js';
import type { Database, RawTx } from '../../db/client.js';
import { constraintOf, sqlState } from '../../db/errors.js';
import { BadUserInputError, ForbiddenError, quote } from '../../lib/errors.js';
import { writeAuditEntries } from '../audit/audit.buffer.js';
import { KIND_NAMES, kindByName, type KindDef, type ParsedRow } from './imports.kinds.js';
import { CsvRecords } from './imports.csv.js';
import { RowReader, type RowError } from './imports.rows.js';
import { KeySet } from './imports.keys.js';
import { CHANGED, STAGE, refuse, type RowRange } from './imports.sql.js';
import { BulkLoad, chooseLoadMode, LOAD_MODE_OPTIONS, rowsIn, type LoadMode, type LoadModeOption } from './imports.bulk.js';

/**
 * Rows per segment: one transaction that COPYs them into a staging table and stores them
 * set-wise. Large, because each segment's set statements join with the whole target table; a
 * killed import loses at most the segments in flight.
 */
export const DEFAULT_CHUNK_ROWS = 100_000;
/**
 * Rows per segment of a bulk load (one transaction in any case): each segment's statements join
 * it with the whole target table (and enrolments with the persons table), so fewer, larger
 * segments mean fewer such scans. The gathered segment is kept off the JavaScript heap (Buffers).
 */
export const BULK_CHUNK_ROWS = 250_000;
/**
 * The first segment of a bulk load is small: the database stores it while the parser reads the
 * next one, instead of waiting for a full segment's worth of parsing before its first store.
 */
export const BULK_FIRST_CHUNK_ROWS = 25_000;
/**
 * A segment also ends at this much COPY text, whatever its rows: a gathered segment (PGlite, bulk
 * loads) is held in memory whole, two at a time, and rows can be long (addresses, descriptions).
 */
export const MAX_SEGMENT_CHARS = 40_000_000;
/**
 * Segments in flight on PostgreSQL, each on its own connection: the parser streams rows into one
 * while the other is being stored (index maintenance, most of an import's cost, then uses two
 * server processes: a 2-core server has two cores).
 */
export const DEFAULT_CONCURRENCY = 2;
/** A batch that created or changed at least this many rows refreshes the table's statistics. */
export const ANALYZE_AFTER_ROWS = 10_000;
/** A record longer than this (characters) is a broken file (an unclosed quote), not data. */
export const MAX_RECORD_CHARS = 1_000_000;

/** The header is wrong or missing: the whole file is refused and nothing is written. */
export class ImportHeaderError extends BadUserInputError {
  constructor(message: string) {
    super(message, 'csv');
  }
}

export interface ImportOptions {
  actor: string;
  role: Role;
  /** File name or 'graphql': shown in the batch. */
  source?: string | null;
  /** Audit: the operation that caused the import. */
  operation?: string;
  requestId?: string | null;
  /** Rows per segment (see DEFAULT_CHUNK_ROWS). */
  chunkRows?: number;
  /** COPY text per segment at most (see MAX_SEGMENT_CHARS). */
  maxSegmentChars?: number;
  /** Segments in flight on PostgreSQL (each its own transaction and connection); PGlite takes one at a time. */
  concurrency?: number;
  /** Bulk or incremental loading (imports.bulk.ts); `auto` (the default) weighs the file against the table. */
  mode?: LoadModeOption;
  /** The file's size in bytes, when known: `auto` estimates its rows from it. */
  expectedBytes?: number | null;
  /** Bulk: how long to wait for the table's lock (default 60 s) before giving up with TableBusyError. */
  lockTimeoutMs?: number;
  /** Once chosen (after the first chunk): how the file is loaded. */
  onLoadMode?: (mode: LoadMode) => void;
  /** After each committed segment: data rows read so far and bytes of input consumed. */
  onProgress?: (progress: { rows: number; bytes: number }) => void;
  /** The rejected rows of each committed segment, in row order. */
  onRowErrors?: (errors: RowError[]) => void;
}

export type ImportStatus = 'RUNNING' | 'FINISHED' | 'FAILED';

export interface ImportBatchRecord {
  id: string;
  kind: KindDef['kind'];
  status: ImportStatus;
  source: string | null;
  actor: string;
  startedAt: string;
  finishedAt: string | null;
  received: number;
  accepted: number;
  rejected: number;
  inserted: number;
  updated: number;
  failure: string | null;
}

const BATCH_COLUMNS = sql`id, kind, status, source, actor, started_at as "startedAt", finished_at as "finishedAt",
  received, accepted, rejected, inserted, updated, failure`;

/** Integrity (23) and data (22) errors belong to a row; anything else is the database's. */
const isRowLevelError = (error: unknown) => /^2[23]/.test(sqlState(error) ?? '');

/**
 * One segment of a file: its rows' COPY lines, on their way to the segment's transaction.
 * On PostgreSQL the lines stream into the open COPY as the parser produces them; on PGlite
 * they are gathered and loaded as one blob when the segment is complete.
 */
class Segment {
  /** Data records read (rejected ones included). */
  received = 0;
  /** Rows written to the staging table. */
  staged = 0;
  lastRow: number;
  readonly errors: RowError[] = [];
  private pending: string[] = [];
  /** Characters of COPY text staged: a gathered segment is held in memory whole. */
  chars = 0;
  closed = false;
  running = false;
  done?: Promise<{ errors: RowError[] }>;

  /** PostgreSQL: the COPY's input. */
  stream?: PassThrough;
  /** PGlite, and bulk loads: the whole segment, gathered while the previous one is stored. */
  parts?: Buffer[];

  constructor(readonly firstRow: number) {
    this.lastRow = firstRow - 1;
  }

  /** How its lines travel, set once the load mode is known: streamed into an open COPY, or gathered. */
  route(streaming: boolean) {
    if (this.stream || this.parts) return;
    if (streaming) this.stream = new PassThrough({ highWaterMark: 1 << 20 });
    else this.parts = [];
  }

  add(line: string) {
    this.pending.push(line);
    this.staged++;
    this.chars += line.length;
  }

  /** Hand the lines read so far to the COPY (or the blob); end the COPY once the segment is closed. */
  flush() {
    if (!this.stream && !this.parts) return;
    if (this.pending.length) {
      const text = this.pending.join('');
      this.pending = [];
      if (this.stream) this.stream.write(text);
      // Off the JavaScript heap: a gathered bulk segment is tens of megabytes.
      else this.parts!.push(Buffer.from(text));
    }
    if (this.closed && this.stream && !this.stream.writableEnded) this.stream.end();
  }

  /** What the COPY reads. */
  source(): AsyncIterable<Buffer | string> {
    return this.stream ?? (async function* (parts: Buffer[]) { yield* parts; })(this.parts!);
  }
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One value in COPY text format. Arrays hold codes and enum names only (validated): no quoting needed. */
function copyValue(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `{${value.join(',')}}`;
  const text = String(value);
  return /[\\\n\r\t]/.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => COPY_ESCAPES[c]) : text;
}

/**
 * CSV imports (CONTRACT.md section 3): stream-parse and validate each row (the row errors
 * need no database), COPY the valid rows into an unindexed temporary staging table, segment by
 * segment, and store each segment set-wise in the same transaction: anti-joins refuse unknown
 * references, one INSERT … SELECT … ON CONFLICT stores the rest (unchanged rows are skipped
 * before they cost a write), identity resolution happens in the same step, and the segment's
 * counters and row errors commit with it. A killed import loses at most the segments in flight
 * (their staging tables die with their transactions) and a re-run converges (natural keys upsert).
 */
export class ImportsService {
  constructor(private readonly database: Database) {}

  async importCsv(kindName: string, input: Readable, options: ImportOptions): Promise<ImportBatchRecord> {
    const def = kindByName(kindName);
    if (!def) throw new BadUserInputError(`kind must be one of ${KIND_NAMES.join(', ')}, got ${quote(kindName)}`, 'kind');
    if (options.role !== 'ADMIN') {
      await this.audit('DENIED', options, null);
      throw new ForbiddenError('importRecords is for ADMIN only');
    }
    let chunkRows = Math.max(1, options.chunkRows ?? DEFAULT_CHUNK_ROWS);
    let firstChunkRows = chunkRows;
    const maxSegmentChars = Math.max(1, options.maxSegmentChars ?? MAX_SEGMENT_CHARS);
    if (options.mode !== undefined && !LOAD_MODE_OPTIONS.includes(options.mode)) {
      throw new BadUserInputError(`mode must be one of ${LOAD_MODE_OPTIONS.join(', ')}, got ${quote(String(options.mode))}`, 'mode');
    }
    if (options.mode === 'bulk' && !def.bulk) throw new BadUserInputError(`${def.name} files are always loaded incrementally (a small table)`, 'mode');
    // Set when the first chunk has been read (see plan): PostgreSQL streams each segment into its
    // own transaction, two at a time; PGlite (one connection in this thread) and a bulk load (one
    // transaction) gather the next segment while the previous one is stored.
    let streaming = false;
    let concurrency = 1;
    let bulk: BulkLoad | undefined;
    const stageColumns = ['row', ...def.stage.map(([name]) => name)];

    let header: string[] | undefined;
    let present: ReadonlySet<string> = new Set();
    let headerError: ImportHeaderError | undefined;
    let reader: RowReader | undefined;
    const keys = new KeySet();
    let rowNumber = 0;
    /** Segments not yet settled, in file order; the last one may still be filling. */
    const queue: Segment[] = [];
    let current: Segment | undefined;

    // Records are taken synchronously, in file order, as the parser meets them: when the parser
    // stops at a broken record, every record before it has been seen.
    const csv = new CsvRecords({
      bom: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true, // a row with too many or too few cells is rejected, not the whole file
      max_record_size: MAX_RECORD_CHARS,
    });
    const onRecord = (record: string[]) => {
      if (headerError) return;
      if (!header) {
        header = record.map((c) => c.trim());
        present = new Set(header);
        try {
          reader = new RowReader(checkHeader(def, header));
        } catch (error) {
          headerError = error as ImportHeaderError;
        }
        return;
      }
      rowNumber++;
      if (!current) queue.push((current = new Segment(rowNumber)));
      this.readRow(def, reader!, header, record, rowNumber, current, keys);
      if (current.received >= (current.firstRow === 1 ? firstChunkRows : chunkRows) || current.chars >= maxSegmentChars) {
        current.closed = true;
        current = undefined;
      }
    };

    let batchId: string | undefined;
    // Two segments in flight: one receives the parser's rows over COPY while the other stores.
    // Their resolutions and counters take turns in file order (see runSegment).
    let storeTurn: Promise<void> = Promise.resolve();
    const state = { aborted: false };
    const running = () => queue.filter((s) => s.running);
    const launch = (segment: Segment) => {
      const turn = storeTurn;
      let release!: () => void;
      storeTurn = new Promise((resolve) => (release = resolve));
      segment.running = true;
      segment.done = this.runSegment(def, batchId!, segment, stageColumns, present, turn, state, options, bulk).finally(() => release());
      // Settled in order below; until then a failure must not be reported as unhandled.
      segment.done.catch(() => {});
    };
    /** Wait for the oldest segment and take its result, in file order (row errors print in order). */
    const settleOldest = async () => {
      const segment = queue.shift()!;
      const { errors } = await segment.done!;
      if (errors.length) options.onRowErrors?.(errors);
      options.onProgress?.({ rows: segment.lastRow, bytes: csv.bytes });
    };
    const pump = async () => {
      if (headerError) throw headerError;
      if (!header) return;
      if (!batchId) {
        batchId = await this.start(def, options);
        const mode = await this.plan(def, options, rowNumber, csv.bytes);
        options.onLoadMode?.(mode);
        if (mode === 'bulk') {
          bulk = await BulkLoad.open(this.database, def.table, options.lockTimeoutMs);
          if (options.chunkRows === undefined) {
            chunkRows = BULK_CHUNK_ROWS;
            firstChunkRows = BULK_FIRST_CHUNK_ROWS;
          }
        } else if (this.database.driver === 'postgres') {
          streaming = true;
          concurrency = Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
        }
      }
      for (const segment of [...queue]) {
        // A bulk load's one connection is free when a segment starts only at the beginning (or
        // when storing outpaced reading): that segment streams into its COPY as it is read,
        // instead of leaving the database idle until it is complete.
        segment.route(streaming || (bulk !== undefined && !segment.closed && running().length === 0));
        if (!segment.running && (segment.stream !== undefined || segment.closed)) {
          while (running().length >= concurrency) await settleOldest();
          launch(segment);
        }
        segment.flush();
      }
      // Backpressure: the parser waits while the COPY has a megabyte it has not taken yet.
      const tail = queue[queue.length - 1];
      if (tail?.stream?.writableNeedDrain) await Promise.race([once(tail.stream, 'drain'), tail.done]);
    };

    try {
      try {
        for await (const buffer of input) {
          if (!csv.write(typeof buffer === 'string' ? Buffer.from(buffer) : (buffer as Buffer), onRecord)) break;
          await pump();
        }
        csv.end(onRecord);
        const parseError = csv.error;
        if (!header) {
          if (parseError) throw new ImportHeaderError(`the header row is not readable CSV: ${parseError.message}`);
          throw new ImportHeaderError(`the file is empty: a ${def.name} file starts with a header row: ${def.columns.join(',')}`);
        }
        if (parseError) {
          // Rows before the broken record are kept; the rest of the file cannot be read.
          if (!current) queue.push((current = new Segment(rowNumber + 1)));
          current.received++;
          current.lastRow = rowNumber + 1;
          current.errors.push({
            row: rowNumber + 1,
            field: null,
            message: `malformed CSV (${parseError.code}): ${parseError.message.split('\n')[0].slice(0, 200)}; the rest of the file was not read`,
          });
        }
        if (current) current.closed = true;
        await pump();
      } finally {
        input.destroy();
      }
      while (queue.length) await settleOldest();
      // Bulk: the indexes are built and the foreign keys validated before the one commit.
      if (bulk) await bulk.commit().finally(() => (bulk = undefined));
    } catch (error) {
      state.aborted = true;
      for (const segment of queue) segment.stream?.destroy(error as Error);
      await Promise.allSettled(queue.map((s) => s.done));
      if (bulk) await bulk.rollback(error as Error);
      if (batchId) await this.fail(batchId, (error as Error).message);
      throw error;
    }
    return this.finish(def, batchId!, csv.error ? `malformed CSV after row ${rowNumber}` : null);
  }

  /** Bulk or incremental (imports.bulk.ts), from the rows per byte of the first chunk and the table's size. */
  private plan(def: KindDef, options: ImportOptions, rowsSeen: number, bytesSeen: number): Promise<LoadMode> {
    if (!def.bulk) return Promise.resolve('incremental');
    return chooseLoadMode({
      requested: options.mode ?? 'auto',
      expectedBytes: options.expectedBytes,
      rowsSeen,
      bytesSeen,
      tableRows: () => rowsIn(this.database, def.table),
    });
  }

  /** Parse one record into the segment: a COPY line, or its errors. */
  private readRow(def: KindDef, reader: RowReader, header: string[], record: string[], row: number, segment: Segment, keys: KeySet) {
    segment.received++;
    segment.lastRow = row;
    if (record.length !== header.length) {
      segment.errors.push({ row, field: null, message: `has ${record.length} cells, the header has ${header.length}` });
      return;
    }
    reader.reset(record);
    const parsed = def.parse(reader) as ParsedRow;
    parsed.row = row;
    const key = def.keyOf(parsed);
    // The first row with a key is the one considered, wherever the later ones are: the same
    // outcome whatever the segment boundaries, and a re-import does not flip between versions.
    const first = key == null ? undefined : keys.firstRow(key, row);
    if (first !== undefined) {
      reader.fail(def.key, `duplicate key: row ${first} of this file has the same ${def.key} ${quote(key)} (the first row is kept)`);
    }
    if (reader.errors.length) {
      for (const e of reader.errors) segment.errors.push({ row, field: e.field, message: e.message });
      return;
    }
    let line = String(row);
    for (const [name] of def.stage) line += `\t${copyValue(parsed[name])}`;
    segment.add(`${line}\n`);
  }

  /**
   * One segment, one transaction: a temporary staging table (dropped at commit, and with the
   * transaction when the import is killed), COPY, the database checks (anti-joins), the set-wise
   * store, then in turn: identity resolution of what changed, the row errors and the counters.
   * A row the database still refuses (a constraint the parser does not know) is isolated by
   * halving the row range under savepoints.
   */
  private runSegment(
    def: KindDef, batchId: string, segment: Segment, stageColumns: string[], present: ReadonlySet<string>, turn: Promise<void>, state: { aborted: boolean }, options: ImportOptions,
    bulk: BulkLoad | undefined,
  ): Promise<{ errors: RowError[] }> {
    const transaction = <T>(fn: (tx: RawTx) => Promise<T>): Promise<T> =>
      bulk
        ? // The bulk load's one transaction: this segment's temporary tables go when it is done.
          fn(bulk.tx).then(async (result) => {
            await bulk.tx.query(sql.raw(`drop table ${STAGE}, ${CHANGED}`));
            return result;
          })
        : this.database.rawTransaction(fn);
    return transaction(async (tx) => {
      // Not waiting for the WAL flush at each segment's commit: a segment lost to a server crash
      // is the same as one lost to a killed import, and re-running the file converges. Hash
      // joins of a segment with its target table want more than the default 4 MB.
      await tx.query(sql`select set_config('synchronous_commit', 'off', true), set_config('work_mem', '64MB', true)`);
      await tx.query(sql.raw(`create temp table ${STAGE} (row int, ${def.stage.map(([name, type]) => `${name} ${type}`).join(', ')}) on commit drop`));
      await tx.query(sql.raw(`create temp table ${CHANGED} (key text) on commit drop`));
      await tx.copyIn(STAGE, stageColumns, segment.source());
      if (state.aborted) throw new Error('the import stopped');
      // The planner's row counts for the joins below (a temporary table is never auto-analyzed):
      // the row number and the key are enough; every column would cost 200 ms per 100k rows.
      await tx.query(sql.raw(`analyze ${STAGE} (row, ${def.stage[0][0]})`));
      const refused = def.checks ? await tx.query<RowError>(refuse(def.checks())) : [];
      const ctx = { tx, batchId, actor: options.actor, present, exclusive: bulk !== undefined };
      const counts = { inserted: 0, updated: 0 };
      const isolated: RowError[] = [];
      const store = async (range: RowRange): Promise<void> => {
        try {
          const stored = await tx.savepoint(() => def.store(range, ctx));
          counts.inserted += stored.inserted;
          counts.updated += stored.updated;
        } catch (error) {
          if (!isRowLevelError(error)) throw error;
          if (range.hi - range.lo <= 1) {
            const constraint = constraintOf(error);
            const reason = constraint ? `violates ${constraint}` : `SQLSTATE ${sqlState(error)}`;
            isolated.push({ row: range.lo, field: null, message: `cannot be stored: the database refused it (${reason})` });
            return;
          }
          const middle = range.lo + Math.ceil((range.hi - range.lo) / 2);
          await store({ lo: range.lo, hi: middle });
          await store({ lo: middle, hi: range.hi });
        }
      };
      if (segment.staged > refused.length) await store({ lo: segment.firstRow, hi: segment.lastRow + 1 });
      // From here on segments take turns, in file order: the resolution of this segment's changes
      // sees every earlier segment committed, and a later segment's changes get their own
      // resolution after this one; the stores above (disjoint keys) run side by side.
      await turn;
      if (state.aborted) throw new Error('the import stopped');
      if (def.resolve && counts.inserted + counts.updated > 0) await tx.query(def.resolve());
      const errors = [...segment.errors, ...refused, ...isolated].sort((a, b) => a.row - b.row);
      const rejected = new Set(errors.map((e) => e.row)).size;
      const accepted = segment.received - rejected;
      await tx.query(sql`
        with e as (
          insert into import_errors (batch_id, row, field, message)
          select ${batchId}::uuid, row, field, message
          from json_to_recordset(${JSON.stringify(errors)}::json) as r(row int, field text, message text)
        )
        update import_batches set received = received + ${segment.received}, accepted = accepted + ${accepted},
          rejected = rejected + ${rejected}, inserted = inserted + ${counts.inserted}, updated = updated + ${counts.updated}
        where id = ${batchId}::uuid`);
      return { errors };
    });
  }

  /** Create the batch and its IMPORT audit entry in one statement. */
  private async start(def: KindDef, options: ImportOptions): Promise<string> {
    const [{ id }] = await this.database.execute<{ id: string }>(sql`
      with b as (
        insert into import_batches (kind, source, actor) values (${def.kind}, ${options.source ?? null}, ${options.actor})
        returning id
      ), a as (
        insert into audit_entries (actor, role, action, operation, subject_type, subject_id, fields, request_id)
        select ${options.actor}, ${options.role}, 'IMPORT', ${options.operation ?? 'importRecords'}, 'ImportBatch', b.id::text,
          ${`{${def.kind}}`}::text[], ${options.requestId ?? null}
        from b
      )
      select id from b`);
    return id;
  }

  private async audit(action: 'DENIED', options: ImportOptions, subjectId: string | null) {
    await writeAuditEntries(this.database, [{
      actor: options.actor, role: options.role, action, operation: options.operation ?? 'importRecords',
      subject_type: 'ImportBatch', subject_id: subjectId, fields: [], request_id: options.requestId ?? null,
    }]);
  }

  /** Close the batch (identity resolution happened segment by segment). */
  private async finish(def: KindDef, batchId: string, failure: string | null): Promise<ImportBatchRecord> {
    const [counts] = await this.database.execute<{ changed: number }>(
      sql`select inserted + updated as changed from import_batches where id = ${batchId}::uuid`,
    );
    // After a bulk load the planner's statistics are stale until autovacuum comes by; the
    // next queries need them now (ANALYZE samples: ~1 s for 1M rows).
    if (counts.changed >= ANALYZE_AFTER_ROWS) await this.database.execute(sql.raw(`analyze ${def.table}`));
    const [batch] = await this.database.execute<ImportBatchRecord>(sql`
      update import_batches set status = ${failure ? 'FAILED' : 'FINISHED'}, finished_at = now(), failure = ${failure}
      where id = ${batchId}::uuid
      returning ${BATCH_COLUMNS}`);
    return batch;
  }

  /** Best effort: mark the batch FAILED (the database may be the reason it failed). */
  private async fail(batchId: string, message: string) {
    await this.database
      .execute(sql`update import_batches set status = 'FAILED', finished_at = now(), failure = ${message.split('\n')[0].slice(0, 500)} where id = ${batchId}::uuid`)
      .catch(() => {});
  }

  async batch(id: string): Promise<ImportBatchRecord | null> {
    const [row] = await this.database.execute<ImportBatchRecord>(sql`select ${BATCH_COLUMNS} from import_batches where id = ${id}::uuid`);
    return row ?? null;
  }

  /** The first `first` row errors of batches, in row order (one statement for many batches). */
  async errorsOf(batchIds: readonly string[], first: number): Promise<Array<RowError & { batchId: string }>> {
    return this.database.execute<RowError & { batchId: string }>(sql`
      select b.id as "batchId", e.row, e.field, e.message
      from unnest(${`{${batchIds.join(',')}}`}::uuid[]) as b(id)
      cross join lateral (
        select row, field, message from import_errors where batch_id = b.id order by row, id limit ${first}
      ) e`);
  }
}

/** Column name → cell index; throws ImportHeaderError for a missing or repeated column. */
function checkHeader(def: KindDef, header: string[]): Map<string, number> {
  const index = new Map<string, number>();
  const repeated = new Set<string>();
  header.forEach((name, i) => {
    if (index.has(name)) repeated.add(name);
    else index.set(name, i);
  });
  const known = new Set([...def.columns, ...(def.optional ?? [])]);
  const clash = [...repeated].filter((c) => known.has(c));
  if (clash.length) {
    throw new ImportHeaderError(`the header repeats column ${clash.map((c) => quote(c)).join(', ')}; each column must appear once`);
  }
  const missing = def.columns.filter((c) => !index.has(c));
  if (missing.length) {
    throw new ImportHeaderError(
      `the header lacks ${missing.length > 1 ? 'columns' : 'column'} ${missing.join(', ')}; a ${def.name} file has the columns ${def.columns.join(',')}${def.optional ? ` and optionally ${def.optional.join(',')}` : ''} (any order), got ${quote(header.join(','), 200)}`,
    );
  }
  return index;
}
