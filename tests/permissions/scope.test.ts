import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addEnrolments, addHouseholds, addPersons, addReferrals, VILLAGES } from '../helpers/fixtures.js';

/**
 * One register with a Jember (35.09) family and a Mojokerto (35.76) family. A viewer scoped to
 * 35.76 must reach nothing of Jember, by any path, and every answer must look exactly like the
 * answer about a record that does not exist.
 */
let db: TestDatabase;
let app: TestApp;
const JEMBER_NIK = '3509010101800001';

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  await addHouseholds(db.database, [{ id: 'H-JBR', villageCode: VILLAGES.padomasan, desil: 1 }, { id: 'H-MJK', villageCode: VILLAGES.mentikan, desil: 1 }]);
  await addPersons(db.database, [
    { id: 'P-JBR', householdId: 'H-JBR', villageCode: VILLAGES.padomasan, nik: JEMBER_NIK, name: 'Rahmat Hidayat', birthDate: '1980-01-01' },
    { id: 'P-MJK', householdId: 'H-MJK', villageCode: VILLAGES.mentikan, nik: '3576010101800002', name: 'Rahmat Santoso', birthDate: '1980-01-01' },
  ]);
  await addEnrolments(db.database, [
    { id: 'E-JBR', programCode: 'PKH', villageCode: VILLAGES.padomasan, nik: JEMBER_NIK, name: 'Rahmat Hidayat', personId: 'P-JBR', householdId: 'H-JBR' },
    // Delivered in Mojokerto, but the listed person lives in Jember: the enrolment is visible,
    // the Jember person and household behind it are not.
    { id: 'E-MIX', programCode: 'BPNT', villageCode: VILLAGES.mentikan, nik: JEMBER_NIK, name: 'Rahmat Hidayat', personId: 'P-JBR', householdId: 'H-JBR' },
  ]);
  await addReferrals(db.database, [{ id: 'R-JBR', villageCode: VILLAGES.padomasan, personId: 'P-JBR', householdId: 'H-JBR', nik: JEMBER_NIK }]);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

const asMojokerto = (query: string, variables?: Record<string, unknown>) => app.as('MANAGER', ['35.76'], query, variables);
const asNational = (query: string, variables?: Record<string, unknown>) => app.as('ADMIN', ['*'], query, variables);

describe('a viewer scoped to 35.76', () => {
  it.each([
    ['household by id', '{ household(id: "H-JBR") { id } }', '{ household(id: "H-NONE") { id } }'],
    ['person by id', '{ person(id: "P-JBR") { id } }', '{ person(id: "P-NONE") { id } }'],
    ['person by NIK', `{ person(nik: "${JEMBER_NIK}") { id } }`, '{ person(nik: "3509019999999999") { id } }'],
  ])('gets null for a Jember %s, exactly as for a missing one', async (_label, query, missing) => {
    const [inScope, absent] = [await asMojokerto(query), await asMojokerto(missing)];
    expect(inScope).toEqual(absent);
    expect(Object.values(inScope.data!)[0]).toBeNull();
  });

  it('finds no Jember rows in lists, counts or search', async () => {
    const result = await asMojokerto(`{
      households { totalCount edges { node { id } } }
      persons { totalCount edges { node { id } } }
      enrolments { totalCount edges { node { id } } }
      byRegion: persons(filter: { regionCode: "35.09" }) { totalCount }
      searchPersons(name: "Rahmat") { person { id } }
      notEnrolled: households(filter: { notEnrolledIn: "PKH" }) { totalCount edges { node { id } } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      households: { totalCount: 1, edges: [{ node: { id: 'H-MJK' } }] },
      persons: { totalCount: 1, edges: [{ node: { id: 'P-MJK' } }] },
      enrolments: { totalCount: 1, edges: [{ node: { id: 'E-MIX' } }] },
      byRegion: { totalCount: 0 },
      searchPersons: [{ person: { id: 'P-MJK' } }],
      notEnrolled: { totalCount: 1, edges: [{ node: { id: 'H-MJK' } }] },
    });
  });

  it('reaches no Jember person or household nested under a visible enrolment', async () => {
    const result = await asMojokerto('{ enrolments { edges { node { id person { id } household { id members { id } } } } } }');
    expect(result.data!.enrolments.edges).toEqual([{ node: { id: 'E-MIX', person: null, household: null } }]);
  });

  it('sees none of the Jember referrals, history or audit entries', async () => {
    await asNational('{ person(id: "P-JBR") { nik referrals { id } } }');
    const result = await app.as('ADMIN', ['35.76'], `{
      person(id: "P-MJK") { referrals { id } household { referrals { id } } }
      auditLog(filter: { subjectId: "P-JBR" }) { totalCount }
    }`);
    expect(result.data).toEqual({ person: { referrals: [], household: { referrals: [] } }, auditLog: { totalCount: 0 } });
  });

  it('sees the same rows a national viewer sees when looking at Mojokerto', async () => {
    const query = '{ persons(filter: { regionCode: "35.76" }) { totalCount edges { node { id } } } }';
    expect(await asMojokerto(query)).toEqual(await asNational(query));
  });
});

describe('a PROGRAM_MANAGER of PKH', () => {
  it('sees only PKH enrolments, nested too', async () => {
    const result = await app.as('PROGRAM_MANAGER', ['*'], '{ enrolments { totalCount edges { node { id } } } person(id: "P-JBR") { enrolments { id } } }', {}, { programs: ['PKH'] });
    expect(result.data).toEqual({ enrolments: { totalCount: 1, edges: [{ node: { id: 'E-JBR' } }] }, person: { enrolments: [{ id: 'E-JBR' }] } });
  });
});
