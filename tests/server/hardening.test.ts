import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '../../src/auth/tokens.js';
import { parseIsoInstant } from '../../src/graphql/scalars.js';
import { isJsonMediaType, jsonShapeProblem } from '../../src/http/request.js';
import { encodeCursor } from '../../src/lib/pagination.js';
import { cleanText, textProblem } from '../../src/lib/text.js';
import type { HttpServer } from '../../src/server.js';
import { codes, createTestApp, TEST_JWT_SECRET, type TestApp, listenTestServer } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addHouseholds, addPersons, addReferrals, VILLAGES } from '../helpers/fixtures.js';

/**
 * Issue 14: each numbered finding of the hardening review, reproduced. Timing assertions are
 * only "refused before anything ran" bounds (seconds, not milliseconds): the numbers are in
 * bench/hardening.ts.
 */

let db: TestDatabase;
let app: TestApp;
let prod: TestApp;
let http: HttpServer;
let base: string;
let admin: string;

const NIK_MOJOKERTO = '3576014506750002';
const countReferrals = () => db.database.execute<{ n: number }>(sql`select count(*)::int as n from referrals`);

beforeAll(async () => {
  db = await openTestDatabase();
  const d = db.database;
  await addHouseholds(d, [
    { id: 'H-1', villageCode: VILLAGES.padomasan, desil: 2 },
    { id: 'H-2', villageCode: VILLAGES.mentikan, desil: 3 },
  ]);
  await addPersons(d, [
    { id: 'P-1', householdId: 'H-1', villageCode: VILLAGES.padomasan, name: 'Sutrisno', nik: '3509011203800001' },
    { id: 'P-2', householdId: 'H-2', villageCode: VILLAGES.mentikan, name: 'Wartini', sex: 'F', nik: NIK_MOJOKERTO },
  ]);
  await addReferrals(d, [{ id: 'R-1', villageCode: VILLAGES.padomasan, personId: 'P-1', householdId: 'H-1', inDtks: true }]);
  app = await createTestApp(d);
  prod = await createTestApp(d, { NODE_ENV: 'production' });
  ({ http, base } = await listenTestServer(d));
  admin = await app.token('ADMIN', ['*']);
});
afterAll(async () => {
  await http?.close(1000);
  await app?.stop();
  await prod?.stop();
  await db?.dispose();
});

const post = (body: unknown, headers: Record<string, string> = {}, token = admin) =>
  fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const AMPLIFY_ALIAS = (i: number, first: string) =>
  `a${i}: persons(first: ${first}) { edges { node { id household { members { id household { members { id household { members { id } } } } } } } } }`;
const aliases = (n: number, first: string) => Array.from({ length: n }, (_, i) => AMPLIFY_ALIAS(i, first)).join(' ');

