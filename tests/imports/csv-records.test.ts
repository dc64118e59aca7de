import { parse as parseSync } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CsvRecords } from '../../src/modules/imports/imports.csv.js';

/** The options the import uses (imports.service.ts). */
const OPTIONS = { bom: true, skip_empty_lines: true, skip_records_with_empty_values: true, relax_column_count: true, max_record_size: 1000 };

/** Feed `text` in chunks of `size` bytes; the records, and the error if one stopped the parser. */
function read(text: string | Buffer, size: number) {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const csv = new CsvRecords(OPTIONS);
  const records: string[][] = [];
  const push = (r: string[]) => records.push(r);
  for (let at = 0; at < bytes.length; at += size) {
    if (!csv.write(bytes.subarray(at, at + size), push)) break;
  }
  csv.end(push);
  return { records, error: csv.error, bytes: csv.bytes };
}

const FILE =
  '\uFEFFid,name,note\n' +
  'P1,"Siti, Aminah","line one\nline two"\n' +
  '\n' +
  ',,\n' +
  'P2,Budi Jr,x\n' +
  'P3,"say ""hi""",\n' +
  'P4,only two\n' +
  'P5,Ñandú,é';

describe('CsvRecords (csv-parse driven chunk by chunk, as the import reads files)', () => {
  it('gives the records csv-parse gives for the whole text, whatever the chunk boundaries', () => {
    const expected = parseSync(FILE, OPTIONS);
    expect(expected).toHaveLength(6);
    for (const size of [1, 2, 3, 7, 64, 1 << 16]) {
      const { records, error } = read(FILE, size);
      expect(error).toBeUndefined();
      expect(records).toEqual(expected);
    }
    expect(read(FILE, 5).records[1]).toEqual(['P1', 'Siti, Aminah', 'line one\nline two']);
  });

  it('splits a multi-byte character across chunks without damage', () => {
    const { records } = read(Buffer.from('a,b\nÑandú,日本\n'), 1);
    expect(records).toEqual([['a', 'b'], ['Ñandú', '日本']]);
  });

  it('reports an unclosed quote at the end, after every record before it', () => {
    const { records, error } = read('id,name\nP1,ok\nP2,"never closed\nP3,x\n', 4);
    expect(records).toEqual([['id', 'name'], ['P1', 'ok']]);
    expect(error?.code).toBe('CSV_QUOTE_NOT_CLOSED');
  });

  it('stops at a record longer than max_record_size and parses nothing after it', () => {
    const { records, error } = read(`id,name\nP1,ok\nP2,${'x'.repeat(2000)}\nP3,late\n`, 100);
    expect(records).toEqual([['id', 'name'], ['P1', 'ok']]);
    expect(error?.code).toBe('CSV_MAX_RECORD_SIZE');
  });

  it('counts the bytes consumed up to the last complete record', () => {
    expect(read('id\nP1\nP2\n', 3).bytes).toBe(9);
  });
});
