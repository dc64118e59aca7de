import { sql } from 'drizzle-orm';
import { Database } from './src/db/client.js';
import { migrate } from './src/db/migrate.js';
import { seedDemo } from './seeds/demo.js';
import { DuplicateScanner } from './src/modules/duplicates/duplicates.scan.js';
const url = process.env.DATABASE_URL;
const d = url ? await Database.openPostgres(url) : await Database.openPglite('memory://');
await migrate(d);
const [{ n }] = await d.execute<{ n: number }>(sql`select count(*)::int as n from households`);
if (n === 0) await seedDemo(d);
let t = performance.now();
const r = await new DuplicateScanner(d).scan({ id: 'x', role: 'ADMIN', regions: ['*'], programs: [], via: 'token' }, {}, { operation: null, requestId: null },
  { full: true, onProgress: (_d, _t, step) => { console.log(step, Math.round(performance.now() - t)); t = performance.now(); } });
console.log(JSON.stringify(r));
await d.close();
