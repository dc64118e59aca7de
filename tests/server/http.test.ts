import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpServer } from '../../src/server.js';
import { signToken } from '../../src/auth/tokens.js';
import { TEST_JWT_SECRET, listenTestServer } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';

let db: TestDatabase;
let http: HttpServer;
let base: string;
let token: string;

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

beforeAll(async () => {
  db = await openTestDatabase();
  ({ http, base } = await listenTestServer(db.database, { MAX_BODY_BYTES: '65536' }));
  token = await signToken({ sub: 'http-test', role: 'ADMIN', regions: ['*'] }, TEST_JWT_SECRET);
});
afterAll(async () => {
  await http?.close(1000);
  await db?.dispose();
});

describe('HTTP', () => {
  it('serves /healthz and /readyz', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json() as any).toEqual({ status: 'ready' });
  });

  it('answers 404 elsewhere', async () => {
    expect((await fetch(`${base}/admin`)).status).toBe(404);
  });

  it('serves a query for a bearer token', async () => {
    const response = await post({ query: '{ me { id role } }' });
    expect(response.status).toBe(200);
    expect(await response.json() as any).toEqual({ data: { me: { id: 'http-test', role: 'ADMIN' } } });
  });

  it('answers 401 UNAUTHENTICATED with no data without credentials', async () => {
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { id } }"}' });
    expect(response.status).toBe(401);
    const body = (await response.json()) as any;
    expect(body.data).toBeUndefined();
    expect(body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses two Authorization headers (credential smuggling)', async () => {
    const other = await signToken({ sub: 'other', role: 'FACILITATOR', regions: ['35.09.01'] }, TEST_JWT_SECRET);
    const headers = new Headers({ 'content-type': 'application/json' });
    headers.append('authorization', `Bearer ${other}`);
    headers.append('authorization', `Bearer ${token}`);
    const response = await fetch(`${base}/graphql`, { method: 'POST', headers, body: '{"query":"{ me { id } }"}' });
    expect(response.status).toBe(401);
    expect((await response.json() as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('refuses invalid JSON, a missing content type and an oversized body', async () => {
    const invalid = await post('{"query": ');
    expect(invalid.status).toBe(400);
    expect((await invalid.json() as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const text = await fetch(`${base}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: '{}' });
    expect(text.status).toBe(415);
    const huge = await post({ query: `{ me { id } } # ${'x'.repeat(70_000)}` });
    expect(huge.status).toBe(413);
  });

  it('refuses malformed documents with parse and validation codes', async () => {
    expect((await (await post({ query: '{ me { ' })).json() as any).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect((await (await post({ query: '{ nope }' })).json() as any).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuses deep and alias-bombed documents', async () => {
    const deep = `{ region(code: "35.09.01.2001") { ${'parent { '.repeat(14)}code${' }'.repeat(14)} } }`;
    const deepBody = await (await post({ query: deep })).json() as any;
    expect(deepBody.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const aliases = `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    expect((await (await post({ query: aliases })).json() as any).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('does not answer batched requests', async () => {
    const response = await post([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]);
    expect(response.status).toBe(400);
  });
});

describe('graceful shutdown', () => {
  it('lets an in-flight request finish, then refuses new connections', async () => {
    const own = await listenTestServer(db.database);
    const slowToken = await signToken({ sub: 'slow', role: 'ADMIN', regions: ['*'] }, TEST_JWT_SECRET);
    // A request whose body arrives slowly is in flight when close() starts.
    const body = JSON.stringify({ query: '{ me { id } }' });
    let push!: (chunk: string | null) => void;
    const stream = new ReadableStream<string>({ start: (c) => { push = (chunk) => (chunk === null ? c.close() : c.enqueue(chunk)); } });
    const inFlight = fetch(`${own.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${slowToken}` },
      body: stream.pipeThrough(new TextEncoderStream()),
      duplex: 'half',
    } as RequestInit);
    push(body.slice(0, 10));
    await new Promise((r) => setTimeout(r, 100));
    const closing = own.http.close(5000);
    await new Promise((r) => setTimeout(r, 100));
    push(body.slice(10));
    push(null);
    const response = await inFlight;
    expect(await response.json() as any).toEqual({ data: { me: { id: 'slow' } } });
    await closing;
    await expect(fetch(`${own.base}/healthz`)).rejects.toThrow();
  });
});

describe('document size', () => {
  it('refuses a document of more than 5000 tokens as GRAPHQL_PARSE_FAILED', async () => {
    const query = `{ ${Array.from({ length: 2600 }, () => 'me { id }').join(' ')} }`;
    const body = await (await post({ query })).json() as any;
    expect(body.errors[0]).toMatchObject({ message: expect.stringMatching(/more tha[nt] 5000 tokens/), extensions: { code: 'GRAPHQL_PARSE_FAILED' } });
  });
});
