import { sql } from 'drizzle-orm';
import { Database } from './src/db/client.js';
import { sameNikInsert, exclusiveProgramsInsert } from './src/modules/duplicates/duplicates.exact.sql.js';
const d = await Database.openPostgres(process.env.DATABASE_URL!);
await d.db.transaction(async (tx) => {
  const run = (q: any) => d.execute(q, tx);
  await run(sql`create temporary table dedup_delta (id text primary key) on commit drop`);
  await run(sql`create temporary table dedup_affected (id text primary key) on commit drop`);
  await run(sql`create temporary table dedup_found (kind text not null, fingerprint text not null, member_ids text[] not null, score float8 not null, evidence text[] not null) on commit drop`);
  await run(sql`analyze enrolments`); await run(sql`insert into dedup_delta select id from enrolments`);
  await run(sql`insert into dedup_affected select id from enrolments`);
  await run(sql`analyze dedup_delta`); await run(sql`analyze dedup_affected`);
  const which = process.argv[2] === 'excl' ? exclusiveProgramsInsert() : sameNikInsert();
  const rows = await run(sql`explain analyze ${which}`);
  console.log(rows.map((r: any) => r['QUERY PLAN']).join('\n'));
});
await d.close();
