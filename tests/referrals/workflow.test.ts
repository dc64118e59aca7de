import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/viewer.js';
import { STATUSES, TRANSITIONS } from '../../src/modules/referrals/referrals.workflow.js';
import { codes, createTestApp, type TestApp } from '../helpers/app.js';
import { captureStatements, openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addHouseholds, addPersons, addReferrals, VILLAGES } from '../helpers/fixtures.js';

let db: TestDatabase;
let app: TestApp;

const JEMBER = ['35.09'];

const REGISTER = `mutation Register($input: ComplaintInput!) { registerComplaint(input: $input) {
  id category status version registeredAt complainantName nik description referredTo inDtks
  region { code } person { id } household { id } history { fromStatus toStatus actor note referredTo } } }`;

const TRANSITION = `mutation Move($id: ID!, $to: ReferralStatus!, $v: Int!, $note: String, $referredTo: String) {
  transitionReferral(id: $id, to: $to, expectedVersion: $v, note: $note, referredTo: $referredTo) {
    id status version referredTo history { fromStatus toStatus actor note referredTo } } }`;

const NIK_SUTRISNO = '3509011203800001';
const NIK_WARTINI = '3576014506750002';

beforeAll(async () => {
  db = await openTestDatabase();
  app = await createTestApp(db.database);
  const d = db.database;
  await addHouseholds(d, [
    { id: 'H-1', villageCode: VILLAGES.padomasan, desil: 2 },
    { id: 'H-2', villageCode: VILLAGES.mentikan, desil: 3 },
    { id: 'H-3', villageCode: VILLAGES.keting, desil: 1 },
  ]);
  await addPersons(d, [
    { id: 'P-1', householdId: 'H-1', villageCode: VILLAGES.padomasan, name: 'Sutrisno', nik: NIK_SUTRISNO },
    { id: 'P-2', householdId: 'H-2', villageCode: VILLAGES.mentikan, name: 'Wartini', sex: 'F', nik: NIK_WARTINI },
    { id: 'P-3', householdId: 'H-3', villageCode: VILLAGES.keting, name: 'Hj. Siti Aminah', sex: 'F', nik: null },
  ]);
});
afterAll(async () => {
  await app?.stop();
  await db?.dispose();
});

async function count(table: 'referrals' | 'referral_events' | 'audit_entries', where = sql`true`): Promise<number> {
  const [{ n }] = await db.database.execute<{ n: number }>(sql`select count(*)::int as n from ${sql.raw(table)} where ${where}`);
  return n;
}

async function stored() {
  return { referrals: await count('referrals'), events: await count('referral_events') };
}

const complaint = (extra: Record<string, unknown> = {}) => ({
  category: 'HEALTH', regionCode: VILLAGES.padomasan, name: 'Sutrisno', nik: NIK_SUTRISNO,
  description: 'Tidak punya BPJS Kesehatan,\nanak sakit.', ...extra,
});

