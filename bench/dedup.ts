/**
 * Duplicate-scan benchmark on the 1M-person register of bench/fill.sql.ts (CONTRACT.md section 6,
 * issue 10 "Measure"):
 *
 *   grow          (once) adds enrolments in SQL until the register holds about --enrolments
 *                 (default 1,000,000): PIP for children, BLT_DD for heads (some beside PKH: exclusive),
 *                 more PBI_JK, and planted duplicates: the same NIK twice, and a second listing under
 *                 a NIK with one serial digit changed and the name re-typed (probable)
 *   full-scan     scanDuplicates as a national ADMIN from an empty candidate table, in process:
 *                 time and this process's peak RSS (the work stays in PostgreSQL)
 *   incremental   after 1,000 changed enrolments (names re-typed, NIK typos, some ENDED): time
 *   page          duplicateEnrolments pages of 100 with enrolments { nik name program person { name } },
 *                 walking the list, in process through Apollo: p50/p95, as a national ADMIN and as
 *                 a regency's PROGRAM_MANAGER
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/padu_bench_i10 npm run bench:dedup [-- --enrolments 1000000] [--pages 100]
 *
 * Numbers, not pass/fail. Run it under the bench lock: flock /tmp/padu-bench.lock npm run bench:dedup.
 */
import { HeaderMap } from '@apollo/server';
import { sql } from 'drizzle-orm';
import { loadavg } from 'node:os';
import { signToken } from '../src/auth/tokens.js';
import type { Viewer } from '../src/auth/viewer.js';
import { loadConfig } from '../src/config.js';
import { createServices, type AppDeps } from '../src/context.js';
import { Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { buildPaduSchema } from '../src/graphql/schema.js';
import { createLogger } from '../src/lib/logger.js';
import { DuplicateScanner } from '../src/modules/duplicates/duplicates.scan.js';
import { contextFromHeaders, createApollo } from '../src/server.js';

const SECRET = 'bench-secret-0123456789-0123456789-abcdef';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const rssMb = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await fn();
  process.stdout.write(`${label.padEnd(44)} ${((performance.now() - started) / 1000).toFixed(2).padStart(8)} s   (peak RSS ${rssMb()} MB, load ${load()})\n`);
  return result;
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('set DATABASE_URL to a clone of the database filled by npm run bench:fill');
  const target = arg('enrolments', 1_000_000);
  const pages = arg('pages', 100);
  const database = await Database.openPostgres(url, { max: 4 });
  const run = (query: ReturnType<typeof sql>) => database.execute(query);
  await timed('migrate', () => migrate(database));

  const [{ n: before }] = await database.execute<{ n: number }>(sql`select count(*)::int as n from enrolments`);
  if (before < target * 0.9) {
    await timed(`grow enrolments from ${before} to ~${target}`, async () => {
      // Grown rows carry an old updated_at: they are not "changed since the last scan".
      const old = '2026-01-01 00:00:00+00';
      const share = Math.min(1, (target - before) / 600_000);
      await run(sql`
        insert into enrolments (id, program_code, status, start_date, village_code, nik, nik_valid, kk_number, name, name_norm,
                                birth_date, person_id, household_id, amount, created_at, updated_at)
        select e.id, e.program, (case when e.k % 13 = 0 then 'SUSPENDED' when e.k % 17 = 0 then 'ENDED' else 'ACTIVE' end)::enrolment_status,
          date '2023-01-01' + (e.k % 700)::int, p.village_code, p.nik, p.nik_valid, p.kk_number, p.name, p.name_norm, p.birth_date,
          p.id, p.household_id, case e.program when 'PIP' then 450000 when 'BLT_DD' then 300000 else 42000 end, ${old}::timestamptz, ${old}::timestamptz
        from (
          select 'P' || p.id as id, 'PIP' as program, p.id as person_id, abs(hashtext(p.id || 'pip')) as k
            from persons p where p.relationship = 'CHILD' and abs(hashtext(p.id || 'pip')) % 1000 < ${Math.round(600 * share)}
          union all
          select 'L' || p.id, 'BLT_DD', p.id, abs(hashtext(p.id || 'blt'))
            from persons p where p.relationship = 'HEAD' and substr(p.household_id, 2)::int % 4 = 1
          union all
          select 'Q' || p.id, 'PBI_JK', p.id, abs(hashtext(p.id || 'pbi2'))
            from persons p where abs(hashtext(p.id || 'pbi')) % 5 = 1 and abs(hashtext(p.id || 'q')) % 1000 < ${Math.round(1000 * share)}
        ) e join persons p on p.id = e.person_id
        on conflict (id) do nothing`);
      // Planted duplicates among PBI_JK: the same NIK listed twice (SAME_NIK) and a second listing
      // with one serial digit changed and the name in capitals with a title (PROBABLE_SAME_PERSON).
      await run(sql`
        insert into enrolments (id, program_code, status, start_date, village_code, nik, nik_valid, kk_number, name, name_norm,
                                birth_date, person_id, household_id, amount, created_at, updated_at)
        select 'D' || e.id, 'PBI_JK', 'ACTIVE', e.start_date, e.village_code,
          case when abs(hashtext(e.id)) % 2 = 0 then e.nik else left(e.nik, 15) || ((right(e.nik, 1)::int + 3) % 10)::text end,
          e.nik_valid, e.kk_number, case when abs(hashtext(e.id)) % 2 = 0 then e.name else 'H. ' || upper(e.name) end, e.name_norm,
          e.birth_date, e.person_id, e.household_id, e.amount, ${old}::timestamptz, ${old}::timestamptz
        from enrolments e
        where e.program_code = 'PBI_JK' and e.nik_valid and abs(hashtext(e.id || 'dup')) % 1000 < 8
        on conflict (id) do nothing`);
    });
    await timed('analyze', () => run(sql`analyze`));
  }
  const counts = await database.execute<{ program_code: string; n: number }>(sql`
    select program_code, count(*)::int as n from enrolments group by 1 order by 1`);
  process.stdout.write(`enrolments: ${counts.map((c) => `${c.program_code} ${c.n}`).join(', ')}; total ${counts.reduce((s, c) => s + c.n, 0)}\n`);

  const admin: Viewer = { id: 'bench-admin', role: 'ADMIN', regions: ['*'], programs: [], via: 'token' };
  const scanner = new DuplicateScanner(database);
  await run(sql`truncate duplicate_candidates, duplicate_scans restart identity cascade`);
  const steps: string[] = [];
  let stepStart = performance.now();
  const full = await timed('full scan (national, every program)', () => scanner.scan(admin, {}, { operation: 'bench', requestId: null }, {
    full: true,
    onProgress: (_d, _t, step) => {
      steps.push(`${step} ${((performance.now() - stepStart) / 1000).toFixed(1)} s`);
      stepStart = performance.now();
    },
  }));
  process.stdout.write(`  steps: ${steps.join(', ')}\n`);
  process.stdout.write(`  ${full.compared} compared; ${full.byKind.map((k) => `${k.kind} ${k.candidates}`).join(', ')}\n`);

  // 1,000 changed enrolments, as an import of corrections would leave them.
  await run(sql`
    with picked as (
      select id from enrolments where status <> 'ENDED' order by md5(id || 'change') limit 1000
    )
    update enrolments e set
      name = case when abs(hashtext(e.id)) % 3 = 0 then upper(e.name) else e.name end,
      nik = case when abs(hashtext(e.id)) % 3 = 1 and e.nik_valid then left(e.nik, 15) || ((right(e.nik, 1)::int + 1) % 10)::text else e.nik end,
      status = case when abs(hashtext(e.id)) % 3 = 2 then 'ENDED'::enrolment_status else e.status end,
      updated_at = now()
    from picked where e.id = picked.id`);
  const incremental = await timed('incremental scan after 1,000 changes', () => scanner.scan(admin, {}, { operation: 'bench', requestId: null }));
  process.stdout.write(`  ${incremental.compared} compared (incremental: ${incremental.incremental}); new ${incremental.newCandidates}\n`);
  const again = await timed('scan again (nothing changed)', () => scanner.scan(admin, {}, { operation: 'bench', requestId: null }));
  process.stdout.write(`  ${again.compared} compared; new ${again.newCandidates}\n`);

  // duplicateEnrolments pages through Apollo, in process.
  const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: SECRET, DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const deps: AppDeps = { database, config, jwtSecret: SECRET, services: createServices(database), logger: createLogger('silent') };
  const apollo = createApollo(await buildPaduSchema(), deps);
  await apollo.start();
  const [{ regency }] = await database.execute<{ regency: string }>(sql`
    select regency_code as regency from duplicate_candidates group by 1 order by count(*) desc limit 1`);
  const query = `query($after: String, $filter: DuplicateFilter) { duplicateEnrolments(first: 100, after: $after, filter: $filter) {
    pageInfo { hasNextPage endCursor }
    edges { node { id kind score evidence enrolments { id nik name program { code } person { id name } } } } } }`;
  for (const [label, claims, filter] of [
    ['national ADMIN', { sub: 'bench-admin', role: 'ADMIN', regions: ['*'], programs: [] }, {}],
    [`PROGRAM_MANAGER PBI_JK ${regency}`, { sub: 'bench-pm', role: 'PROGRAM_MANAGER', regions: [regency], programs: ['PBI_JK'] }, { status: 'OPEN' }],
  ] as const) {
    const token = await signToken(claims as never, SECRET);
    const times: number[] = [];
    let after: string | null = null;
    for (let i = 0; i < pages; i++) {
      const headers = new HeaderMap([['content-type', 'application/json'], ['authorization', `Bearer ${token}`]]);
      const started = performance.now();
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query, variables: { after, filter } } },
        context: () => contextFromHeaders(deps, headers),
      });
      times.push(performance.now() - started);
      if (response.body.kind !== 'complete') throw new Error('incremental response');
      const body = JSON.parse(response.body.string);
      if (body.errors) throw new Error(JSON.stringify(body.errors).slice(0, 300));
      const info = body.data.duplicateEnrolments.pageInfo;
      if (!info.hasNextPage) break;
      after = info.endCursor;
    }
    const s = [...times].sort((a, b) => a - b);
    process.stdout.write(`page of 100 (${label}) n=${s.length} p50 ${percentile(s, 50).toFixed(1)} ms  p95 ${percentile(s, 95).toFixed(1)} ms  max ${s.at(-1)!.toFixed(1)} ms\n`);
  }
  await apollo.stop();
  process.stdout.write(`peak RSS of this process ${rssMb()} MB; load average ${load()}\n`);
  await database.close();
}

main().catch((error) => {
  process.stderr.write(`bench:dedup: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
