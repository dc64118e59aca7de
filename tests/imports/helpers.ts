import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/client.js';
import type { RowError } from '../../src/modules/imports/imports.rows.js';
import { ImportsService, type ImportBatchRecord, type ImportOptions } from '../../src/modules/imports/imports.service.js';

export const ADMIN = { actor: 'test-admin', role: 'ADMIN' as const, source: 'test' };

/** Villages of the demo regencies (real Kemendagri codes). */
export const V = {
  jember1: '35.09.01.2001',
  jember2: '35.09.01.2002',
  mojokerto: '35.76.01.1003',
  solok: '13.72.01.1001',
} as const;

export const HEADERS = {
  programs: 'code,name,target_unit,exclusive_with',
  households: 'household_id,village_code,address,rt,rw,desil,collected_on',
  persons: 'person_id,household_id,nik,kk_number,name,sex,birth_place,birth_date,relationship,marital_status,presence,disability,chronic_illness,ppks',
  enrolments: 'enrolment_id,program,nik,kk_number,name,birth_date,village_code,status,start_date,end_date,amount',
  'civil-registry': 'nik,kk_number,name,sex,birth_place,birth_date,village_code,death_date',
  referrals: 'referral_id,registered_at,village_code,category,name,nik,description,status,referred_to',
} as const;

export type KindName = keyof typeof HEADERS;

/** A CSV text: the kind's header and the given lines. */
export const csv = (kind: KindName, ...lines: string[]) => [HEADERS[kind], ...lines].join('\n') + '\n';

export interface Imported {
  batch: ImportBatchRecord;
  errors: RowError[];
}

/** Import CSV text through the service, as the CLI and the mutation do; returns the batch and all row errors. */
export async function importText(database: Database, kind: string, text: string | Buffer, options: Partial<ImportOptions> = {}): Promise<Imported> {
  const service = new ImportsService(database);
  const batch = await service.importCsv(kind, Readable.from([text]), { ...ADMIN, ...options });
  const errors = (await service.errorsOf([batch.id], 10_000)).map(({ row, field, message }) => ({ row, field, message }));
  return { batch, errors };
}

export async function rows<T = Record<string, unknown>>(database: Database, query: ReturnType<typeof sql>): Promise<T[]> {
  return database.execute<T>(query);
}

/**
 * A content checksum of a table, in the order of `orderBy` (one column or a comma list), leaving
 * out `volatile` columns: by default the timestamps and the record key, which is random per
 * inserted row (migration 0008). Used to compare databases.
 */
export async function checksum(
  database: Database, table: string, orderBy: string, volatile: readonly string[] = ['created_at', 'updated_at', 'record_key'],
): Promise<{ count: number; md5: string }> {
  const drop = volatile.map((c) => ` - '${c}'`).join('');
  const order = orderBy.split(',').map((c) => `t.${c.trim()}`).join(', ');
  const [row] = await database.execute<{ count: number; md5: string }>(sql.raw(`
    select count(*)::int as count,
      md5(coalesce(string_agg((to_jsonb(t)${drop})::text, '|' order by ${order}), '')) as md5
    from ${table} t`));
  return row;
}
