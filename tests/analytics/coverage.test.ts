import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/viewer.js';
import { codes, createTestApp, type TestApp } from '../helpers/app.js';
import { captureStatements, openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addEnrolments, addHouseholds, VILLAGES } from '../helpers/fixtures.js';

/**
 * coverage (CONTRACT.md section 8) on named households of two Jember villages and one of
 * Mojokerto; every expected number below is counted by hand from the fixture comments.
 */
let db: TestDatabase;
let app: TestApp;
const V = VILLAGES;

const COVERAGE = `query($program: String!, $level: RegionLevel!, $regionCode: String, $eligibleDesilMax: Int) {
  coverage(program: $program, level: $level, regionCode: $regionCode, eligibleDesilMax: $eligibleDesilMax) {
    region { code level name } program { code }
    eligibleHouseholds enrolledHouseholds coveredEligibleHouseholds inclusionErrors exclusionErrors coverageRate } }`;

interface Row {
  region: { code: string; level: string; name: string }; program: { code: string };
  eligibleHouseholds: number; enrolledHouseholds: number; coveredEligibleHouseholds: number;
  inclusionErrors: number; exclusionErrors: number; coverageRate: number | null;
}

async function coverage(role: Role, regions: string[], args: Record<string, unknown>, programs?: string[]) {
  const result = await app.as<{ coverage: Row[] }>(role, regions, COVERAGE, args, programs ? { programs } : {});
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data!.coverage;
}
const numbers = (r: Row) => [r.eligibleHouseholds, r.enrolledHouseholds, r.coveredEligibleHouseholds, r.inclusionErrors, r.exclusionErrors, r.coverageRate];

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  await addHouseholds(db.database, [
    { id: 'H-A', villageCode: V.padomasan, desil: 1 }, // PKH ACTIVE twice (a duplicate listing): covered, one household
    { id: 'H-B', villageCode: V.padomasan, desil: 3 }, // nothing: exclusion
    { id: 'H-C', villageCode: V.padomasan, desil: 4 }, // PKH SUSPENDED only: exclusion
    { id: 'H-D', villageCode: V.padomasan, desil: 8 }, // PKH ACTIVE: inclusion (above the eligible deciles)
    { id: 'H-E', villageCode: V.padomasan, desil: null }, // PKH ACTIVE: inclusion (unranked)
    { id: 'H-F', villageCode: V.padomasan, desil: 2 }, // BPNT ACTIVE only: exclusion for PKH, covered for BPNT
    { id: 'H-G', villageCode: V.keting, desil: 4 }, // PKH ACTIVE: covered
    { id: 'H-H', villageCode: V.keting, desil: 6 }, // nothing
    { id: 'H-M', villageCode: V.mentikan, desil: 2 }, // enrolled only through E-CROSS, delivered in Padomasan
  ]);
  await addEnrolments(db.database, [
    { id: 'E-A1', programCode: 'PKH', villageCode: V.padomasan, householdId: 'H-A' },
    { id: 'E-A2', programCode: 'PKH', villageCode: V.padomasan, householdId: 'H-A' },
    { id: 'E-C', programCode: 'PKH', status: 'SUSPENDED', villageCode: V.padomasan, householdId: 'H-C' },
    { id: 'E-D', programCode: 'PKH', villageCode: V.padomasan, householdId: 'H-D' },
    { id: 'E-E', programCode: 'PKH', villageCode: V.padomasan, householdId: 'H-E' },
    { id: 'E-F', programCode: 'BPNT', villageCode: V.padomasan, householdId: 'H-F' },
    { id: 'E-G', programCode: 'PKH', villageCode: V.keting, householdId: 'H-G' },
    { id: 'E-NOBODY', programCode: 'PKH', villageCode: V.padomasan, householdId: null, name: 'Tidak Ada Di DTKS' },
    { id: 'E-NOBODY-ENDED', programCode: 'PKH', status: 'ENDED', villageCode: V.keting, householdId: null },
    { id: 'E-CROSS', programCode: 'PKH', villageCode: V.padomasan, householdId: 'H-M' },
  ]);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

