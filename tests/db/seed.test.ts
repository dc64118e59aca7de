import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_REGENCIES, generateDemo, seedDemo, type DemoCounts } from '../../seeds/demo.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
let counts: DemoCounts;
const one = async <T,>(query: ReturnType<typeof sql>) => (await db.database.execute<T>(query))[0];

beforeAll(async () => {
  db = await openTestDatabase();
  counts = await seedDemo(db.database);
});
afterAll(async () => db?.dispose());

describe('demo data set', () => {
  it('is deterministic', () => {
    const villages = new Map(DEMO_REGENCIES.map((r) => [r.code, [`${r.code}.01.2001`, `${r.code}.01.2002`]]));
    const a = generateDemo(villages);
    const b = generateDemo(villages);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it('holds a few thousand households in the five regencies', async () => {
    expect(counts.households).toBe(2600);
    expect(counts.persons).toBeGreaterThan(9000);
    const regencies = await db.database.execute<{ regency_code: string }>(sql`select distinct regency_code from households order by 1`);
    expect(regencies.map((r) => r.regency_code)).toEqual(['13.72', '21.04', '35.09', '35.76', '63.04']);
  });

  it('has multi-family households and enrolments in every program', async () => {
    const multi = await one<{ n: number }>(sql`select count(*)::int as n from (select household_id from persons group by 1 having count(distinct kk_number) > 1) x`);
    expect(multi.n).toBeGreaterThan(200);
    const programs = await db.database.execute<{ program_code: string }>(sql`select distinct program_code from enrolments order by 1`);
    expect(programs.map((p) => p.program_code)).toEqual(['BLT_DD', 'BPNT', 'PBI_JK', 'PIP', 'PKH', 'RTLH']);
  });

  it('contains the data-quality problems the service exists to find', async () => {
    const q = await one<Record<string, number>>(sql`select
      (select count(*)::int from persons where nik is null) as missing_nik,
      (select count(*)::int from persons where nik is not null and not nik_valid) as invalid_nik,
      (select count(*)::int from (select nik from persons where nik is not null group by nik having count(*) > 1) d) as duplicate_niks,
      (select count(*)::int from enrolments e join civil_registry c on c.nik = e.nik where c.death_date is not null and e.status = 'ACTIVE') as deceased_active,
      (select count(*)::int from persons p join civil_registry c on c.nik = p.nik where c.name_norm <> p.name_norm) as name_differs,
      (select count(*)::int from (select program_code, nik from enrolments where nik is not null group by 1, 2 having count(*) > 1) d) as same_nik_enrolments,
      (select count(*)::int from enrolments a join enrolments b on a.kk_number = b.kk_number and a.program_code = 'BLT_DD' and b.program_code = 'PKH') as exclusive_pairs,
      (select count(*)::int from enrolments where person_id is null) as unlinked,
      (select count(*)::int from households h where desil <= 4 and not exists (select 1 from enrolments e where e.household_id = h.id and e.program_code = 'PKH' and e.status = 'ACTIVE')) as poor_left_out,
      (select count(*)::int from referrals where not in_dtks) as dtks_proposals`);
    for (const [problem, n] of Object.entries(q)) expect(n, problem).toBeGreaterThan(5);
  });

  it('resolved enrolments to persons and households', async () => {
    const r = await one<{ linked: number; total: number }>(sql`select count(person_id)::int as linked, count(*)::int as total from enrolments`);
    expect(r.linked / r.total).toBeGreaterThan(0.9);
  });

  it('refuses to load into a register that already holds households', async () => {
    await expect(seedDemo(db.database)).rejects.toThrow(/already holds households/);
  });
});
