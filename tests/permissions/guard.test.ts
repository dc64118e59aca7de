import { isObjectType, Kind, parse, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/auth/viewer.js';
import type { Context } from '../../src/context.js';
import { buildPaduSchema, buildUnguardedSchema } from '../../src/graphql/schema.js';
import { FieldGuard } from '../../src/permissions/guard.js';
import { RULES } from '../../src/permissions/shield.js';
import { allow } from '../../src/permissions/graphql-shield.js';

/** Decide a document for a role as the guard plugin does before execution. */
async function decide(role: Role, source: string, variables: Record<string, unknown> = {}) {
  const schema = await buildPaduSchema();
  const document = parse(source);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
  const guard = new FieldGuard();
  const ctx = { viewer: { id: 't', role, regions: ['*'], programs: [] } } as unknown as Context;
  await guard.prepare(ctx, schema, document, operation, variables);
  return guard;
}

describe('field guard walk (once per operation)', () => {
  it('decides fields through aliases, fragments and inline fragments, recording denied coordinates and paths', async () => {
    const guard = await decide('ANALYST', `query { p: person(id: "P1") { ...F ... on Person { kk: kkNumber } household { address desil } } }
      fragment F on Person { age nik }`);
    expect([...guard.denied].sort()).toEqual(['Household.address', 'Person.kkNumber', 'Person.nik']);
    expect(guard.deniedPaths.sort()).toEqual(['p.household.address', 'p.kk', 'p.nik']);
    expect(guard.decision('Person.age')).toBe(true);
    expect(guard.decision('Household.desil')).toBe(true);
  });

  it('honours @skip and @include with the request variables', async () => {
    const guard = await decide('ANALYST', 'query($s: Boolean!) { person(id: "P1") { nik @skip(if: $s) name @include(if: $s) } }', { s: true });
    expect([...guard.denied]).toEqual(['Person.name']);
    expect(guard.decision('Person.nik')).toBeUndefined();
  });

  it('does not enter a denied field: its selection resolves to null anyway', async () => {
    const guard = await decide('AUDITOR', '{ me { role } person(id: "P1") { nik household { address } } }');
    expect([...guard.denied]).toEqual(['Query.person']);
    expect(guard.decision('Viewer.role')).toBe(true);
  });

  it('denies mutations by default to roles without a rule for them', async () => {
    const guard = await decide('FACILITATOR', 'mutation { importRecords(kind: PROGRAMS, csv: "x") { id } }');
    expect([...guard.denied]).toEqual(['Mutation.importRecords']);
  });
});

describe('guarded schema', () => {
  it('leaves fields whose rule is allow unwrapped, and wraps every other field', async () => {
    const guarded = await buildPaduSchema();
    const bare = await buildUnguardedSchema();
    expect(guarded).not.toBe(bare);
    for (const type of Object.values(guarded.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const open = RULES[type.name]?.[field.name] === allow;
        const bareResolve = (bare.getType(type.name) as typeof type).getFields()[field.name].resolve;
        if (open) expect(field.resolve === undefined || bareResolve !== undefined, `${type.name}.${field.name}`).toBe(true);
        else expect(field.resolve, `${type.name}.${field.name} must be guarded`).toBeTypeOf('function');
      }
    }
    // Plain properties of open types are read by graphql-js's default resolver (simpleResolvers).
    expect((guarded.getType('Region') as any).getFields().code.resolve).toBeUndefined();
  });
});
