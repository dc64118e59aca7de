import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { sql } from 'drizzle-orm';
import type { Role } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { BadUserInputError, ForbiddenError, quote } from '../../lib/errors.js';
import { writeAuditEntries } from '../audit/audit.buffer.js';
import { resolveEnrolments } from '../enrolments/enrolments.resolution.sql.js';
import { KIND_NAMES, kindByName, type KindDef, type ParsedRow } from './imports.kinds.js';
import { RowReader, type RowError } from './imports.rows.js';
import { KeySet } from './imports.keys.js';

/** Rows per chunk: one transaction, one JSON parameter per statement. */
export const DEFAULT_CHUNK_ROWS = 10_000;
/** Chunks in flight: the database does most of an import's work, and a 2-core server has two cores. */
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
  chunkRows?: number;
  /** Chunks loading at once on PostgreSQL (each its own transaction and connection); PGlite loads one at a time. */
  concurrency?: number;
  /** After each committed chunk: data rows read so far and bytes of input consumed. */
  onProgress?: (progress: { rows: number; bytes: number }) => void;
  /** The rejected rows of each committed chunk, in row order. */
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

interface Chunk {
  rows: ParsedRow[];
  errors: RowError[];
  received: number;
}

const emptyChunk = (): Chunk => ({ rows: [], errors: [], received: 0 });

const BATCH_COLUMNS = sql`id, kind, status, source, actor, started_at as "startedAt", finished_at as "finishedAt",
  received, accepted, rejected, inserted, updated, failure`;

