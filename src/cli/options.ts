import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { PROGRAM_CODE, REGION_PREFIX } from '../auth/viewer.js';
import type { Database } from '../db/client.js';

/**
 * Command-line options, checked the way the GraphQL inputs are: a refusal names the option and
 * the value received, and codes must exist, not merely look right.
 */
export class OptionError extends Error {}

const quote = (value: string) => JSON.stringify(value);

/** A comma-separated list: trimmed, empty items dropped, repeats removed. */
export function listOption(text: string | undefined): string[] {
  return [...new Set((text ?? '').split(',').map((item) => item.trim()).filter(Boolean))];
}

/** `--regions`: "*" alone, or Kemendagri code prefixes (35, 35.09, 35.09.01, 35.09.01.2001). */
export function regionsOption(text: string | undefined, option = '--regions'): string[] {
  const regions = listOption(text);
  if (regions.length === 0) throw new OptionError(`${option}: give at least one region code such as 35.09, or * for the whole country`);
  for (const region of regions) {
    if (region !== '*' && !REGION_PREFIX.test(region)) {
      throw new OptionError(`${option}: ${quote(region)} is not a region code such as 35, 35.09, 35.09.01 or 35.09.01.2001 (or * for the whole country)`);
    }
  }
  if (regions.includes('*') && regions.length > 1) throw new OptionError(`${option}: "*" (the whole country) must stand alone, got ${quote(text ?? '')}`);
  return regions;
}

/** `--programs`: program codes such as PKH or BLT_DD. */
export function programsOption(text: string | undefined, option = '--programs'): string[] {
  const programs = listOption(text);
  for (const program of programs) {
    if (!PROGRAM_CODE.test(program)) throw new OptionError(`${option}: ${quote(program)} is not a program code such as PKH or BLT_DD`);
  }
  return programs;
}

const TTL = /^([1-9][0-9]{0,5})(s|m|h|d)$/;
const TTL_MAX_SECONDS = 366 * 86_400;

/** `--ttl`: a whole number of seconds, minutes, hours or days, at most a year. */
export function ttlOption(text: string, option = '--ttl'): string {
  const match = TTL.exec(text);
  if (!match) throw new OptionError(`${option}: ${quote(text)} is not a duration such as 30m, 12h or 7d (s, m, h or d after a whole number)`);
  const seconds = Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as 's' | 'm' | 'h' | 'd'];
  if (seconds > TTL_MAX_SECONDS) throw new OptionError(`${option}: ${quote(text)} is longer than a year`);
  return text;
}

/** The six national programs every database holds (migration 0002_builtins; a test checks it). */
export const BUILT_IN_PROGRAMS: readonly string[] = ['PKH', 'BPNT', 'BLT_DD', 'PBI_JK', 'PIP', 'RTLH'];

/** Codes among `codes` that the database's regions table does not hold ("*" is always known). */
export async function unknownRegions(database: Database, codes: string[]): Promise<string[]> {
  const wanted = codes.filter((code) => code !== '*');
  if (wanted.length === 0) return [];
  const rows = await database.execute<{ code: string }>(sql`
    select c.code from json_array_elements_text(${JSON.stringify(wanted)}::json) with ordinality as c(code, n)
    where not exists (select 1 from regions r where r.code = c.code) order by c.n`);
  return rows.map((row) => row.code);
}

/** Codes among `codes` that the database's programs table does not hold. */
export async function unknownPrograms(database: Database, codes: string[]): Promise<string[]> {
  if (codes.length === 0) return [];
  const rows = await database.execute<{ code: string }>(sql`
    select c.code from json_array_elements_text(${JSON.stringify(codes)}::json) with ordinality as c(code, n)
    where not exists (select 1 from programs p where p.code = c.code) order by c.n`);
  return rows.map((row) => row.code);
}

/**
 * The same region check without opening the database: the regions table holds exactly the
 * idn-area-data files (src/db/regions-data.ts loads them unchanged and nothing else writes it),
 * so `npm run token` reads those files instead of waiting for the embedded database, which a
 * running server holds.
 */
export function unknownReferenceRegions(codes: string[]): string[] {
  const dataDir = join(createRequire(import.meta.url).resolve('idn-area-data/package.json'), '..', 'data');
  const files = ['provinces.csv', 'regencies.csv', 'districts.csv', 'villages.csv'];
  const texts = new Map<string, string>();
  return codes.filter((code) => {
    if (code === '*') return false;
    const file = files[code.split('.').length - 1];
    if (!file) return true;
    if (!texts.has(file)) texts.set(file, `\n${readFileSync(join(dataDir, file), 'utf8').replace(/\r\n/g, '\n')}`);
    return !texts.get(file)!.includes(`\n${code},`);
  });
}

/** Refuse unknown codes, naming the option and every unknown value. */
export function refuseUnknown(option: string, kind: string, unknown: string[]): void {
  if (unknown.length === 0) return;
  throw new OptionError(`${option}: no such ${kind}: ${unknown.map(quote).join(', ')}`);
}