describe('coverage: exact numbers for roles with identity access', () => {
  it('per village of Jember: eligible, enrolled, covered, inclusion and exclusion errors, rate', async () => {
    const rows = await coverage('ADMIN', ['*'], { program: 'PKH', level: 'VILLAGE', regionCode: '35.09' });
    expect(rows.map((r) => r.region.code)).toEqual([V.padomasan, V.keting]);
    // Padomasan: eligible A B C F; enrolled A D E; covered A; inclusion D E + E-NOBODY; exclusion B C F.
    expect(numbers(rows[0])).toEqual([4, 3, 1, 3, 3, 0.25]);
    expect(numbers(rows[1])).toEqual([1, 1, 1, 0, 0, 1]);
    expect(rows[0]).toMatchObject({ region: { level: 'VILLAGE', name: expect.any(String) }, program: { code: 'PKH' } });
  });

  it('the whole scope by default, at every level', async () => {
    const villages = await coverage('ADMIN', ['*'], { program: 'PKH', level: 'VILLAGE' });
    expect(villages.map((r) => r.region.code)).toEqual([V.padomasan, V.keting, V.mentikan]);
    // Mentikan's household is covered through an enrolment delivered in Padomasan.
    expect(numbers(villages[2])).toEqual([1, 1, 1, 0, 0, 1]);
    const districts = await coverage('ADMIN', ['*'], { program: 'PKH', level: 'DISTRICT' });
    expect(districts.map((r) => [r.region.code, ...numbers(r)])).toEqual([['35.09.01', 5, 4, 2, 3, 3, 0.4], ['35.76.01', 1, 1, 1, 0, 0, 1]]);
    const provinces = await coverage('ADMIN', ['*'], { program: 'PKH', level: 'PROVINCE' });
    expect(provinces.map((r) => [r.region.code, ...numbers(r)])).toEqual([['35', 6, 5, 3, 3, 3, 0.5]]);
    expect((await coverage('ADMIN', ['*'], { program: 'PKH', level: 'REGENCY', regionCode: '35.09' })).map((r) => r.region.code)).toEqual(['35.09']);
  });

  it('eligibleDesilMax moves the line between exclusion and inclusion', async () => {
    const [padomasan] = await coverage('MANAGER', ['35.09.01.2001'], { program: 'PKH', level: 'VILLAGE', eligibleDesilMax: 8 });
    // Eligible A B C D F; covered A D; enrolled A D E; inclusion E + E-NOBODY + E-CROSS (its household is out of scope).
    expect(numbers(padomasan)).toEqual([5, 3, 2, 3, 3, 0.4]);
    const [one] = await coverage('ADMIN', ['*'], { program: 'PKH', level: 'VILLAGE', regionCode: V.padomasan, eligibleDesilMax: 1 });
    expect(numbers(one)).toEqual([1, 3, 1, 3, 0, 1]);
  });

  it('another program counts its own enrolments', async () => {
    const [padomasan] = await coverage('ADMIN', ['*'], { program: 'BPNT', level: 'VILLAGE', regionCode: V.padomasan });
    expect(numbers(padomasan)).toEqual([4, 1, 1, 0, 3, 0.25]);
    const none = await coverage('ADMIN', ['*'], { program: 'RTLH', level: 'VILLAGE', regionCode: V.keting });
    expect(numbers(none[0])).toEqual([1, 0, 0, 0, 1, 0]);
  });
});

