import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import {
  buildSchema, getNamedType, getNullableType, isEnumType, isInputObjectType, isLeafType, isListType, isNonNullType,
  isObjectType, type GraphQLArgument, type GraphQLField, type GraphQLInputType, type GraphQLNamedType,
  type GraphQLObjectType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_CODES } from '../../src/graphql/format-error.js';
import type { HttpServer } from '../../src/server.js';
import { createTestApp, type TestApp, listenTestServer } from '../helpers/app.js';
import { openTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addEnrolments, addHouseholds, addPersons, addReferrals, VILLAGES } from '../helpers/fixtures.js';

/**
 * Schema-driven fuzzing (issue 14). The emitted SDL (schema/schema.graphql) is read, and every
 * argument and input field of every root field gets hostile values, inline and as variables,
 * for a national ADMIN and a scoped FACILITATOR, over HTTP. A field or argument added later is
 * fuzzed without anyone remembering to. Every answer must be:
 * - not a 5xx, and no error INTERNAL_SERVER_ERROR (a bad input is a clear client error);
 * - every error code one of the contract's client codes;
 * - no SQL, stack trace or file path in any message;
 * - after a refused mutation, no table changed (checksums of every table; the audit trail may
 *   only gain DENIED entries).
 * Bounded: one hostile value at a time, other arguments at a plain value; a few thousand
 * requests, well under a minute per driver.
 */

const sdl = buildSchema(readFileSync('schema/schema.graphql', 'utf8'));

const LONG = 'x'.repeat(5000);
const HOSTILE_TEXT: unknown[] = [
  '', ' ', 'a\u0000b', 'a\ud800b', '\udfff', LONG, "' OR 1=1 --", '%', '_', '\u202e\u200b', '35.09\u0000', '../../etc/passwd',
  '\\', '"', '🙂'.repeat(50), '-1', 'null', 42, true, null,
];
const HOSTILE_INT: unknown[] = [-1, 0, 501, 2147483647, -2147483648, 2 ** 31, 1.5, '1', null, Number.MAX_SAFE_INTEGER];
const HOSTILE: Record<string, unknown[]> = {
  String: HOSTILE_TEXT,
  ID: HOSTILE_TEXT,
  Int: HOSTILE_INT,
  Float: [-1, 1e308, 0.5, 'NaN', null],
  Boolean: ['true', 1, null],
  Date: ['2025-02-30', '0000-01-01', '9999-12-31', '2025-1-1', '', '2025-02-28T00:00:00Z', 'a\u0000', 20250101, null],
  DateTime: ['2025-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59-23:59', '2025-02-28T24:00:00Z', '+275760-09-13T00:00:00Z', 'T', '', 1, null],
};
const HOSTILE_ENUM: unknown[] = ['NOPE', 'm', '', 1, 'a\u0000', null];
const HOSTILE_OBJECT: unknown[] = ['text', 1, [], { unknownField: 1 }];

/** A plain value of a type, for the arguments not being fuzzed (it need not name a record). */
function plain(type: GraphQLInputType, name: string): unknown {
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].value;
  if (isInputObjectType(named)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(named.getFields())) if (isNonNullType(field.type)) value[field.name] = plain(field.type, field.name);
    return value;
  }
  switch (named.name) {
    case 'Int': return name === 'expectedVersion' ? 1 : 10;
    case 'Float': return 1;
    case 'Boolean': return true;
    case 'Date': return '2025-01-01';
    case 'DateTime': return '2025-01-01T00:00:00Z';
    case 'ID': return 'R-1';
    default:
      if (name === 'regionCode' || name === 'code' || name === 'parentCode') return VILLAGES.padomasan;
      if (name === 'csv') return 'referral_id,registered_at,village_code,category,name,nik,description,status,referred_to\n';
      return 'Sutrisno';
  }
}

interface Slot {
  /** arg or arg.field.field */
  path: string[];
  type: GraphQLInputType;
}

/** Every argument and (nested) input field of a root field. */
function slotsOf(field: GraphQLField<unknown, unknown>): Slot[] {
  const slots: Slot[] = [];
  const walk = (path: string[], type: GraphQLInputType, depth: number) => {
    slots.push({ path, type });
    const named = getNamedType(type);
    if (isInputObjectType(named) && depth < 3) {
      for (const f of Object.values(named.getFields())) walk([...path, f.name], f.type, depth + 1);
    }
  };
  for (const arg of field.args) walk([arg.name], arg.type, 0);
  return slots;
}

function hostileValues(type: GraphQLInputType): unknown[] {
  const named = getNamedType(type);
  const values = isEnumType(named) ? HOSTILE_ENUM : isInputObjectType(named) ? HOSTILE_OBJECT : HOSTILE[named.name] ?? HOSTILE_TEXT;
  return isListType(getNullableType(type)) ? [...values, [values[0]]] : values;
}

