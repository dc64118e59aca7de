import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { captureStatements, openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addHouseholds, addPersons, addReferralEvents, addReferrals, VILLAGES } from '../helpers/fixtures.js';

let db: TestDatabase;
let app: TestApp;

// Read side only: the referral queries and transitions are issue 7.
beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  const d = db.database;
  await addHouseholds(d, [
    { id: 'H-1', villageCode: VILLAGES.padomasan, desil: 2 },
    { id: 'H-2', villageCode: VILLAGES.mentikan, desil: 3 },
  ]);
  await addPersons(d, [
    { id: 'P-1', householdId: 'H-1', villageCode: VILLAGES.padomasan, name: 'Sutrisno' },
    { id: 'P-2', householdId: 'H-2', villageCode: VILLAGES.mentikan, name: 'Wartini', sex: 'F' },
  ]);
  await addReferrals(d, [
    { id: 'SLRT-1', villageCode: VILLAGES.padomasan, personId: 'P-1', householdId: 'H-1', inDtks: true, nik: '3509011203800001',
      complainantName: 'Sutrisno', category: 'HOUSING', status: 'REFERRED', version: 3, referredTo: 'RTLH',
      description: 'Atap rumah bocor.', registeredAt: '2025-02-03T04:05:06Z' },
    // Registered at the Puskesos of Mojokerto for the Jember person P-1: out of a Jember scope.
    { id: 'SLRT-2', villageCode: VILLAGES.mentikan, personId: 'P-1', householdId: 'H-1', inDtks: true, registeredAt: '2025-06-01T00:00:00Z' },
    // A Jember referral about the Mojokerto person P-2: the referral is visible, the person is not.
    { id: 'SLRT-3', villageCode: VILLAGES.keting, personId: 'P-2', householdId: 'H-2', inDtks: true, registeredAt: '2025-07-01T00:00:00Z' },
  ]);
  await addReferralEvents(d, [
    { referralId: 'SLRT-1', regencyCode: '35.09', at: '2025-02-03T04:05:06Z', toStatus: 'REGISTERED', actor: 'puskesos-padomasan', note: 'Pengaduan diterima.' },
    { referralId: 'SLRT-1', regencyCode: '35.09', at: '2025-02-10T00:00:00Z', fromStatus: 'REGISTERED', toStatus: 'VERIFYING', actor: 'tksk-1' },
    { referralId: 'SLRT-1', regencyCode: '35.09', at: '2025-02-20T00:00:00Z', fromStatus: 'VERIFYING', toStatus: 'REFERRED', actor: 'tksk-1', referredTo: 'RTLH' },
    { referralId: 'SLRT-2', regencyCode: '35.76', at: '2025-06-01T00:00:00Z', toStatus: 'REGISTERED', actor: 'puskesos-mentikan' },
  ]);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

describe('referrals, nested', () => {
  it('reads a person\'s referrals with their history, region, person and household', async () => {
    const result = await app.as('ADMIN', ['*'], `{ person(id: "P-1") { referrals {
      id category status version registeredAt complainantName nik description referredTo inDtks
      region { code } person { id } household { id }
      history { at fromStatus toStatus actor note referredTo } } } }`);
    expect(result.errors).toBeUndefined();
    const [latest, first] = result.data!.person.referrals;
    expect(latest.id).toBe('SLRT-2');
    expect(first).toEqual({
      id: 'SLRT-1', category: 'HOUSING', status: 'REFERRED', version: 3, registeredAt: '2025-02-03T04:05:06.000Z',
      complainantName: 'Sutrisno', nik: '3509011203800001', description: 'Atap rumah bocor.', referredTo: 'RTLH', inDtks: true,
      region: { code: VILLAGES.padomasan }, person: { id: 'P-1' }, household: { id: 'H-1' },
      history: [
        { at: '2025-02-03T04:05:06.000Z', fromStatus: null, toStatus: 'REGISTERED', actor: 'puskesos-padomasan', note: 'Pengaduan diterima.', referredTo: null },
        { at: '2025-02-10T00:00:00.000Z', fromStatus: 'REGISTERED', toStatus: 'VERIFYING', actor: 'tksk-1', note: null, referredTo: null },
        { at: '2025-02-20T00:00:00.000Z', fromStatus: 'VERIFYING', toStatus: 'REFERRED', actor: 'tksk-1', note: null, referredTo: 'RTLH' },
      ],
    });
  });

  it('places a referral by its own village: out-of-scope referrals are absent, out-of-scope persons null', async () => {
    const result = await app.as('MANAGER', ['35.09'], '{ person(id: "P-1") { referrals { id } } household(id: "H-1") { referrals { id person { id } } } }');
    expect(result.data).toEqual({ person: { referrals: [{ id: 'SLRT-1' }] }, household: { referrals: [{ id: 'SLRT-1', person: { id: 'P-1' } }] } });
    const mojokerto = await app.as('MANAGER', ['35.76'], '{ household(id: "H-2") { referrals { id } } person(id: "P-2") { referrals { id } } }');
    expect(mojokerto.data).toEqual({ household: { referrals: [] }, person: { referrals: [] } });
  });

  it('batches history across referrals: one statement per nested level', async () => {
    const { result, statements } = await captureStatements(db.database, () =>
      app.as('ADMIN', ['*'], '{ households { edges { node { referrals { history { toStatus } person { name } } } } } }'));
    expect(result.errors).toBeUndefined();
    // households, referrals, history, persons, and the one INSERT of the READ audit entries
    expect(statements).toHaveLength(5);
    expect(statements.at(-1)).toMatch(/insert into audit_entries/);
  });
});
