import { isNonNullType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildUnguardedSchema } from '../../src/graphql/schema.js';
import { RULES } from '../../src/permissions/shield.js';

describe('shield map', () => {
  it('names an explicit rule for every field of every object type, query and mutation', async () => {
    const schema = await buildUnguardedSchema();
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.keys(type.getFields())) {
        if (!RULES[type.name]?.[field]) missing.push(`${type.name}.${field}`);
      }
    }
    expect(missing, 'fields without a rule in src/permissions/shield.ts').toEqual([]);
  });

  it('has no rule for a field that does not exist (a renamed field would lose its guard)', async () => {
    const schema = await buildUnguardedSchema();
    const stale: string[] = [];
    for (const [typeName, fields] of Object.entries(RULES)) {
      const type = schema.getType(typeName);
      for (const field of Object.keys(fields)) {
        if (!type || !isObjectType(type) || !type.getFields()[field]) stale.push(`${typeName}.${field}`);
      }
    }
    expect(stale).toEqual([]);
  });

  it('makes every guarded field nullable, so a denial does not wipe out its parent', async () => {
    const schema = await buildUnguardedSchema();
    const guarded: Record<string, string[]> = {
      Person: ['nik', 'kkNumber', 'name', 'birthDate', 'disability', 'chronicIllness', 'nikMasked', 'age', 'sex', 'relationship', 'presence'],
      Enrolment: ['nik', 'name', 'kkNumber'],
      Household: ['address', 'rt', 'rw'],
      Referral: ['complainantName', 'nik', 'description'],
      ReferralEvent: ['note'],
    };
    for (const [typeName, fields] of Object.entries(guarded)) {
      const type = schema.getType(typeName);
      if (!type || !isObjectType(type)) throw new Error(`no type ${typeName}`);
      for (const field of fields) {
        expect(isNonNullType(type.getFields()[field].type), `${typeName}.${field} must be nullable`).toBe(false);
      }
    }
  });
});