function withValue(args: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const copy = structuredClone(args);
  let at: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof at[key] !== 'object' || at[key] === null) at[key] = {};
    at = at[key] as Record<string, unknown>;
  }
  at[path.at(-1)!] = value;
  return copy;
}

/** A GraphQL literal of a JSON value (enum-typed strings that are names become enum literals). */
function literal(value: unknown, type: GraphQLInputType | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') {
    const named = type && getNamedType(type);
    return named && isEnumType(named) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value) ? value : JSON.stringify(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, type)).join(', ')}]`;
  const named = type && getNamedType(type);
  const fields = named && isInputObjectType(named) ? named.getFields() : {};
  return `{ ${Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${literal(v, fields[k]?.type)}`).join(', ')} }`;
}

/** A small selection of a field's type: its leaf fields, connections through edges/node. */
function selection(type: GraphQLNamedType, depth = 0): string {
  if (isLeafType(type) || !isObjectType(type)) return '';
  const fields = Object.values((type as GraphQLObjectType).getFields()).filter((f) => f.args.every((a) => !isNonNullType(a.type)));
  const parts: string[] = ['__typename'];
  for (const f of fields) {
    const named = getNamedType(f.type);
    if (isLeafType(named)) parts.push(f.name);
    else if (depth < 2 && (f.name === 'edges' || f.name === 'node' || f.name === 'pageInfo' || depth === 0)) parts.push(`${f.name} ${selection(named, depth + 1)}`);
  }
  return `{ ${parts.join(' ')} }`;
}

function typeName(type: GraphQLInputType): string {
  return String(type);
}

interface Case {
  root: 'query' | 'mutation';
  field: string;
  slot: string;
  mode: 'inline' | 'variables';
  query: string;
  variables: Record<string, unknown>;
}

function casesFor(root: 'query' | 'mutation', field: GraphQLField<unknown, unknown>): Case[] {
  const base: Record<string, unknown> = {};
  for (const arg of field.args) if (isNonNullType(arg.type)) base[arg.name] = plain(arg.type, arg.name);
  const select = selection(getNamedType(field.type));
  const argsByName = new Map<string, GraphQLArgument>(field.args.map((a) => [a.name, a]));
  const cases: Case[] = [];
  for (const slot of slotsOf(field)) {
    for (const value of hostileValues(slot.type)) {
      const args = withValue(base, slot.path, value);
      const declared = field.args.filter((a) => a.name in args);
      const definitions = declared.map((a) => `$${a.name}: ${typeName(a.type)}`).join(', ');
      const variableQuery = `${root}${definitions ? `(${definitions})` : ''} { ${field.name}${declared.length ? `(${declared.map((a) => `${a.name}: $${a.name}`).join(', ')})` : ''} ${select} }`;
      cases.push({ root, field: field.name, slot: slot.path.join('.'), mode: 'variables', query: variableQuery, variables: args });
      const inlineArgs = Object.entries(args).map(([k, v]) => `${k}: ${literal(v, argsByName.get(k)?.type)}`).join(', ');
      cases.push({ root, field: field.name, slot: slot.path.join('.'), mode: 'inline', query: `${root} { ${field.name}${inlineArgs ? `(${inlineArgs})` : ''} ${select} }`, variables: {} });
    }
  }
  return cases;
}

const queryCases = Object.values(sdl.getQueryType()!.getFields()).flatMap((f) => casesFor('query', f));
const mutationCases = Object.values(sdl.getMutationType()?.getFields() ?? {}).flatMap((f) => casesFor('mutation', f));

/** What must never appear in a message: SQL, a stack frame, a file path, driver internals. */
const LEAKS = [
  /\bselect\b[\s\S]*\bfrom\b/i, /\binsert into\b/i, /syntax error at or near/i, /\brelation "/i, /\bcolumn "/i,
  /violates .* constraint/i, /invalid input syntax for type/i, /\bat [\w.<>]+ \(/, /\.[cm]?[jt]s:\d+/, /node_modules/,
  /\/work\/|\/home\/|\/usr\//, /postgres|pglite|drizzle/i, /Unexpected error/i,
];

let db: TestDatabase;
let app: TestApp;
let http: HttpServer;
let base: string;
let tokens: Array<[string, string]>;
let tables: string[];

beforeAll(async () => {
  db = await openTestDatabase();
  const d = db.database;
  await addHouseholds(d, [
    { id: 'H-1', villageCode: VILLAGES.padomasan, desil: 2 },
    { id: 'H-2', villageCode: VILLAGES.mentikan, desil: 3 },
  ]);
  await addPersons(d, [
    { id: 'P-1', householdId: 'H-1', villageCode: VILLAGES.padomasan, name: 'Sutrisno', nik: '3509011203800001' },
    { id: 'P-2', householdId: 'H-2', villageCode: VILLAGES.mentikan, name: 'Wartini', nik: '3576014506750002' },
  ]);
  await addEnrolments(d, [{ id: 'E-1', programCode: 'PKH', villageCode: VILLAGES.padomasan, name: 'Sutrisno', nik: '3509011203800001', status: 'ACTIVE' }]);
  await addReferrals(d, [{ id: 'R-1', villageCode: VILLAGES.padomasan, personId: 'P-1', householdId: 'H-1', inDtks: true }]);
  app = await createTestApp(d);
  ({ http, base } = await listenTestServer(d));
  tokens = [['ADMIN *', await app.token('ADMIN', ['*'])], ['FACILITATOR 35.09', await app.token('FACILITATOR', ['35.09'])]];
  // Every table of the schema, found at run time: tables added later are checked too. The
  // regions are loaded once by the migration and never written.
  tables = (await d.execute<{ name: string }>(sql`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name <> 'regions' order by 1`)).map((t) => t.name);
}, 180_000);
afterAll(async () => {
  await http?.close(1000);
  await app?.stop();
  await db?.dispose();
});

/** One checksum of every table's rows; the audit trail counts all but DENIED entries. */
async function checksum(): Promise<string> {
  const parts = tables.map((t) =>
    t === 'audit_entries'
      ? `(select count(*)::text from audit_entries where action <> 'DENIED')`
      : `(select coalesce(md5(string_agg(md5(x::text), '' order by md5(x::text))), '') from "${t}" x)`);
  const [row] = await db.database.execute<{ sum: string }>(sql.raw(`select md5(concat_ws('|', ${parts.join(', ')})) as sum`));
  return row.sum;
}

interface Failure {
  who: string;
  case: string;
  problem: string;
}

async function run(c: Case, who: string, token: string, failures: Failure[]): Promise<{ refused: boolean }> {
  const response = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: c.query, variables: c.variables }),
  });
  const text = await response.text();
  const label = `${c.root} ${c.field} ${c.slot} ${c.mode} ${JSON.stringify(c.variables).slice(0, 80)}`;
  const fail = (problem: string) => failures.push({ who, case: label, problem });
  if (response.status >= 500) fail(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  let body: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string } }> };
  try {
    body = JSON.parse(text);
  } catch {
    fail(`not JSON: ${text.slice(0, 100)}`);
    return { refused: true };
  }
  for (const error of body.errors ?? []) {
    const code = error.extensions?.code;
    if (code === 'INTERNAL_SERVER_ERROR') fail(`INTERNAL_SERVER_ERROR: ${error.message}`);
    else if (typeof code !== 'string' || !CLIENT_CODES.has(code)) fail(`code ${code}: ${error.message}`);
    const leak = LEAKS.find((pattern) => pattern.test(error.message));
    if (leak) fail(`message leaks (${leak}): ${error.message.slice(0, 200)}`);
  }
  return { refused: body.data?.[c.field] == null };
}

