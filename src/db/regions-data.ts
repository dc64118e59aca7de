import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import type { Database } from './client.js';

/** The package's CSVs (its JS entry needs Node 22, so the files are read directly). */
const DATA_DIR = new URL('data/', pathToFileURL(createRequire(import.meta.url).resolve('idn-area-data/package.json')));

const FILES = [
  { file: 'provinces.csv', level: 'PROVINCE', parentColumn: null },
  { file: 'regencies.csv', level: 'REGENCY', parentColumn: 'province_code' },
  { file: 'districts.csv', level: 'DISTRICT', parentColumn: 'regency_code' },
  { file: 'villages.csv', level: 'VILLAGE', parentColumn: 'district_code' },
] as const;

/** 38 provinces + 514 regencies + 7,285 districts + 83,762 villages (idn-area-data 4.0.1). */
export const REGION_COUNT = 91_599;
const CHUNK = 20_000;

/**
 * Load every region of Indonesia unless they are all there. Runs after the migrations; rows are
 * upserted so that a newer idn-area-data release corrects names in place.
 */
export async function ensureRegions(database: Database): Promise<{ loaded: number }> {
  const [{ count }] = await database.execute<{ count: number }>(sql`select count(*)::int as count from regions`);
  if (count >= REGION_COUNT) return { loaded: 0 };
  let loaded = 0;
  for (const { file, level, parentColumn } of FILES) {
    const rows = parse(await readFile(new URL(file, DATA_DIR)), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK).map((row) => ({
        code: row.code,
        parent_code: parentColumn ? row[parentColumn] : null,
        level,
        name: row.name,
      }));
      // One JSON parameter per chunk: the same statement works on both drivers.
      await database.execute(sql`
        insert into regions (code, parent_code, level, name)
        select code, parent_code, level::region_level, name
        from json_to_recordset(${JSON.stringify(chunk)}::json)
          as r(code text, parent_code text, level text, name text)
        on conflict (code) do update set name = excluded.name
          where regions.name is distinct from excluded.name`);
      loaded += chunk.length;
    }
  }
  return { loaded };
}