describe('registerComplaint', () => {
  it('places a complainant found by NIK in the DTKS: person, household, inDtks, REGISTERED event, audit entry', async () => {
    const result = await app.as('FACILITATOR', JEMBER, REGISTER, { input: complaint() }, { sub: 'puskesos-padomasan' });
    expect(result.errors).toBeUndefined();
    const referral = result.data!.registerComplaint;
    expect(referral).toMatchObject({
      category: 'HEALTH', status: 'REGISTERED', version: 1, complainantName: 'Sutrisno', nik: NIK_SUTRISNO,
      description: 'Tidak punya BPJS Kesehatan,\nanak sakit.', referredTo: null, inDtks: true,
      region: { code: VILLAGES.padomasan }, person: { id: 'P-1' }, household: { id: 'H-1' },
      history: [{ fromStatus: null, toStatus: 'REGISTERED', actor: 'puskesos-padomasan', note: null, referredTo: null }],
    });
    expect(Date.now() - Date.parse(referral.registeredAt)).toBeLessThan(60_000);
    const audit = await db.database.execute(sql`
      select actor, role, action, operation, subject_type, subject_id from audit_subject_entries where subject_id = ${referral.id} order by id, n`);
    // The MUTATION (in the registration's transaction), then the READ of the complaint fields
    // the response returned (written before the response was sent).
    expect(audit).toEqual([
      { actor: 'puskesos-padomasan', role: 'FACILITATOR', action: 'MUTATION', operation: 'registerComplaint', subject_type: 'Referral', subject_id: referral.id },
      { actor: 'puskesos-padomasan', role: 'FACILITATOR', action: 'READ', operation: 'Register', subject_type: 'Referral', subject_id: referral.id },
    ]);
  });

  it('finds a complainant without NIK by normalised name in the same village (titles and spelling variants)', async () => {
    const result = await app.as('MANAGER', JEMBER, REGISTER, { input: complaint({ regionCode: VILLAGES.keting, name: 'Sitti Aminah', nik: null }) });
    expect(result.errors).toBeUndefined();
    expect(result.data!.registerComplaint).toMatchObject({ inDtks: true, person: { id: 'P-3' }, household: { id: 'H-3' }, nik: null });
  });

  it('also takes a name within the resolution similarity (pg_trgm >= 0.8) in the same village, not a looser one', async () => {
    const close = await app.as('MANAGER', JEMBER, REGISTER, { input: complaint({ regionCode: VILLAGES.keting, name: 'Siti Aminah S', nik: null }) });
    expect(close.data!.registerComplaint).toMatchObject({ inDtks: true, person: { id: 'P-3' } });
    const loose = await app.as('MANAGER', JEMBER, REGISTER, { input: complaint({ regionCode: VILLAGES.keting, name: 'Siti Aminag', nik: null }) });
    expect(loose.data!.registerComplaint).toMatchObject({ inDtks: false, person: null });
  });

  it('does not match a name in another village, nor a NIK outside the caller\'s scope: those are DTKS proposals', async () => {
    const elsewhere = await app.as('MANAGER', JEMBER, REGISTER, { input: complaint({ regionCode: VILLAGES.cakru, name: 'Siti Aminah', nik: null }) });
    expect(elsewhere.data!.registerComplaint).toMatchObject({ inDtks: false, person: null, household: null });
    // P-2's NIK is in Mojokerto: a Jember caller cannot learn that it exists.
    const hidden = await app.as('MANAGER', JEMBER, REGISTER, { input: complaint({ name: 'Wartini', nik: NIK_WARTINI }) });
    expect(hidden.data!.registerComplaint).toMatchObject({ inDtks: false, person: null, household: null, nik: NIK_WARTINI });
    const national = await app.as('ADMIN', ['*'], REGISTER, { input: complaint({ name: 'Wartini', nik: NIK_WARTINI }) });
    expect(national.data!.registerComplaint).toMatchObject({ inDtks: true, person: { id: 'P-2' }, household: { id: 'H-2' } });
  });

  it('lists complainants not in the DTKS as the DTKS proposals', async () => {
    const created = await app.as('SUPERVISOR', JEMBER, REGISTER, {
      input: complaint({ regionCode: VILLAGES.cakru, category: 'CIVIL_REGISTRATION', name: 'Yohanes Tanpa KK', nik: null, description: 'Tidak memiliki Kartu Keluarga.' }),
    });
    const id = created.data!.registerComplaint.id;
    const result = await app.as('MANAGER', [VILLAGES.cakru], `{ referrals(filter: { inDtks: false }) { totalCount edges { node { id inDtks region { code } } } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data!.referrals.edges.map((e: any) => e.node.id)).toContain(id);
    expect(result.data!.referrals.edges.every((e: any) => e.node.inDtks === false && e.node.region.code === VILLAGES.cakru)).toBe(true);
    expect(result.data!.referrals.totalCount).toBe(result.data!.referrals.edges.length);
  });

  it('writes the referral, its event and its audit entry in two statements inside one transaction (then the READ entries)', async () => {
    const { result, statements } = await captureStatements(db.database, () => app.as('ADMIN', ['*'], REGISTER.replace(' history { fromStatus toStatus actor note referredTo }', '').replace(' region { code } person { id } household { id }', ''), { input: complaint() }));
    expect(result.errors).toBeUndefined();
    const writes = statements.filter((s) => /^\s*(with|insert)/i.test(s));
    // the registration's two writes, then the request's READ audit entries (complaint fields returned)
    expect(writes).toHaveLength(3);
    expect(writes[0]).toMatch(/insert into referrals/);
    expect(writes[1]).toMatch(/insert into audit_entries/);
    expect(writes[2]).toMatch(/insert into audit_entries/);
  });

  describe('hostile input: BAD_USER_INPUT or FORBIDDEN, nothing stored', () => {
    const ONE_MB = 'x'.repeat(1024 * 1024);
    it.each<[string, Record<string, unknown>, string]>([
      ['an empty description', { description: '' }, 'BAD_USER_INPUT'],
      ['a blank description', { description: ' \n\t ' }, 'BAD_USER_INPUT'],
      ['a 1 MB description', { description: ONE_MB }, 'BAD_USER_INPUT'],
      ['a description of 4001 characters', { description: 'a'.repeat(4001) }, 'BAD_USER_INPUT'],
      ['a NUL in the description', { description: 'atap\u0000bocor' }, 'BAD_USER_INPUT'],
      ['an escape sequence in the description', { description: 'atap \u001b[31mbocor' }, 'BAD_USER_INPUT'],
      ['a lone surrogate in the description', { description: 'atap \ud800 bocor' }, 'BAD_USER_INPUT'],
      ['an empty name', { name: '' }, 'BAD_USER_INPUT'],
      ['a name of 201 characters', { name: 'a'.repeat(201) }, 'BAD_USER_INPUT'],
      ['a newline in the name', { name: 'Sutrisno\nDROP' }, 'BAD_USER_INPUT'],
      ['an unknown category', { category: 'WEAPONS' }, 'BAD_USER_INPUT'],
      ['a NIK of 15 digits', { nik: '350901120380000' }, 'BAD_USER_INPUT'],
      ['a NIK with letters', { nik: '35090112038000O1' }, 'BAD_USER_INPUT'],
      ['a regency instead of a village', { regionCode: '35.09' }, 'BAD_USER_INPUT'],
      ['a malformed region code', { regionCode: "35.09.01.2001' or 1=1 --" }, 'BAD_USER_INPUT'],
      ['a village that does not exist', { regionCode: '35.09.01.9999' }, 'BAD_USER_INPUT'],
      ['a village outside the caller\'s scope', { regionCode: VILLAGES.mentikan }, 'FORBIDDEN'],
    ])('%s', async (_label, extra, code) => {
      const before = await stored();
      const result = await app.as('FACILITATOR', JEMBER, REGISTER, { input: complaint(extra) });
      expect(codes(result)).toEqual([code]);
      expect(result.data ?? null).toBeNull();
      expect(JSON.stringify(result.errors).length).toBeLessThan(1000);
      expect(await stored()).toEqual(before);
    });

    it('accepts 4000 characters with newlines and tabs, trimmed', async () => {
      const text = `${'a\tb\r\n'.repeat(800)}`.padEnd(4000, 'z');
      const result = await app.as('FACILITATOR', JEMBER, REGISTER, { input: complaint({ description: `  ${text}  `, nik: '' }) });
      expect(result.errors).toBeUndefined();
      expect(result.data!.registerComplaint.description).toBe(text.replace(/\r\n/g, '\n').trim());
      expect(result.data!.registerComplaint.nik).toBeNull();
    });
  });

  it.each<Role>(['PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST', 'AUDITOR'])('is FORBIDDEN to %s, stores nothing and audits the attempt', async (role) => {
    const before = await stored();
    const denied = await count('audit_entries', sql`action = 'DENIED' and role = ${role}`);
    const result = await app.as(role, JEMBER, REGISTER, { input: complaint() });
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(await stored()).toEqual(before);
    expect(await count('audit_entries', sql`action = 'DENIED' and role = ${role}`)).toBe(denied + 1);
  });
});

/** A referral at `status`, version 1, in Padomasan (Jember). */
let serial = 0;
async function referralAt(status: (typeof STATUSES)[number], village: string = VILLAGES.padomasan): Promise<string> {
  const id = `WF-${++serial}`;
  await addReferrals(db.database, [{ id, villageCode: village, status, version: 1, referredTo: status === 'REFERRED' ? 'DINKES' : null }]);
  return id;
}

async function snapshot(id: string) {
  const [row] = await db.database.execute(sql`select status, version, referred_to from referrals where id = ${id}`);
  return { row, events: await count('referral_events', sql`referral_id = ${id}`) };
}

describe('transitionReferral: the state machine', () => {
  const cases = STATUSES.flatMap((from) => STATUSES.map((to) => [from, to, TRANSITIONS[from].includes(to)] as const));

  it('covers all 25 pairs, 10 of them allowed', () => {
    expect(cases).toHaveLength(25);
    expect(cases.filter(([, , ok]) => ok)).toHaveLength(10);
  });

  it.each(cases)('%s -> %s (allowed: %s)', async (from, to, allowed) => {
    const id = await referralAt(from);
    const before = await snapshot(id);
    const referredTo = to === 'REFERRED' ? 'DUKCAPIL' : null;
    const result = await app.as('SUPERVISOR', JEMBER, TRANSITION, { id, to, v: 1, note: 'Dicek oleh TKSK.', referredTo }, { sub: 'spv-1' });
    if (allowed) {
      expect(result.errors).toBeUndefined();
      expect(result.data!.transitionReferral).toEqual({
        id, status: to, version: 2, referredTo: referredTo ?? (from === 'REFERRED' ? 'DINKES' : null),
        history: [{ fromStatus: from, toStatus: to, actor: 'spv-1', note: 'Dicek oleh TKSK.', referredTo }],
      });
    } else {
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].message).toContain(`from ${from} to ${to}`);
      expect(await snapshot(id)).toEqual(before);
    }
  });

  it('refuses a transition to REGISTERED from anywhere, and anything from RESOLVED or REJECTED', () => {
    expect(STATUSES.filter((s) => TRANSITIONS[s].includes('REGISTERED'))).toEqual([]);
    expect(TRANSITIONS.RESOLVED).toEqual([]);
    expect(TRANSITIONS.REJECTED).toEqual([]);
  });

  it('follows a case through its life: history in order, version counting the transitions', async () => {
    const id = await referralAt('REGISTERED');
    const steps: Array<[string, string | null, Role]> = [['VERIFYING', null, 'FACILITATOR'], ['REFERRED', 'DUKCAPIL', 'FACILITATOR'], ['REFERRED', 'DINSOS', 'MANAGER'], ['RESOLVED', null, 'MANAGER']];
    let v = 1;
    for (const [to, referredTo, role] of steps) {
      const result = await app.as(role, JEMBER, TRANSITION, { id, to, v, referredTo });
      expect(result.errors).toBeUndefined();
      v = result.data!.transitionReferral.version;
    }
    const result = await app.as('ADMIN', ['*'], `{ referral(id: "${id}") { status version referredTo history { fromStatus toStatus referredTo } } }`);
    expect(result.data!.referral).toEqual({
      status: 'RESOLVED', version: 5, referredTo: 'DINSOS',
      history: [
        { fromStatus: 'REGISTERED', toStatus: 'VERIFYING', referredTo: null },
        { fromStatus: 'VERIFYING', toStatus: 'REFERRED', referredTo: 'DUKCAPIL' },
        { fromStatus: 'REFERRED', toStatus: 'REFERRED', referredTo: 'DINSOS' },
        { fromStatus: 'REFERRED', toStatus: 'RESOLVED', referredTo: null },
      ],
    });
  });
});

describe('transitionReferral: rules around the table', () => {
  it.each<[Role, boolean]>([['ADMIN', true], ['MANAGER', true], ['SUPERVISOR', true], ['FACILITATOR', false]])(
    'REJECTED by %s: allowed %s', async (role, allowed) => {
      const id = await referralAt('VERIFYING');
      const before = await snapshot(id);
      const result = await app.as(role, JEMBER, TRANSITION, { id, to: 'REJECTED', v: 1, note: 'Bukan warga desa ini.' });
      if (allowed) expect(result.data!.transitionReferral).toMatchObject({ status: 'REJECTED', version: 2 });
      else {
        expect(codes(result)).toEqual(['FORBIDDEN']);
        expect(await snapshot(id)).toEqual(before);
      }
    });

  it.each<Role>(['PROGRAM_MANAGER', 'EXTERNAL_APP', 'ANALYST', 'AUDITOR'])('is FORBIDDEN to %s', async (role) => {
    const id = await referralAt('REGISTERED');
    const before = await snapshot(id);
    const result = await app.as(role, JEMBER, TRANSITION, { id, to: 'VERIFYING', v: 1 });
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect(await snapshot(id)).toEqual(before);
  });

  it.each<[string, Record<string, unknown>]>([
    ['REFERRED without referredTo', { to: 'REFERRED' }],
    ['REFERRED with a blank referredTo', { to: 'REFERRED', referredTo: '   ' }],
    ['referredTo with RESOLVED', { to: 'RESOLVED', referredTo: 'DINKES' }],
    ['a referredTo of 101 characters', { to: 'REFERRED', referredTo: 'D'.repeat(101) }],
    ['a control character in the note', { to: 'VERIFYING', note: 'ok\u0007' }],
    ['a 1 MB note', { to: 'VERIFYING', note: 'n'.repeat(1024 * 1024) }],
    ['expectedVersion 0', { to: 'VERIFYING', v: 0 }],
    ['an unknown status', { to: 'ESCALATED' }],
  ])('%s is BAD_USER_INPUT and changes nothing', async (_label, extra) => {
    const id = await referralAt('REGISTERED');
    const before = await snapshot(id);
    const result = await app.as('ADMIN', ['*'], TRANSITION, { id, v: 1, ...extra });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(await snapshot(id)).toEqual(before);
  });

  it('answers a stale expectedVersion with CONFLICT and the current version, changing nothing', async () => {
    const id = await referralAt('REGISTERED');
    await app.as('ADMIN', ['*'], TRANSITION, { id, to: 'VERIFYING', v: 1 });
    const before = await snapshot(id);
    const result = await app.as('ADMIN', ['*'], TRANSITION, { id, to: 'RESOLVED', v: 1 });
    expect(codes(result)).toEqual(['CONFLICT']);
    expect(result.errors![0].extensions).toMatchObject({ currentVersion: 2 });
    expect(await snapshot(id)).toEqual(before);
    // A stale version wins over a forbidden move: the client must read the referral again first.
    const stale = await app.as('ADMIN', ['*'], TRANSITION, { id, to: 'REGISTERED', v: 1 });
    expect(codes(stale)).toEqual(['CONFLICT']);
  });

  it('answers a missing and an out-of-scope referral alike with NOT_FOUND', async () => {
    const mojokerto = await referralAt('REGISTERED', VILLAGES.mentikan);
    const before = await snapshot(mojokerto);
    const hidden = await app.as('ADMIN', JEMBER, TRANSITION, { id: mojokerto, to: 'VERIFYING', v: 1 });
    const missing = await app.as('ADMIN', JEMBER, TRANSITION, { id: 'WF-NOPE', to: 'VERIFYING', v: 1 });
    expect(codes(hidden)).toEqual(['NOT_FOUND']);
    expect(codes(missing)).toEqual(['NOT_FOUND']);
    expect(hidden.errors![0].message.replace(mojokerto, 'X')).toBe(missing.errors![0].message.replace('WF-NOPE', 'X'));
    expect(await snapshot(mojokerto)).toEqual(before);
  });

  it('writes the move, its event and its audit entry in one transaction', async () => {
    const id = await referralAt('REGISTERED');
    const audits = await count('audit_entries', sql`subject_id = ${id} and action = 'MUTATION'`);
    const { result, statements } = await captureStatements(db.database, () =>
      app.as('MANAGER', JEMBER, 'mutation M($id: ID!) { transitionReferral(id: $id, to: VERIFYING, expectedVersion: 1) { version } }', { id }));
    expect(result.data).toEqual({ transitionReferral: { version: 2 } });
    const writes = statements.filter((s) => /^\s*(with|insert|update)/i.test(s));
    expect(writes).toHaveLength(2);
    expect(await count('audit_entries', sql`subject_id = ${id} and action = 'MUTATION'`)).toBe(audits + 1);
  });

  it('leaves exactly one winner among 20 parallel moves with the same expectedVersion', async () => {
    const id = await referralAt('REGISTERED');
    const token = await app.token('MANAGER', JEMBER);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
      app.execute(TRANSITION, { id, to: 'REFERRED', v: 1, referredTo: `AGENCY_${i}` }, { token })));
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    expect(results.flatMap(codes).sort()).toEqual(Array(19).fill('CONFLICT'));
    const after = await snapshot(id);
    expect(after).toEqual({ row: { status: 'REFERRED', version: 2, referred_to: winners[0].data!.transitionReferral.referredTo }, events: 1 });
    expect(await count('audit_entries', sql`subject_id = ${id} and action = 'MUTATION'`)).toBe(1);
  });
});

describe('referral and referrals', () => {
  const LIST = `query L($filter: ReferralFilter, $first: Int, $after: String) { referrals(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id } } } }`;

  beforeAll(async () => {
    await addReferrals(db.database, [
      { id: 'Q-1', villageCode: VILLAGES.padomasan, category: 'HOUSING', status: 'REFERRED', referredTo: 'RTLH', nik: NIK_SUTRISNO, inDtks: true, registeredAt: '2024-03-01T16:59:59Z' },
      { id: 'Q-2', villageCode: VILLAGES.padomasan, category: 'HOUSING', status: 'REGISTERED', inDtks: false, registeredAt: '2024-03-01T17:00:00Z' },
      { id: 'Q-3', villageCode: VILLAGES.cakru, category: 'EDUCATION', status: 'RESOLVED', inDtks: false, registeredAt: '2024-03-02T10:00:00Z' },
      { id: 'Q-4', villageCode: VILLAGES.cakru, category: 'EDUCATION', status: 'RESOLVED', inDtks: true, registeredAt: '2024-03-02T10:00:00Z' },
      { id: 'Q-5', villageCode: VILLAGES.mentikan, category: 'HOUSING', status: 'REGISTERED', inDtks: false, nik: NIK_SUTRISNO, registeredAt: '2024-03-02T10:00:00Z' },
    ]);
  });

  const ids = (result: any) => result.data!.referrals.edges.map((e: any) => e.node.id);
  const inMarch = { registeredFrom: '2024-03-01', registeredTo: '2024-03-31' };

  it('reads one referral in scope and nothing out of it', async () => {
    const q = '{ a: referral(id: "Q-1") { id nik } b: referral(id: "Q-5") { id } c: referral(id: "nope") { id } }';
    expect((await app.as('FACILITATOR', JEMBER, q)).data).toEqual({ a: { id: 'Q-1', nik: NIK_SUTRISNO }, b: null, c: null });
  });

  it.each<[string, Record<string, unknown>, string[]]>([
    ['no filter but the dates', {}, ['Q-4', 'Q-3', 'Q-2', 'Q-1']],
    ['regionCode (district)', { regionCode: '35.09.02' }, ['Q-4', 'Q-3']],
    ['status', { status: 'REGISTERED' }, ['Q-2']],
    ['category', { category: 'HOUSING' }, ['Q-2', 'Q-1']],
    ['nik', { nik: NIK_SUTRISNO }, ['Q-1']],
    ['inDtks false (DTKS proposals)', { inDtks: false }, ['Q-3', 'Q-2']],
    // 2024-03-01T17:00Z is 2 March 00:00 WIB: days are WIB days.
    ['registeredFrom (WIB day)', { registeredFrom: '2024-03-02' }, ['Q-4', 'Q-3', 'Q-2']],
    ['registeredTo (WIB day, inclusive)', { registeredFrom: '2024-03-01', registeredTo: '2024-03-01' }, ['Q-1']],
  ])('filters by %s, newest first, in the caller\'s scope only', async (_label, filter, expected) => {
    const result = await app.as('MANAGER', JEMBER, LIST, { filter: { ...inMarch, ...filter } });
    expect(result.errors).toBeUndefined();
    expect(ids(result)).toEqual(expected);
    expect(result.data!.referrals.totalCount).toBe(expected.length);
  });

  it('pages with keyset cursors through equal registration instants', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 5; page++) {
      const result: any = await app.as('ADMIN', ['*'], LIST, { filter: inMarch, first: 2, after });
      expect(result.errors).toBeUndefined();
      seen.push(...ids(result));
      after = result.data.referrals.pageInfo.endCursor;
      if (!result.data.referrals.pageInfo.hasNextPage) break;
    }
    expect(seen).toEqual(['Q-5', 'Q-4', 'Q-3', 'Q-2', 'Q-1']);
  });

  it('pages one by one through registered complaints (microsecond instants) exactly as the whole list', async () => {
    const whole = await app.as('MANAGER', JEMBER, LIST, { first: 500 });
    const all = ids(whole);
    expect(all.length).toBeGreaterThan(10);
    expect(whole.data!.referrals.totalCount).toBe(all.length);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < all.length + 1; i++) {
      const result: any = await app.as('MANAGER', JEMBER, LIST, { first: 1, after });
      if (ids(result).length === 0) break;
      seen.push(...ids(result));
      after = result.data.referrals.pageInfo.endCursor;
    }
    expect(seen).toEqual(all);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a malformed nik', { filter: { nik: '123' } }],
    ['a malformed regionCode', { filter: { regionCode: '35.9' } }],
    ['registeredFrom after registeredTo', { filter: { registeredFrom: '2024-04-01', registeredTo: '2024-03-01' } }],
    ['an impossible date', { filter: { registeredFrom: '2024-02-30' } }],
    ['an unknown status', { filter: { status: 'LOST' } }],
    ['first above 500', { first: 501 }],
    ['a cursor of another list', { after: Buffer.from(JSON.stringify({ v: 1, l: 'persons', k: 'P-1' })).toString('base64url') }],
    ['a forged referral cursor', { after: Buffer.from(JSON.stringify({ v: 1, l: 'referrals', k: "x' or 1=1" })).toString('base64url') }],
  ])('refuses %s with BAD_USER_INPUT', async (_label, variables) => {
    const result = await app.as('MANAGER', JEMBER, LIST, variables);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('reads a page in one statement and its count in one more', async () => {
    const { result, statements } = await captureStatements(db.database, () => app.as('MANAGER', JEMBER, LIST, { filter: inMarch }));
    expect(result.errors).toBeUndefined();
    expect(statements).toHaveLength(2);
    expect(statements.every((s) => s.includes('regency_code'))).toBe(true);
  });
});

describe('the referrals import kind: historic SLRT records join the workflow', () => {
  it('places imported records in the DTKS like registerComplaint, lists them and lets them move on', async () => {
    const csv = [
      'referral_id,registered_at,village_code,category,name,nik,description,status,referred_to',
      `HIST-1,2023-05-02T09:00:00+07:00,${VILLAGES.keting},HOUSING,Siti Aminah S.Pd.,,Rumah tidak layak huni.,REFERRED,RTLH`,
      `HIST-2,2023-05-03T09:00:00+07:00,${VILLAGES.keting},FOOD,Orang Baru,,Belum menerima sembako.,REGISTERED,`,
    ].join('\n');
    const imported = await app.as('ADMIN', ['*'], 'mutation I($csv: String!) { importRecords(kind: REFERRALS, csv: $csv) { accepted rejected } }', { csv });
    expect(imported.data).toEqual({ importRecords: { accepted: 2, rejected: 0 } });
    const list = await app.as('MANAGER', JEMBER, `{ referrals(filter: { registeredFrom: "2023-05-01", registeredTo: "2023-05-31" }) {
      edges { node { id status version inDtks person { id } referredTo } } } }`);
    expect(list.data!.referrals.edges.map((e: any) => e.node)).toEqual([
      { id: 'HIST-2', status: 'REGISTERED', version: 1, inDtks: false, person: null, referredTo: null },
      { id: 'HIST-1', status: 'REFERRED', version: 1, inDtks: true, person: { id: 'P-3' }, referredTo: 'RTLH' },
    ]);
    const moved = await app.as('MANAGER', JEMBER, TRANSITION, { id: 'HIST-1', to: 'RESOLVED', v: 1, note: 'Rumah sudah direhab.' });
    expect(moved.data!.transitionReferral).toMatchObject({ status: 'RESOLVED', version: 2, referredTo: 'RTLH' });
    expect(moved.data!.transitionReferral.history.map((h: any) => `${h.fromStatus}->${h.toStatus}`)).toEqual(['null->REFERRED', 'REFERRED->RESOLVED']);
  });
});