describe('coverage: scope', () => {
  it('a Jember viewer never counts Mojokerto, and an enrolment whose household it cannot see resolves to nobody', async () => {
    const rows = await coverage('MANAGER', ['35.09'], { program: 'PKH', level: 'VILLAGE' });
    expect(rows.map((r) => r.region.code)).toEqual([V.padomasan, V.keting]);
    expect(numbers(rows[0])).toEqual([4, 3, 1, 4, 3, 0.25]);
    expect(await coverage('MANAGER', ['35.09'], { program: 'PKH', level: 'VILLAGE', regionCode: '35.76' })).toEqual([]);
  });

  it('a Mojokerto viewer does not see the Jember enrolment that covers its household', async () => {
    const rows = await coverage('SUPERVISOR', ['35.76'], { program: 'PKH', level: 'VILLAGE' });
    expect(rows.map((r) => [r.region.code, ...numbers(r)])).toEqual([[V.mentikan, 1, 0, 0, 0, 1, 0]]);
  });

  it('a district viewer asking per regency gets its district counted under the regency', async () => {
    const rows = await coverage('FACILITATOR', ['35.09.01'], { program: 'PKH', level: 'REGENCY' });
    expect(rows.map((r) => [r.region.code, ...numbers(r)])).toEqual([['35.09', 5, 4, 2, 4, 3, 0.4]]);
    expect(rows[0].region.name).toBeTruthy();
  });

  it('a PROGRAM_MANAGER covers only its programs', async () => {
    expect(numbers((await coverage('PROGRAM_MANAGER', ['35.09'], { program: 'PKH', level: 'VILLAGE' }, ['PKH']))[0])).toEqual([4, 3, 1, 4, 3, 0.25]);
    expect(await coverage('PROGRAM_MANAGER', ['35.09'], { program: 'PKH', level: 'VILLAGE' }, ['BPNT'])).toEqual([]);
    expect(await coverage('PROGRAM_MANAGER', ['*'], { program: 'BPNT', level: 'PROVINCE' }, ['PKH', 'PBI_JK'])).toEqual([]);
  });

  it.each(['EXTERNAL_APP', 'AUDITOR'] as const)('%s gets FORBIDDEN and no numbers', async (role) => {
    const result = await app.as(role, ['*'], COVERAGE, { program: 'PKH', level: 'VILLAGE' });
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(result.data ?? null).toBeNull();
  });

  it.each(['ADMIN', 'MANAGER', 'SUPERVISOR', 'FACILITATOR', 'PROGRAM_MANAGER', 'ANALYST'] as const)('%s may ask', async (role) => {
    const rows = await coverage(role, ['35.09'], { program: 'PKH', level: 'DISTRICT' }, role === 'PROGRAM_MANAGER' ? ['PKH'] : undefined);
    expect(rows.map((r) => r.region.code)).toEqual(['35.09.01']);
  });

  it('one statement for the numbers (region and program names come from the request\'s loaders)', async () => {
    const token = await app.token('MANAGER', ['35.09']);
    const { result, statements } = await captureStatements(db.database, () => app.execute(
      `query { coverage(program: "PKH", level: VILLAGE) { eligibleHouseholds coverageRate } }`, {}, { token }));
    expect(result.errors).toBeUndefined();
    // The program check (loader) and the coverage statement.
    expect(statements.filter((s) => /group by/i.test(s))).toHaveLength(1);
    expect(statements).toHaveLength(2);
  });
});

describe('coverage: bad input', () => {
  const bad: Array<[string, Record<string, unknown>, RegExp]> = [
    ['an unknown program', { program: 'NOPE', level: 'VILLAGE' }, /program must be the code of a known program, got "NOPE"/],
    ['a hostile program', { program: "PKH'); drop table households; --", level: 'VILLAGE' }, /program must be a program code/],
    ['a level above the region', { program: 'PKH', level: 'PROVINCE', regionCode: '35.09' }, /level PROVINCE is above regionCode "35.09" \(a REGENCY\)/],
    ['a district level inside a village', { program: 'PKH', level: 'DISTRICT', regionCode: V.padomasan }, /level DISTRICT is above regionCode/],
    ['eligibleDesilMax 0', { program: 'PKH', level: 'VILLAGE', eligibleDesilMax: 0 }, /eligibleDesilMax must be between 1 and 10, got 0/],
    ['eligibleDesilMax 11', { program: 'PKH', level: 'VILLAGE', eligibleDesilMax: 11 }, /eligibleDesilMax must be between 1 and 10, got 11/],
    ['a malformed region', { program: 'PKH', level: 'VILLAGE', regionCode: '35.09.%' }, /regionCode must be a Kemendagri region code/],
    ['a huge region', { program: 'PKH', level: 'VILLAGE', regionCode: '9'.repeat(50_000) }, /regionCode must be a Kemendagri region code/],
  ];
  it.each(bad)('%s', async (_label, args, message) => {
    const result = await app.as('ADMIN', ['*'], COVERAGE, args);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toMatch(message);
    expect(result.data ?? null).toBeNull();
  });
});
