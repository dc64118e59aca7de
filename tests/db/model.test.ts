import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGION_COUNT } from '../../src/db/regions-data.js';
import { migrate } from '../../src/db/migrate.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => db?.dispose());

const run = (query: ReturnType<typeof sql>) => db.database.execute(query);
const failure = async (query: ReturnType<typeof sql>) => {
  try {
    await run(query);
  } catch (error) {
    return String((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message);
  }
  throw new Error('statement was accepted');
};

describe('regions', () => {
  it('holds every region of Indonesia', async () => {
    const rows = await run(sql`select level, count(*)::int as n from regions group by level order by level`);
    expect(rows).toEqual([
      { level: 'PROVINCE', n: 38 }, { level: 'REGENCY', n: 514 }, { level: 'DISTRICT', n: 7285 }, { level: 'VILLAGE', n: 83762 },
    ]);
    expect(38 + 514 + 7285 + 83762).toBe(REGION_COUNT);
  });

  it('re-running the migrations changes nothing', async () => {
    expect(await migrate(db.database)).toEqual({ regionsLoaded: 0 });
  });
});

describe('constraints', () => {
  beforeAll(async () => {
    await run(sql`insert into households (id, village_code, desil) values ('H-C1', '35.09.01.2001', 3)`);
  });

  it('derives the regency code from the village', async () => {
    expect(await run(sql`select regency_code from households where id = 'H-C1'`)).toEqual([{ regency_code: '35.09' }]);
  });

  it.each([
    ['desil outside 1..10', sql`insert into households (id, village_code, desil) values ('H-C2', '35.09.01.2001', 11)`, /households_desil_range/],
    ['an unknown village', sql`insert into households (id, village_code) values ('H-C3', '35.09.01.9999')`, /foreign key/],
    ['a housing code out of range', sql`insert into households (id, village_code, floor) values ('H-C4', '35.09.01.2001', 10)`, /households_housing_codes/],
    ['a person of an unknown household', sql`insert into persons (id, household_id, village_code) values ('P-C1', 'H-NONE', '35.09.01.2001')`, /foreign key/],
    ['a person in another village than its household', sql`insert into persons (id, household_id, village_code) values ('P-C2', 'H-C1', '35.09.01.2002')`, /foreign key/],
    ['an enrolment ending before it starts', sql`insert into enrolments (id, program_code, status, village_code, start_date, end_date) values ('E-C1', 'PKH', 'ACTIVE', '35.09.01.2001', '2025-02-01', '2025-01-01')`, /enrolments_dates_ordered/],
    ['an enrolment of an unknown program', sql`insert into enrolments (id, program_code, status, village_code) values ('E-C2', 'NOPE', 'ACTIVE', '35.09.01.2001')`, /foreign key/],
    ['a civil-registry NIK that is not 16 digits', sql`insert into civil_registry (nik, name, name_norm, village_code) values ('123', 'A', 'a', '35.09.01.2001')`, /civil_registry_nik_shape/],
    ['a REFERRED referral without an agency', sql`insert into referrals (village_code, category, status, complainant_name, description) values ('35.09.01.2001', 'HEALTH', 'REFERRED', 'A', 'x')`, /referrals_referred_has_agency/],
    ['a program excluding itself', sql`insert into program_exclusions values ('PKH', 'PKH')`, /program_exclusions_not_self/],
    ['a malformed program code', sql`insert into programs (code, name, target_unit) values ('pkh lokal', 'x', 'FAMILY')`, /programs_code_shape/],
  ])('refuses %s', async (_label, statement, message) => {
    expect(await failure(statement)).toMatch(message);
  });

  it('moves members with their household (composite foreign key, ON UPDATE CASCADE)', async () => {
    await run(sql`insert into households (id, village_code) values ('H-M1', '35.09.01.2001')`);
    await run(sql`insert into persons (id, household_id, village_code) values ('P-M1', 'H-M1', '35.09.01.2001')`);
    await run(sql`update households set village_code = '35.76.01.1003' where id = 'H-M1'`);
    expect(await run(sql`select village_code, regency_code from persons where id = 'P-M1'`)).toEqual([{ village_code: '35.76.01.1003', regency_code: '35.76' }]);
  });
});

describe('audit trail', () => {
  it('is append-only for every database user', async () => {
    await run(sql`insert into audit_entries (actor, role, action, subject_type, subject_id, fields) values ('a', 'ADMIN', 'READ', 'Person', 'P1', '{nik}')`);
    expect(await failure(sql`update audit_entries set actor = 'someone else'`)).toMatch(/append-only: UPDATE refused/);
    expect(await failure(sql`delete from audit_entries`)).toMatch(/append-only: DELETE refused/);
    expect(await failure(sql`truncate audit_entries`)).toMatch(/append-only: TRUNCATE refused/);
    expect(await run(sql`select actor from audit_entries`)).toEqual([{ actor: 'a' }]);
  });
});
