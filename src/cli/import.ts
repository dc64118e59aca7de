import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import cliProgress from 'cli-progress';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { migrate } from '../db/migrate.js';
import { KIND_NAMES, kindByName } from '../modules/imports/imports.kinds.js';
import type { RowError } from '../modules/imports/imports.rows.js';
import { LOAD_MODE_OPTIONS, TableBusyError, type LoadModeOption } from '../modules/imports/imports.bulk.js';
import { ImportHeaderError, ImportsService } from '../modules/imports/imports.service.js';
import { runCli } from './run.js';

const USAGE = `usage: npm run import -- <kind> <file.csv>   (kind: ${KIND_NAMES.join(', ')})`;

/**
 * `row N (line L): field: message`, one line (cells may hold newlines). N counts data rows as
 * ImportError.row does (the first data row is 1); L is the line a spreadsheet or editor shows,
 * the header being line 1 (a quoted cell holding line breaks moves later records further down).
 */
export function formatRowError(e: RowError): string {
  const message = e.message.replace(/[\r\n]+/g, ' ');
  const where = `row ${e.row} (line ${e.row + 1})`;
  return e.field ? `${where}: ${e.field}: ${message}` : `${where}: ${message}`;
}

/**
 * Exit 0: every row accepted. Exit 2: some rows rejected (printed to stderr), the accepted ones
 * committed. Exit 1: nothing imported (usage, unreadable file, wrong header, database down).
 */
runCli(async () => {
  const [kindName, file, ...rest] = process.argv.slice(2);
  if (!kindName || !file || rest.length) throw new Error(USAGE);
  const def = kindByName(kindName);
  if (!def || def.name !== kindName) throw new Error(`unknown kind ${JSON.stringify(kindName)}; ${USAGE}`);
  let size: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('not a regular file');
    size = info.size;
  } catch (error) {
    throw new Error(`cannot read ${file}: ${(error as Error).message}`);
  }

  // Rows per segment (one transaction each); the default suits files of any size.
  const chunkRows = process.env.PADU_IMPORT_CHUNK_ROWS ? Number(process.env.PADU_IMPORT_CHUNK_ROWS) : undefined;
  if (chunkRows !== undefined && !(Number.isSafeInteger(chunkRows) && chunkRows > 0)) {
    throw new Error(`PADU_IMPORT_CHUNK_ROWS must be a positive whole number, got ${JSON.stringify(process.env.PADU_IMPORT_CHUNK_ROWS)}`);
  }

  // bulk, incremental or auto (the default): see "Bulk loading" in the README.
  const mode = (process.env.PADU_IMPORT_MODE || 'auto') as LoadModeOption;
  if (!LOAD_MODE_OPTIONS.includes(mode)) {
    throw new Error(`PADU_IMPORT_MODE must be one of ${LOAD_MODE_OPTIONS.join(', ')}, got ${JSON.stringify(process.env.PADU_IMPORT_MODE)}`);
  }

  const database = await openDatabase(loadConfig());
  const tty = Boolean(process.stderr.isTTY);
  const bars = tty
    ? new cliProgress.MultiBar({
        stream: process.stderr,
        format: `${def.name} [{bar}] {percentage}% | {rows} rows | {speed} rows/s | {eta_formatted} left`,
        hideCursor: true,
        clearOnComplete: true,
      }, cliProgress.Presets.shades_classic)
    : undefined;
  const bar = bars?.create(Math.max(size, 1), 0, { rows: 0, speed: 0 });
  const printErrors = (errors: RowError[]) => {
    const text = errors.map(formatRowError).join('\n');
    if (bars) bars.log(`${text}\n`);
    else process.stderr.write(`${text}\n`);
  };

  const started = Date.now();
  let loadMode = 'incremental';
  try {
    await migrate(database);
    const batch = await new ImportsService(database).importCsv(def.name, createReadStream(file), {
      actor: `cli:${userInfo().username}`,
      role: 'ADMIN',
      source: file,
      operation: 'cli import',
      chunkRows,
      mode,
      expectedBytes: size,
      onLoadMode: (chosen) => {
        loadMode = chosen;
        if (chosen === 'bulk') {
          const note = `${def.name}: bulk load: ${def.table} is locked, its indexes are rebuilt at the end, and the whole file commits at once\n`;
          if (bars) bars.log(note);
          else process.stdout.write(note);
        }
      },
      onProgress: ({ rows, bytes }) => bar?.update(bytes, { rows, speed: Math.round(rows / Math.max((Date.now() - started) / 1000, 0.001)) }),
      onRowErrors: printErrors,
    });
    bars?.stop();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `${def.name} ${file}: batch ${batch.id} ${batch.status}: ${batch.received} rows received, ${batch.accepted} accepted ` +
        `(${batch.inserted} new, ${batch.updated} changed), ${batch.rejected} rejected in ${seconds.toFixed(1)} s (${loadMode} load)\n`,
    );
    return batch.rejected > 0 || batch.status !== 'FINISHED' ? 2 : 0;
  } catch (error) {
    bars?.stop();
    if (error instanceof TableBusyError) {
      process.stderr.write(`padu: ${file}: ${error.message}\n`);
      return 1;
    }
    if (error instanceof ImportHeaderError) {
      process.stderr.write(`padu: ${file}: ${error.message}; nothing imported\n`);
      return 1;
    }
    throw error;
  } finally {
    await database.close();
  }
});