describe('1. cost counts list sizes however first is given', () => {
  it.each([
    ['a variable', `query($n: Int) { ${aliases(30, '$n')} }`, { n: 500 }],
    ['a variable default', `query($n: Int = 500) { ${aliases(30, '$n')} }`, {}],
    ['a literal', `{ ${aliases(30, '500')} }`, {}],
    ['one alias, as a variable', `query($n: Int) { ${aliases(1, '$n')} }`, { n: 500 }],
  ])('refuses the amplification query with first as %s, fast, before any SQL', async (_, query, variables) => {
    const started = Date.now();
    const statements: string[] = [];
    const stop = db.database.onQuery((q) => statements.push(q));
    const result = await app.as('FACILITATOR', ['35.09'], query, variables);
    stop();
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors![0].message).toMatch(/query cost exceeds the limit/);
    expect(result.data ?? null).toBeNull();
    expect(statements).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses it over HTTP with 400', async () => {
    const response = await post({ query: `query($n: Int) { ${aliases(30, '$n')} }`, variables: { n: 500 } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('lets the largest contract page with verification through', async () => {
    const query = 'query($n: Int) { persons(first: $n) { edges { node { id verification { status issues nameSimilarity } } } } }';
    const result = await app.as('ADMIN', ['*'], query, { n: 500 });
    expect(result.errors).toBeUndefined();
    expect(result.data!.persons.edges).toHaveLength(2);
  });

  it('caps the work of a response whose lists are longer than estimated: refused as a whole', async () => {
    // Every village of Jawa Timur (8,500) with three levels of parents: cheap on paper (regions
    // is estimated at 100), about 200,000 values in fact.
    const query = '{ regions(parentCode: "35", level: VILLAGE) { code name parent { code name parent { code name parent { code name } } } } }';
    const result = await app.as('ADMIN', ['*'], query);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toMatch(/more than 100000 values/);
    expect(result.data ?? null).toBeNull();
    const smaller = await app.as('ADMIN', ['*'], '{ regions(parentCode: "35.09", level: VILLAGE) { code name parent { code name } } }');
    expect(smaller.errors).toBeUndefined();
    expect(smaller.data!.regions.length).toBeGreaterThan(200);
  });
});

describe('a statement time limit on PostgreSQL', () => {
  it.skipIf(!process.env.DATABASE_URL)('cancels a read that runs longer than statementTimeoutMs', async () => {
    const database = db.database;
    database.statementTimeoutMs = 200;
    try {
      const started = Date.now();
      await expect(database.execute(sql`select pg_sleep(5)`)).rejects.toMatchObject({ code: '57014' });
      expect(Date.now() - started).toBeLessThan(4000);
      expect(await database.execute(sql`select 1 as one`)).toEqual([{ one: 1 }]);
    } finally {
      database.statementTimeoutMs = 0;
    }
  });
});

describe('2. malformed strings never reach PostgreSQL', () => {
  it.each([
    ['person', 'query($id: ID) { person(id: $id) { id } }'],
    ['household', 'query($id: ID!) { household(id: $id) { id } }'],
    ['referral', 'query($id: ID!) { referral(id: $id) { id } }'],
  ])('refuses a lone surrogate in a %s id as BAD_USER_INPUT', async (_, query) => {
    const result = await app.as('ADMIN', ['*'], query, { id: 'a\ud800b' });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].message).toMatch(/\$id must be well-formed Unicode, found an unpaired surrogate U\+D800/);
  });

  it('refuses the request as a whole instead of spoiling the other ids of a batch', async () => {
    const result = await app.as('ADMIN', ['*'], 'query($bad: ID) { a: person(id: "P-1") { id } b: person(id: $bad) { id } }', { bad: '\udc00' });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    const good = await app.as('ADMIN', ['*'], '{ a: person(id: "P-1") { id } b: person(id: "nope") { id } }');
    expect(good).toEqual({ data: { a: { id: 'P-1' }, b: null } });
  });

  it('refuses NUL in auditLog filters, inline and as a variable', async () => {
    const inline = await app.as('ADMIN', ['*'], '{ auditLog(filter: { actor: "a\\u0000b" }) { totalCount } }');
    expect(codes(inline)).toEqual(['BAD_USER_INPUT']);
    expect(inline.errors![0].message).toMatch(/actor must not contain NUL/);
    const variable = await app.as('ADMIN', ['*'], 'query($f: AuditFilter) { auditLog(filter: $f) { totalCount } }', { f: { subjectId: '\u0000' } });
    expect(codes(variable)).toEqual(['BAD_USER_INPUT']);
  });

  it('refuses a well-formed cursor whose key holds NUL or a lone surrogate', async () => {
    for (const [list, field] of [['persons', 'persons'], ['households', 'households'], ['audit', 'auditLog'], ['referrals', 'referrals']] as const) {
      for (const key of ['P\u0000', 'P\ud800']) {
        const result = await app.as('ADMIN', ['*'], `query($a: String) { ${field}(after: $a) { totalCount } }`, { a: encodeCursor(list, key) });
        expect(codes(result), `${field} ${JSON.stringify(key)}`).toEqual(['BAD_USER_INPUT']);
      }
    }
  });

  it.each(['0000-01-01T00:00:00Z', '9999-12-31T23:59:59-23:59', '1799-12-31T23:59:59Z', '+275760-09-13T00:00:00Z'])(
    'refuses the DateTime %s that PostgreSQL cannot store (or Padu does not keep)', async (value) => {
      const result = await app.as('ADMIN', ['*'], 'query($t: DateTime) { auditLog(filter: { from: $t }) { totalCount } }', { t: value });
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    });
});

describe('3. one DateTime parser, as strict as Date', () => {
  it.each(['2025-02-30T00:00:00Z', '2025-02-28T24:00:00Z', '2025-02-28T23:60:00Z', '2025-02-28T23:59:60Z', '2025-02-28T12:00:00+24:00', '2025-13-01T00:00:00Z'])(
    'refuses %s instead of rolling it forward', async (value) => {
      expect(parseIsoInstant(value)).toBeNull();
      const variable = await app.as('ADMIN', ['*'], 'query($t: DateTime) { auditLog(filter: { to: $t }) { totalCount } }', { t: value });
      expect(codes(variable)).toEqual(['BAD_USER_INPUT']);
      // A literal the scalar refuses makes the document invalid, as for every scalar and enum.
      const inline = await app.as('ADMIN', ['*'], `{ auditLog(filter: { to: ${JSON.stringify(value)} }) { totalCount } }`);
      expect(codes(inline)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
      expect(inline.errors![0].message).toMatch(/DateTime must be an ISO 8601 instant/);
    });

  it('accepts real instants with an offset and normalises them to UTC', () => {
    expect(parseIsoInstant('2024-02-29T23:59:59.5+07:00')).toBe('2024-02-29T16:59:59.500Z');
    expect(parseIsoInstant('2026-11-22T05:16Z')).toBe('2026-11-22T05:16:00.000Z');
  });
});

describe('4. invisible text is not data', () => {
  const REGISTER = 'mutation($input: ComplaintInput!) { registerComplaint(input: $input) { id complainantName description inDtks } }';
  const complaint = (input: Record<string, unknown>) => ({
    input: { category: 'HEALTH', regionCode: VILLAGES.padomasan, name: 'Ratna Sari', description: 'Sakit.', ...input },
  });

  it.each([
    ['a zero-width space', { name: '\u200b' }],
    ['a bidi override', { name: 'Ratna\u202eiraS' }],
    ['bidi isolates around nothing', { name: '\u2066\u2069' }],
    ['a word joiner in the description', { description: 'ok\u2060' }],
    ['a BOM', { name: '\ufeffRatna' }],
    ['a Hangul filler', { name: '\u3164' }],
    ['a name that is only punctuation', { name: '%' }],
    ['a name that is only an underscore', { name: '_' }],
    ['a name that is an emoji alone', { name: '\u{1F600}' }],
    ['the replacement character', { name: 'Rat\ufffdna' }],
  ])('refuses %s', async (_, input) => {
    const before = await countReferrals();
    const result = await app.as('FACILITATOR', ['35.09'], REGISTER, complaint(input));
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(await countReferrals()).toEqual(before);
  });

  it('stores text in NFC', async () => {
    const result = await app.as('ADMIN', ['*'], REGISTER, complaint({ name: 'Nu\u0301r Aini', description: 'Cafe\u0301.' }));
    expect(result.errors).toBeUndefined();
    expect(result.data!.registerComplaint).toMatchObject({ complainantName: 'N\u00far Aini', description: 'Caf\u00e9.' });
  });

  it('refuses an invisible referredTo for REFERRED', async () => {
    const result = await app.as('ADMIN', ['*'], `mutation { transitionReferral(id: "R-1", to: REFERRED, expectedVersion: 1, referredTo: "\\u200b") { id } }`);
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  });

  it('has one rule set for GraphQL and CSV', () => {
    expect(textProblem('a\u200bb')).toMatch(/U\+200B/);
    expect(textProblem('line\nnext', { multiline: true })).toBeNull();
    expect(() => cleanText('\u202a', 'x', { max: 10 })).toThrow(/U\+202A/);
  });

  it('rejects a CSV row holding a lone surrogate instead of storing U+FFFD', async () => {
    const csv = `referral_id,registered_at,village_code,category,name,nik,description,status,referred_to\nCSV-1,2025-01-01T00:00:00Z,${VILLAGES.padomasan},HEALTH,Rat\ud800na,,Sakit,REGISTERED,\nCSV-2,2025-01-01T00:00:00Z,${VILLAGES.padomasan},HEALTH,Wati\u200b,,Sakit,REGISTERED,\n`;
    const result = await app.as('ADMIN', ['*'], 'mutation($csv: String!) { importRecords(kind: REFERRALS, csv: $csv) { accepted rejected errors { row field message } } }', { csv: csv.replace('\ud800', '\ufffd') });
    expect(result.errors).toBeUndefined();
    expect(result.data!.importRecords).toMatchObject({ accepted: 0, rejected: 2 });
    expect(result.data!.importRecords.errors).toEqual([
      { row: 1, field: 'name', message: expect.stringMatching(/U\+FFFD/) },
      { row: 2, field: 'name', message: expect.stringMatching(/U\+200B/) },
    ]);
    // The lone surrogate itself, as a GraphQL variable, is refused before the import starts.
    const lone = await app.as('ADMIN', ['*'], 'mutation($csv: String!) { importRecords(kind: REFERRALS, csv: $csv) { accepted } }', { csv });
    expect(codes(lone)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('5. automatic persisted queries and subscriptions', () => {
  it('answers PERSISTED_QUERY_NOT_FOUND for an unknown hash, then serves the registered query by hash', async () => {
    const query = '{ me { id } }';
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const unknown = await post({ extensions });
    const unknownBody = (await unknown.json()) as any;
    expect(unknownBody.errors[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    const registered = await post({ query, extensions });
    expect(await registered.json()).toEqual({ data: { me: { id: 'test-admin' } } });
    const byHash = await post({ extensions });
    expect(await byHash.json()).toEqual({ data: { me: { id: 'test-admin' } } });
    const wrong = await post({ query: '{ me { role } }', extensions });
    expect(((await wrong.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a subscription as a validation error, not an internal one', async () => {
    const result = await app.as('ADMIN', ['*'], 'subscription { me { id } }');
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors![0].message).toMatch(/subscriptions are not supported/);
  });
});

describe('6. no suggestions in production', () => {
  it('strips "Did you mean" from variable enum values, fields and arguments', async () => {
    const enumQuery = 'query($s: Sex) { persons(filter: { sex: $s }) { totalCount } }';
    const development = await app.as('ADMIN', ['*'], enumQuery, { s: 'm' });
    expect(development.errors![0].message).toMatch(/Did you mean/);
    const production = await prod.as('ADMIN', ['*'], enumQuery, { s: 'm' });
    expect(codes(production)).toEqual(['BAD_USER_INPUT']);
    for (const query of ['{ persns { totalCount } }', '{ persons(frist: 1) { totalCount } }', '{ persons(filter: { sex: m }) { totalCount } }']) {
      const result = await prod.as('ADMIN', ['*'], query);
      expect(result.errors!.length, query).toBeGreaterThan(0);
      for (const error of result.errors!) expect(error.message, query).not.toMatch(/Did you mean/);
    }
  });
});

describe('7. document length', () => {
  it('refuses a document of whitespace or comments longer than the cap, before parsing', async () => {
    for (const filler of [' '.repeat(3_000_000), `# ${'x'.repeat(3_000_000)}\n`]) {
      const started = Date.now();
      const response = await post({ query: `{ me { id } ${filler} }` });
      expect(response.status).toBe(400);
      const body = (await response.json()) as any;
      expect(body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
      expect(body.errors[0].message).toMatch(/longer than 100000 characters/);
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });

  it('refuses bodies of hostile JSON shape, and large bodies from callers who import nothing', async () => {
    const deep = `{"query":"{ me { id } }","variables":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`;
    const response = await post(deep);
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].message).toMatch(/nested deeper than 16/);
    const facilitator = await app.token('FACILITATOR', ['35.09']);
    const big = await post({ query: '{ me { id } }', variables: { pad: 'x'.repeat(300_000) } }, {}, facilitator);
    expect(big.status).toBe(413);
    expect(jsonShapeProblem(`{"a":"${'[{'.repeat(100)}\\""}`)).toBeNull();
    expect(jsonShapeProblem(`[${'1,'.repeat(20_000)}1]`)).toMatch(/more than 10000 values/);
  });
});

describe('8. inDtks as the viewer may know it', () => {
  const READ = 'query($id: ID!) { referral(id: $id) { inDtks person { id } household { id } } }';
  it('is the same whichever path made the referral', async () => {
    const csv = `referral_id,registered_at,village_code,category,name,nik,description,status,referred_to\nIMP-1,2025-01-01T00:00:00Z,${VILLAGES.padomasan},HEALTH,Wartini,${NIK_MOJOKERTO},Sakit,REGISTERED,\n`;
    const imported = await app.as('ADMIN', ['*'], 'mutation($csv: String!) { importRecords(kind: REFERRALS, csv: $csv) { accepted } }', { csv });
    expect(imported.data!.importRecords.accepted).toBe(1);
    const registered = await app.as('FACILITATOR', ['35.09'], 'mutation($input: ComplaintInput!) { registerComplaint(input: $input) { id inDtks person { id } } }', {
      input: { category: 'HEALTH', regionCode: VILLAGES.padomasan, name: 'Wartini', nik: NIK_MOJOKERTO, description: 'Sakit.' },
    });
    expect(registered.data!.registerComplaint).toMatchObject({ inDtks: false, person: null });
    for (const id of ['IMP-1', registered.data!.registerComplaint.id]) {
      const scoped = await app.as('FACILITATOR', ['35.09'], READ, { id });
      expect(scoped.data!.referral, id).toEqual({ inDtks: false, person: null, household: null });
      const national = await app.as('ADMIN', ['*'], READ, { id });
      expect(national.data!.referral, id).toEqual({ inDtks: true, person: { id: 'P-2' }, household: { id: 'H-2' } });
    }
    const proposals = await app.as('FACILITATOR', ['35.09'], '{ referrals(filter: { inDtks: false }) { totalCount edges { node { id } } } }');
    const ids = proposals.data!.referrals.edges.map((e: any) => e.node.id);
    expect(ids).toEqual(expect.arrayContaining(['IMP-1', registered.data!.registerComplaint.id]));
    expect(proposals.data!.referrals.totalCount).toBe(ids.length);
    const national = await app.as('ADMIN', ['*'], '{ referrals(filter: { inDtks: false }) { edges { node { id } } } }');
    expect(national.data!.referrals.edges.map((e: any) => e.node.id)).not.toContain('IMP-1');
  });
});

describe('9. smaller findings', () => {
  it('parses the media type exactly', async () => {
    expect(isJsonMediaType('application/json')).toBe(true);
    expect(isJsonMediaType('Application/JSON; charset=UTF-8')).toBe(true);
    expect(isJsonMediaType('application/jsonx')).toBe(false);
    expect(isJsonMediaType('application/json-patch+json')).toBe(false);
    expect(isJsonMediaType('application/json; charset=latin1')).toBe(false);
    expect(isJsonMediaType('text/plain; application/json')).toBe(false);
    const response = await post({ query: '{ me { id } }' }, { 'content-type': 'application/jsonx' });
    expect(response.status).toBe(415);
  });

  it('words the shape limits as validation errors, not "Syntax Error:"', async () => {
    const deep = `{ region(code: "35.09.01.2001") { ${'parent { '.repeat(14)}code${' }'.repeat(14)} } }`;
    const result = await app.as('ADMIN', ['*'], deep);
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors![0].message).toMatch(/^Query depth limit of 12 exceeded/);
  });

  it('counts __typename aliases', async () => {
    const result = await app.as('ADMIN', ['*'], `{ ${Array.from({ length: 1600 }, (_, i) => `t${i}: __typename`).join(' ')} }`);
    expect(codes(result)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(result.errors![0].message).toMatch(/^Aliases limit of 30 exceeded/);
  });

  it('refuses tokens that live too long or were issued in the future', async () => {
    const key = new TextEncoder().encode(TEST_JWT_SECRET);
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT({ sub: 'x', role: 'ADMIN', regions: ['*'], ...claims }).setProtectedHeader({ alg: 'HS256' }).sign(key);
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ iat: now, exp: 1_000_000_000_000 }, /lives longer than 24 h/],
      [{ iat: now + 3600, exp: now + 7200 }, /issued in the future/],
      [{ exp: now + 60 }, /not a valid HS256 JWT/],
    ];
    for (const [claims, message] of cases) {
      const result = await app.execute('{ me { id } }', {}, { token: await sign(claims) });
      expect(codes(result)).toEqual(['UNAUTHENTICATED']);
      expect(result.errors![0].message).toMatch(message);
    }
    const skewed = await app.execute('{ me { id } }', {}, { token: await sign({ iat: now + 30, exp: now + 3600 }) });
    expect(skewed.errors).toBeUndefined();
    await expect(signToken({ sub: 'x', role: 'ADMIN', regions: ['*'], ttl: '48h' }, TEST_JWT_SECRET)).rejects.toThrow(/longer than 24 h/);
  });
});
