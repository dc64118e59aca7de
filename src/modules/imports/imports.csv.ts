import { parse, type CsvError, type Options } from 'csv-parse';

/** csv-parse's parser core: what its stream class and its sync API both drive. */
interface ParserCore {
  parse(buffer: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): CsvError | Error | undefined;
  info: { bytes: number };
}

/**
 * CSV records pushed synchronously, in file order, from the chunks given to `write`.
 *
 * csv-parse drives one parser core (`transform` in csv-parse/lib/api) from both its stream and
 * its sync API. Used as a Transform stream, with `on_record` to see each record as it is parsed,
 * it builds an info object per record and passes each through the stream machinery: 45% of
 * the reading cost of a persons file (node --cpu-prof, bench:import). This class drives the same
 * core directly, as csv-parse's own sync API does, chunk by chunk: same options, same records,
 * same errors, a record seen the moment it is complete, and nothing kept but the unfinished
 * record. The core is the stream's `api` property, which csv-parse's type definitions do not
 * declare: tests/imports/csv-records.test.ts pins that it is there and behaves as used here,
 * so an upgrade that changes it fails a test, not an import.
 */
export class CsvRecords {
  private readonly core: ParserCore;
  /** The first error; once set, nothing more is parsed. */
  error?: CsvError;
  private ended = false;

  constructor(options: Options) {
    const core = (parse(options) as unknown as { api?: ParserCore }).api;
    if (!core || typeof core.parse !== 'function' || typeof core.info !== 'object') {
      throw new Error('csv-parse: the parser core (Parser.api) is missing; check tests/imports/csv-records.test.ts against the installed csv-parse');
    }
    this.core = core;
  }

  /** Bytes of input consumed up to the last complete record. */
  get bytes(): number {
    return this.core.info.bytes;
  }

  /** Parse a chunk; `onRecord` is called for every record it completes. False once an error stopped the parser. */
  write(chunk: Buffer, onRecord: (record: string[]) => void): boolean {
    return this.run(chunk, false, onRecord);
  }

  /** The end of the input: the last record (without a final newline) and an unclosed quote surface here. */
  end(onRecord: (record: string[]) => void): boolean {
    return this.run(undefined, true, onRecord);
  }

  private run(chunk: Buffer | undefined, end: boolean, onRecord: (record: string[]) => void): boolean {
    if (this.error || this.ended) return !this.error;
    if (end) this.ended = true;
    const error = this.core.parse(chunk, end, onRecord, () => {});
    if (error !== undefined) {
      this.error = error as CsvError;
      return false;
    }
    return true;
  }
}
