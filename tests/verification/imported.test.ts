import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeNik } from '../../src/lib/nik.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { csv, importText, V } from '../imports/helpers.js';

/**
 * Verification of records that came in through CSV imports: nik_valid and name_norm written by
 * the import (src/lib/nik.ts, src/lib/names.ts) are what verification reads.
 */
let db: TestDatabase;
let app: TestApp;

const ok = composeNik('35.09.01', '1975-04-12', 'F', 7);
const dead = composeNik('35.09.01', '1950-09-01', 'M', 8);

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  const d = db.database;
  await importText(d, 'households', csv('households', `IH1,${V.jember1},Jl. Mawar 1,001,002,2,2025-01-10`));
  await importText(d, 'persons', csv('persons',
    `IP1,IH1,${ok},,Hj. Sitti Noer Aini,F,Jember,1975-04-12,HEAD,MARRIED,PRESENT,false,false,`,
    `IP2,IH1,${dead},,Moch. Soekarno,M,Jember,1950-09-01,PARENT,WIDOWED,PRESENT,false,false,`,
    `IP3,IH1,35090141138000ab,,Tanpa NIK Sah,F,Jember,1980-03-01,CHILD,SINGLE,PRESENT,false,false,`,
  ));
  await importText(d, 'enrolments', csv('enrolments',
    `IE1,PKH,${ok},,SITI NUR AINI,1975-04-12,${V.jember1},ACTIVE,2024-01-01,,750000`,
    `IE2,PKH,${dead},,Muhammad Sukarno,1950-09-01,${V.jember1},ACTIVE,2024-01-01,,750000`,
    `IE3,PKH,3509014113800000,,Tanpa NIK Sah,,${V.jember1},ACTIVE,2024-01-01,,750000`,
  ));
  await importText(d, 'civil-registry', csv('civil-registry',
    `${ok},,Siti Nur Aini,F,Jember,1975-04-12,${V.jember1},`,
    `${dead},,Muhammad Sukarno,M,Jember,1950-09-01,${V.jember2},2024-03-03`,
  ));
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

describe('verification of imported records', () => {
  it('uses the NIK and name rules the import stored', async () => {
    const result = await app.as('MANAGER', ['35.09'], `{
      persons { edges { node { id verification { status issues nameSimilarity } } } }
      enrolments(filter: { program: "PKH", status: ACTIVE, regionCode: "35.09", verificationStatus: DECEASED }) { edges { node { id } } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.persons.edges.map((e: any) => e.node)).toEqual([
      { id: 'IP1', verification: { status: 'VERIFIED', issues: [], nameSimilarity: 1 } },
      { id: 'IP2', verification: { status: 'DECEASED', issues: ['DECEASED'], nameSimilarity: 1 } },
      { id: 'IP3', verification: { status: 'INVALID_NIK', issues: ['INVALID_NIK'], nameSimilarity: null } },
    ]);
    expect(result.data!.enrolments.edges.map((e: any) => e.node.id)).toEqual(['IE2']);
  });
});
