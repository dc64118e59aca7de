/**
 * `npm run bench:referrals`: the SLRT workflow on PostgreSQL, at the service layer (no HTTP).
 * Fills the database given by DATABASE_URL (migrated, demo data, plus `--referrals N` synthetic
 * historic referrals, default 200,000, spread over the demo villages), then measures
 * registerComplaint and transitionReferral latency (sequential), 20 parallel transitions of one
 * referral with the same expectedVersion, and the first page of the DTKS-proposal list of one
 * regency. Usage: DATABASE_URL=postgres://…/padu_bench npm run bench:referrals [-- --referrals N]
 */
import { sql } from 'drizzle-orm';
import type { Viewer } from '../src/auth/viewer.js';
import { Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { PaduError } from '../src/lib/errors.js';
import { ReferralsService } from '../src/modules/referrals/referrals.service.js';
import { seedDemo } from '../seeds/demo.js';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('set DATABASE_URL to a PostgreSQL database this benchmark may fill');
const argIndex = process.argv.indexOf('--referrals');
const extra = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 200_000;

const database = await Database.openPostgres(url, { max: 25 });
await migrate(database);
const [{ n: households }] = await database.execute<{ n: number }>(sql`select count(*)::int as n from households`);
if (households === 0) await seedDemo(database);
const [{ n: existing }] = await database.execute<{ n: number }>(sql`select count(*)::int as n from referrals where id like 'BENCH-%'`);
if (existing < extra) {
  await database.execute(sql`
    with v as (select array_agg(distinct village_code) as codes from households)
    insert into referrals (id, village_code, category, status, version, registered_at, complainant_name, name_norm, description, in_dtks, referred_to)
    select 'BENCH-' || i, v.codes[1 + i % array_length(v.codes, 1)],
           (enum_range(null::referral_category))[1 + i % 9], (enum_range(null::referral_status))[1 + i % 5], 1,
           timestamptz '2020-01-01' + (i * interval '13 minutes'), 'Warga ' || i, 'warga ' || i, 'Pengaduan historis.',
           i % 3 = 0, case when i % 5 = 2 then 'DINSOS' end
    from v, generate_series(${existing + 1}::int, ${extra}::int) as i`);
  await database.execute(sql`analyze referrals`);
}

const viewer: Viewer = { id: 'bench-manager', role: 'MANAGER', regions: ['35.09'], programs: [], via: 'token' };
const service = new ReferralsService(database);
const meta = { operation: 'bench', requestId: null };
const [village] = await database.execute<{ code: string }>(sql`select village_code as code from households where regency_code = '35.09' limit 1`);

function summary(label: string, times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(2);
  console.log(`${label}: n=${times.length} p50=${at(0.5)} ms p95=${at(0.95)} ms max=${at(1)} ms`);
}

const runs = 200;
const registered: string[] = [];
const registerTimes: number[] = [];
for (let i = 0; i < runs; i++) {
  const t = performance.now();
  const r = await service.register(viewer, { category: 'HEALTH', regionCode: village.code, name: `Pelapor Bench ${i}`, nik: null, description: 'Belum terdaftar PBI JK.' }, meta);
  registerTimes.push(performance.now() - t);
  registered.push(r.id);
}
summary('registerComplaint', registerTimes);

const moveTimes: number[] = [];
for (const id of registered) {
  const t = performance.now();
  await service.transition(viewer, { id, to: 'REFERRED', expectedVersion: 1, referredTo: 'DINKES', note: 'Dirujuk.' }, meta);
  moveTimes.push(performance.now() - t);
}
summary('transitionReferral', moveTimes);

const contested = registered[0];
const t0 = performance.now();
const outcomes = await Promise.allSettled(Array.from({ length: 20 }, (_, i) =>
  service.transition(viewer, { id: contested, to: 'REFERRED', expectedVersion: 2, referredTo: `AGENCY_${i}` }, meta)));
const wall = performance.now() - t0;
const won = outcomes.filter((o) => o.status === 'fulfilled').length;
const conflicts = outcomes.filter((o) => o.status === 'rejected' && o.reason instanceof PaduError && o.reason.code === 'CONFLICT').length;
const [{ n: events }] = await database.execute<{ n: number }>(sql`select count(*)::int as n from referral_events where referral_id = ${contested} and to_status = 'REFERRED'`);
console.log(`20 parallel transitions, same expectedVersion: ${won} winner, ${conflicts} CONFLICT, ${events - 1} new event, ${wall.toFixed(1)} ms wall`);

const listTimes: number[] = [];
for (let i = 0; i < 50; i++) {
  const t = performance.now();
  const page = await service.list(viewer, { filter: { inDtks: false, status: 'REGISTERED' }, first: 50 });
  await page.totalCount;
  listTimes.push(performance.now() - t);
}
summary('referrals(inDtks: false, status: REGISTERED) page of 50 + totalCount, regency scope', listTimes);
const [{ n: total }] = await database.execute<{ n: number }>(sql`select count(*)::int as n from referrals`);
console.log(`(${total} referrals in the database)`);
await database.close();
