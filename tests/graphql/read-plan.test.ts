import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, createTestApp, type TestApp } from '../helpers/app.js';
import { captureStatements, openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addEnrolments, addHouseholds, addPersons, VILLAGES } from '../helpers/fixtures.js';

/**
 * The read planner (src/graphql/read-plan.ts) against the loaders it replaces: same answers,
 * same scope, one statement, never a denied column.
 */
let db: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  await addHouseholds(db.database, [
    { id: 'H-RP1', villageCode: VILLAGES.padomasan, desil: 1 },
    { id: 'H-RP2', villageCode: VILLAGES.mentikan, desil: 3 },
  ]);
  await addPersons(db.database, [
    { id: 'P-RP1', householdId: 'H-RP1', villageCode: VILLAGES.padomasan, nik: '3509014101900001', name: 'Wati', birthDate: '1990-01-01' },
    { id: 'P-RP2', householdId: 'H-RP1', villageCode: VILLAGES.padomasan, nik: '3509014101900002', name: 'Tono' },
    { id: 'P-RP3', householdId: 'H-RP2', villageCode: VILLAGES.mentikan, nik: '3576014101900003', name: 'Yanto' },
  ]);
  await addEnrolments(db.database, [
    { id: 'E-RP1', programCode: 'PKH', villageCode: VILLAGES.padomasan, personId: 'P-RP1', householdId: 'H-RP1', status: 'ACTIVE' },
    { id: 'E-RP2', programCode: 'BPNT', villageCode: VILLAGES.padomasan, personId: 'P-RP1', householdId: 'H-RP1', status: 'SUSPENDED' },
    // Delivered in Mojokerto to a Jember family: out of a Jember viewer's scope, nested too.
    { id: 'E-RP3', programCode: 'PKH', villageCode: VILLAGES.mentikan, personId: 'P-RP1', householdId: 'H-RP1', status: 'ACTIVE' },
  ]);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

const PERSONS = `query($s: Boolean!) { persons(first: 10) { edges { node { id
  active: enrolments(status: ACTIVE) { id status program { code } }
  all: enrolments { id }
  ...H
  name @skip(if: $s)
} } } }
fragment H on Person { household { id members { id } enrolments { id } } }`;

describe('planned reads', () => {
  it('answers aliases with different arguments, fragments and @skip like the loaders, in one statement', async () => {
    const planned = await captureStatements(db.database, () => app.as('MANAGER', ['35.09'], PERSONS, { s: true }));
    expect(planned.result.errors).toBeUndefined();
    expect(planned.statements).toHaveLength(1);
    const byId = Object.fromEntries(planned.result.data!.persons.edges.map((e: any) => [e.node.id, e.node]));
    expect(byId['P-RP1']).toEqual({
      id: 'P-RP1',
      active: [{ id: 'E-RP1', status: 'ACTIVE', program: { code: 'PKH' } }],
      all: [{ id: 'E-RP1' }, { id: 'E-RP2' }],
      household: { id: 'H-RP1', members: [{ id: 'P-RP1' }, { id: 'P-RP2' }], enrolments: [{ id: 'E-RP1' }, { id: 'E-RP2' }] },
    });
    expect(Object.keys(byId)).toEqual(['P-RP1', 'P-RP2']);
    // The same selection through the loaders (a person by id is not planned) gives the same answer.
    const loaded = await app.as('MANAGER', ['35.09'], `query($s: Boolean!) { person(id: "P-RP1") { id
      active: enrolments(status: ACTIVE) { id status program { code } } all: enrolments { id } ...H name @skip(if: $s) } }
      fragment H on Person { household { id members { id } enrolments { id } } }`, { s: true });
    expect(loaded.data!.person).toEqual(byId['P-RP1']);
  });

  it('keeps a PROGRAM_MANAGER to its programs in planned nested enrolments', async () => {
    const result = await app.as('PROGRAM_MANAGER', ['35'], '{ households(first: 10) { edges { node { id enrolments { id } members { enrolments { id } } } } } }');
    expect(result.errors).toBeUndefined();
    const ids = JSON.stringify(result.data);
    expect(ids).toContain('E-RP1');
    expect(ids).toContain('E-RP3');
    expect(ids).not.toContain('E-RP2');
  });

  it('never selects a column the viewer is denied, and still answers FORBIDDEN at its path', async () => {
    const { result, statements } = await captureStatements(db.database, () =>
      app.as('ANALYST', ['35.09'], '{ persons(first: 1) { edges { node { id age name household { desil address } } } } }'));
    expect(codes(result)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(result.errors!.map((e) => e.path!.join('.')).sort()).toEqual(['persons.edges.0.node.household.address', 'persons.edges.0.node.name']);
    expect(result.data!.persons.edges[0].node).toMatchObject({ id: 'P-RP1', name: null, household: { desil: 1, address: null } });
    expect(result.data!.persons.edges[0].node.age).toBeTypeOf('number');
    expect(statements[0]).not.toMatch(/\.name\b/);
    expect(statements[0]).not.toMatch(/\.address\b/);
  });
});
