import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/viewer.js';
import { createTestApp, type GraphQLResult, type TestApp } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addEnrolments, addHouseholds, addPersons, addReferralEvents, addReferrals, VILLAGES } from '../helpers/fixtures.js';

let db: TestDatabase;
let app: TestApp;

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  await addHouseholds(db.database, [{ id: 'H-RM', villageCode: VILLAGES.padomasan, desil: 2, address: 'Jl. Mawar 3', rt: '004', rw: '001' }]);
  await addPersons(db.database, [{
    id: 'P-RM', householdId: 'H-RM', villageCode: VILLAGES.padomasan, nik: '3509014501900001', kkNumber: '3509010101200001',
    name: 'Siti Aminah', sex: 'F', birthDate: '1990-01-05', disability: true, chronicIllness: false, ppks: ['FAKIR_MISKIN'],
  }]);
  await addEnrolments(db.database, [{
    id: 'E-RM', programCode: 'PKH', villageCode: VILLAGES.padomasan, nik: '3509014501900001', name: 'Siti Aminah',
    kkNumber: '3509010101200001', personId: 'P-RM', householdId: 'H-RM',
  }]);
  await addReferrals(db.database, [{
    id: 'R-RM', villageCode: VILLAGES.padomasan, complainantName: 'Siti Aminah', nik: '3509014501900001',
    description: 'Anak sakit, belum punya BPJS.', personId: 'P-RM', householdId: 'H-RM', inDtks: true,
  }]);
  await addReferralEvents(db.database, [{ referralId: 'R-RM', regencyCode: '35.09', toStatus: 'REGISTERED', actor: 'fo-1', note: 'Diterima.' }]);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

/** Every guarded field of CONTRACT.md section 4, with the roles that may read it. */
const OFFICE: Role[] = ['ADMIN', 'MANAGER', 'SUPERVISOR', 'FACILITATOR'];
const MATRIX: Record<string, Role[]> = {
  'person.nik': [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP'],
  'person.kkNumber': [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP'],
  'person.name': [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP'],
  'person.birthDate': [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP'],
  'person.nikMasked': [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST'],
  'person.age': [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST'],
  'person.sex': [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST'],
  'person.ppks': [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST'],
  'person.presence': [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST'],
  'person.relationship': [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST'],
  'person.disability': OFFICE,
  'person.chronicIllness': OFFICE,
  'household.address': [...OFFICE, 'EXTERNAL_APP'],
  'household.rt': [...OFFICE, 'EXTERNAL_APP'],
  'household.rw': [...OFFICE, 'EXTERNAL_APP'],
  'enrolment.nik': [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP'],
  'enrolment.name': [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP'],
  'enrolment.kkNumber': [...OFFICE, 'PROGRAM_MANAGER', 'EXTERNAL_APP'],
  'referral.complainantName': OFFICE,
  'referral.nik': OFFICE,
  'referral.description': OFFICE,
};

const QUERY = `{
  person(id: "P-RM") { id nik kkNumber name birthDate nikMasked age sex ppks presence relationship disability chronicIllness
    referrals { id status complainantName nik description } }
  household(id: "H-RM") { id desil address rt rw }
  enrolments(first: 5) { edges { node { id status nik name kkNumber } } }
}`;

const ROLES: Role[] = ['ADMIN', 'MANAGER', 'SUPERVISOR', 'FACILITATOR', 'PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST', 'AUDITOR'];

function valueAt(data: any, field: string) {
  const [object, name] = field.split('.');
  if (object === 'person') return data?.person?.[name];
  if (object === 'household') return data?.household?.[name];
  if (object === 'enrolment') return data?.enrolments?.edges?.[0]?.node?.[name];
  return data?.person?.referrals?.[0]?.[name];
}
const pathOf = (field: string) => {
  const [object, name] = field.split('.');
  return {
    person: `person.${name}`, household: `household.${name}`, enrolment: `enrolments.edges.0.node.${name}`,
    referral: `person.referrals.0.${name}`,
  }[object]!;
};

describe.each(ROLES.filter((r) => r !== 'AUDITOR'))('role %s', (role) => {
  let result: GraphQLResult;
  beforeAll(async () => {
    result = await app.as(role, ['35.09'], QUERY, {}, role === 'PROGRAM_MANAGER' ? { programs: ['PKH'] } : {});
  });

  it.each(Object.keys(MATRIX))('%s is readable or FORBIDDEN as the field table says', (field) => {
    const forbidden = (result.errors ?? []).filter((e) => e.path?.join('.') === pathOf(field));
    if (MATRIX[field].includes(role)) {
      expect(forbidden).toEqual([]);
      expect(valueAt(result.data, field)).not.toBeNull();
    } else {
      expect(forbidden.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
      expect(valueAt(result.data, field)).toBeNull();
    }
  });

  it('keeps the rest of the response intact', () => {
    expect(result.data?.person?.id).toBe('P-RM');
    expect(result.data?.household).toMatchObject({ id: 'H-RM', desil: 2 });
    expect(result.data?.enrolments.edges[0].node).toMatchObject({ id: 'E-RM', status: 'ACTIVE' });
    expect(result.data?.person.referrals[0]).toMatchObject({ id: 'R-RM', status: 'REGISTERED' });
    expect((result.errors ?? []).every((e) => e.extensions?.code === 'FORBIDDEN')).toBe(true);
  });
});

describe('AUDITOR', () => {
  it('reads only me, regions, programs and auditLog', async () => {
    const ok = await app.as('AUDITOR', ['*'], '{ me { role } regions { code } programs { code } auditLog(first: 1) { totalCount } }');
    expect(ok.errors).toBeUndefined();
    for (const query of ['{ person(id: "P-RM") { id } }', '{ household(id: "H-RM") { id } }', '{ persons { totalCount } }',
      '{ enrolments { totalCount } }', '{ households { totalCount } }', '{ searchPersons(name: "Siti") { score } }',
      '{ importBatch(id: "00000000-0000-0000-0000-000000000000") { id } }']) {
      const result = await app.as('AUDITOR', ['*'], query);
      expect(result.errors?.map((e) => e.extensions?.code), query).toEqual(['FORBIDDEN']);
    }
  });
});

describe('operations by role', () => {
  it.each(ROLES.filter((r) => r !== 'ADMIN'))('refuses importRecords and importBatch to %s', async (role) => {
    const result = await app.as(role, ['*'], 'mutation { importRecords(kind: PROGRAMS, csv: "code,name,target_unit,exclusive_with\\nX1,X,FAMILY,") { id } }', {}, role === 'PROGRAM_MANAGER' ? { programs: ['PKH'] } : {});
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it.each(ROLES.filter((r) => r !== 'ADMIN' && r !== 'AUDITOR'))('refuses auditLog to %s', async (role) => {
    const result = await app.as(role, ['*'], '{ auditLog { totalCount } }', {}, role === 'PROGRAM_MANAGER' ? { programs: ['PKH'] } : {});
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  it('keeps domain errors behind the shield: BAD_USER_INPUT stays BAD_USER_INPUT', async () => {
    const result = await app.as('MANAGER', ['35.09'], '{ person(id: "P-RM", nik: "3509014501900001") { id } }');
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });
});