describe('schema-driven fuzzing of every root field', () => {
  it('reaches every argument and input field of the emitted schema', () => {
    for (const root of [sdl.getQueryType()!, sdl.getMutationType()!]) {
      for (const field of Object.values(root.getFields())) {
        for (const arg of field.args) {
          expect([...queryCases, ...mutationCases].some((c) => c.field === field.name && c.slot === arg.name), `${field.name}(${arg.name})`).toBe(true);
        }
      }
    }
    expect(queryCases.length).toBeGreaterThan(500);
    expect(mutationCases.length).toBeGreaterThan(100);
  });

  it('answers every hostile query with a clear client error or data, never an internal one', async () => {
    const failures: Failure[] = [];
    for (const [who, token] of tokens) {
      // A few in parallel: a realistic client load, and the run stays short.
      for (let i = 0; i < queryCases.length; i += 8) {
        await Promise.all(queryCases.slice(i, i + 8).map((c) => run(c, who, token, failures)));
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
  }, 600_000);

  it('changes no table when a hostile mutation is refused', async () => {
    const failures: Failure[] = [];
    for (const [who, token] of tokens) {
      let before = await checksum();
      for (const c of mutationCases) {
        const { refused } = await run(c, who, token, failures);
        const after = await checksum();
        if (refused && after !== before) failures.push({ who, case: `${c.field} ${c.slot} ${c.mode} ${JSON.stringify(c.variables).slice(0, 80)}`, problem: 'a refused mutation changed a table' });
        before = after;
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
  }, 600_000);
});