/** SQLSTATE of a driver error (drizzle wraps it in `cause`). */
function sqlState(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

function constraintOf(error: unknown): string | undefined {
  for (let e = error as Record<string, unknown> | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    const name = e.constraint_name ?? e.constraint;
    if (typeof name === 'string') return name;
  }
  return undefined;
}

/** Integrity (23) and data (22) errors belong to a row; anything else is the database's. */
const isRowLevelError = (error: unknown) => /^2[23]/.test(sqlState(error) ?? '');

/**
 * CSV imports (CONTRACT.md section 3): stream-parse, validate each row, and load chunk by chunk,
 * each chunk one transaction with its counters and row errors, so a killed import loses at most
 * the chunks in flight (two) and a re-run converges (natural keys upsert).
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
    const chunkRows = options.chunkRows ?? DEFAULT_CHUNK_ROWS;

    let header: string[] | undefined;
    let headerError: ImportHeaderError | undefined;
    let reader: RowReader | undefined;
    let chunk = emptyChunk();
    const keys = new KeySet();
    let rowNumber = 0;
    const ready: Chunk[] = [];

    // Records are taken synchronously, in file order, as the parser meets them (on_record
    // keeps nothing in the stream's buffer): when the parser stops at a broken record, every
    // record before it has been seen. Full chunks queue in `ready`; the loop below commits them.
    const parser = parse({
      bom: true,
      skip_empty_lines: true,
      skip_records_with_empty_values: true,
      relax_column_count: true, // a row with too many or too few cells is rejected, not the whole file
      max_record_size: MAX_RECORD_CHARS,
      on_record: (record: string[]) => {
        if (headerError) return null;
        if (!header) {
          header = record.map((c) => c.trim());
          try {
            reader = new RowReader(checkHeader(def, header));
          } catch (error) {
            headerError = error as ImportHeaderError;
          }
          return null;
        }
        rowNumber++;
        this.readRow(def, reader!, header, record, rowNumber, chunk, keys);
        if (chunk.received >= chunkRows) {
          ready.push(chunk);
          chunk = emptyChunk();
        }
        return null;
      },
    });
    let parseError: CsvError | undefined;
    parser.on('error', (error) => {
      parseError ??= error as CsvError;
    });
    parser.resume();

    let batchId: string | undefined;
    // PGlite is one connection: its transactions take turns anyway.
    const concurrency = this.database.driver === 'pglite' ? 1 : Math.max(1, options.concurrency ?? DEFAULT_CONCURRENCY);
    // Chunks in flight, oldest first; each settles to its result or its error.
    const inFlight: Array<Promise<{ result?: Awaited<ReturnType<ImportsService['commit']>>; error?: unknown; rows: number }>> = [];
    const regencies = new Set<string>();
    /** Wait for the oldest chunk and take its result, in file order (row errors print in order). */
    const settleOldest = async () => {
      const { result, error, rows } = await inFlight.shift()!;
      if (error) throw error;
      for (const code of result!.regencies) regencies.add(code);
      if (result!.errors.length) options.onRowErrors?.(result!.errors);
      options.onProgress?.({ rows, bytes: parser.info.bytes });
    };
    const settle = async () => {
      while (inFlight.length) await settleOldest();
    };
    // The parser and the database work side by side, and up to `concurrency` chunks load at
    // once (their keys never overlap: a repeated key was rejected while parsing).
    const commitNext = async (next: Chunk) => {
      while (inFlight.length >= concurrency) await settleOldest();
      const rows = rowNumber;
      inFlight.push(this.commit(def, batchId!, next, options).then((result) => ({ result, rows }), (error: unknown) => ({ error, rows })));
    };
    const drain = async () => {
      if (headerError) throw headerError;
      if (header && !batchId) batchId = await this.start(def, options);
      while (batchId && ready.length) await commitNext(ready.shift()!);
    };

    try {
      try {
        for await (const buffer of input) {
          if (parseError) break;
          parser.write(buffer);
          await drain();
        }
        if (!parseError) {
          parser.end();
          await finished(parser).catch(() => {});
        }
        await drain();
      } finally {
        input.destroy();
      }
      if (!header) {
        if (parseError) throw new ImportHeaderError(`the header row is not readable CSV: ${parseError.message}`);
        throw new ImportHeaderError(`the file is empty: a ${def.name} file starts with a header row: ${def.columns.join(',')}`);
      }
      if (parseError) {
        // Rows before the broken record are kept; the rest of the file cannot be read.
        chunk.received++;
        chunk.errors.push({
          row: rowNumber + 1,
          field: null,
          message: `malformed CSV (${parseError.code}): ${parseError.message.split('\n')[0].slice(0, 200)}; the rest of the file was not read`,
        });
      }
      if (chunk.received > 0) await commitNext(chunk);
      await settle();
    } catch (error) {
      if (batchId) await this.fail(batchId, (error as Error).message, Promise.allSettled(inFlight));
      throw error;
    }
    return this.finish(def, batchId!, regencies, parseError ? `malformed CSV after row ${rowNumber}` : null);
  }

  /** Parse one record into the chunk: a stored row, or its errors. */
  private readRow(def: KindDef, reader: RowReader, header: string[], record: string[], row: number, chunk: Chunk, keys: KeySet) {
    chunk.received++;
    if (record.length !== header.length) {
      chunk.errors.push({ row, field: null, message: `has ${record.length} cells, the header has ${header.length}` });
      return;
    }
    reader.reset(record);
    const parsed = def.parse(reader) as ParsedRow;
    parsed.row = row;
    const key = def.keyOf(parsed);
    // The first row with a key is the one considered, wherever the later ones are: the same
    // outcome whatever the chunk boundaries, and a re-import does not flip between versions.
    const first = key == null ? undefined : keys.firstRow(key, row);
    if (first !== undefined) {
      reader.fail(def.key, `duplicate key: row ${first} of this file has the same ${def.key} ${quote(key)} (the first row is kept)`);
    }
    if (reader.errors.length) {
      for (const e of reader.errors) chunk.errors.push({ row, field: e.field, message: e.message });
    } else {
      chunk.rows.push(parsed);
    }
  }

  /**
   * One chunk, one transaction: database checks (anti-joins), the
   * set-wise store, the row errors and the batch counters. A row the database still refuses
   * (a constraint the parser does not know) is isolated by halving the chunk.
   */
  private async commit(def: KindDef, batchId: string, chunk: Chunk, options: ImportOptions): Promise<{ errors: RowError[]; regencies: string[] }> {
    try {
      return await this.database.db.transaction(async (tx) => {
        // Not waiting for the WAL flush at each chunk's commit: a chunk lost to a server crash
        // is the same as one lost to a killed import, and re-running the file converges.
        await this.database.execute(sql`set local synchronous_commit = off`, tx);
        const errors = [...chunk.errors];
        let rows = chunk.rows;
        if (rows.length && def.checks) {
          const refused = new Set<number>();
          for (const check of def.checks(rows)) {
            for (const e of await this.database.execute<RowError>(check, tx)) {
              errors.push({ row: e.row, field: e.field, message: e.message });
              refused.add(e.row);
            }
          }
          if (refused.size) rows = rows.filter((r) => !refused.has(r.row));
        }
        const stored = rows.length
          ? await def.store(rows, { database: this.database, tx, batchId, actor: options.actor, present: new Set(Object.keys(rows[0])) })
          : { inserted: 0, updated: 0 };
        errors.sort((a, b) => a.row - b.row);
        const rejected = new Set(errors.map((e) => e.row)).size;
        await this.database.execute(sql`
          with e as (
            insert into import_errors (batch_id, row, field, message)
            select ${batchId}::uuid, row, field, message
            from json_to_recordset(${JSON.stringify(errors)}::json) as r(row int, field text, message text)
          )
          update import_batches set received = received + ${chunk.received}, accepted = accepted + ${rows.length},
            rejected = rejected + ${rejected}, inserted = inserted + ${stored.inserted}, updated = updated + ${stored.updated}
          where id = ${batchId}::uuid`, tx);
        return { errors, regencies: stored.regencies ?? [] };
      });
    } catch (error) {
      if (!isRowLevelError(error)) throw error;
      if (chunk.rows.length <= 1) {
        const [row] = chunk.rows;
        if (!row) throw error;
        const constraint = constraintOf(error);
        const reason = constraint ? `violates ${constraint}` : `SQLSTATE ${sqlState(error)}`;
        return this.commit(def, batchId, { ...chunk, rows: [], errors: [...chunk.errors, { row: row.row, field: null, message: `cannot be stored: the database refused it (${reason})` }] }, options);
      }
      const half = Math.ceil(chunk.rows.length / 2);
      const a = await this.commit(def, batchId, { rows: chunk.rows.slice(0, half), errors: chunk.errors, received: chunk.received }, options);
      const b = await this.commit(def, batchId, { rows: chunk.rows.slice(half), errors: [], received: 0 }, options);
      return { errors: [...a.errors, ...b.errors].sort((x, y) => x.row - y.row), regencies: [...a.regencies, ...b.regencies] };
    }
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

  /** Identity resolution for the regencies the file touched, then close the batch. */
  private async finish(def: KindDef, batchId: string, regencies: Set<string>, failure: string | null): Promise<ImportBatchRecord> {
    const [counts] = await this.database.execute<{ changed: number }>(
      sql`select inserted + updated as changed from import_batches where id = ${batchId}::uuid`,
    );
    // After a bulk load the planner's statistics are stale until autovacuum comes by; the
    // resolution below and the next queries need them now (ANALYZE samples: ~1 s for 1M rows).
    if (counts.changed >= ANALYZE_AFTER_ROWS) await this.database.execute(sql.raw(`analyze ${def.table}`));
    if (def.resolves && regencies.size) {
      const list = [...regencies].sort();
      // Enrolments in the file's regencies, and those that may match or matched its records
      // elsewhere: a person matches by NIK in any regency, by name and birth date in its own.
      const where = def.kind === 'PERSONS'
        ? sql`(e.regency_code in ${list}
            or e.nik in (select p.nik from persons p where p.regency_code in ${list} and p.nik is not null)
            or e.person_id in (select p.id from persons p where p.regency_code in ${list}))`
        : def.kind === 'HOUSEHOLDS'
          ? sql`(e.regency_code in ${list} or e.household_id in (select h.id from households h where h.regency_code in ${list}))`
          : sql`e.regency_code in ${list}`;
      await this.database.db.transaction(async (tx) => {
        // Hash joins over a whole import's enrolments and persons want more than the default 4 MB.
        await this.database.execute(sql`set local work_mem = '64MB'`, tx);
        await resolveEnrolments(this.database, where, tx);
      });
    }
    const [batch] = await this.database.execute<ImportBatchRecord>(sql`
      update import_batches set status = ${failure ? 'FAILED' : 'FINISHED'}, finished_at = now(), failure = ${failure}
      where id = ${batchId}::uuid
      returning ${BATCH_COLUMNS}`);
    return batch;
  }

  /** Best effort: mark the batch FAILED (the database may be the reason it failed). */
  private async fail(batchId: string, message: string, pending: Promise<unknown> | undefined) {
    await pending?.catch(() => {});
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
