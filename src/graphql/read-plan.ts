import { sql, type SQL } from 'drizzle-orm';
import {
  defaultFieldResolver, getArgumentValues, getDirectiveValues, getNamedType, GraphQLIncludeDirective, GraphQLSkipDirective,
  isObjectType, Kind, type FieldNode, type GraphQLFieldResolver, type GraphQLObjectType, type GraphQLResolveInfo,
  type GraphQLSchema, type SelectionSetNode,
} from 'graphql';
import { enrolmentScope, rowScope } from '../auth/scope.js';
import type { Viewer } from '../auth/viewer.js';
import type { Context } from '../context.js';
import { recordOf, verificationJoins, verificationJson } from '../modules/verification/verification.sql.js';

/**
 * One statement per list or lookup (DESIGN.md "One statement per list", PostGraphile 5's
 * planning and Pothos plugin-drizzle's look-ahead): the root resolver of a registry read compiles
 * the operation's selection below it into the SELECT list of its one statement.
 *
 *   - only the requested columns are read (plus the keys every resolver and the audit need:
 *     ids, village codes, foreign keys), never a column the viewer is denied (FieldGuard.denied);
 *   - a to-one relation (Enrolment.person, Person.household, …) is a correlated subquery
 *     returning one json object, a to-many relation (Household.members, Person.enrolments) a
 *     correlated json_agg subquery, each with the same region scope (and program scope for
 *     enrolments) as the loader it replaces, in the loader's order;
 *   - the relation's value is stored on the row under `$<response key>`, and the field's
 *     resolver returns it as a plain property read (installPreloadedFields); a row without it
 *     (any other path: by id, mutations, …) goes to the DataLoader as before.
 * Fields not planned here (region, referrals, exclusiveWith, …) keep their loaders; the keys
 * they need are always selected. Planning is only an optimisation of the loaders' reads: the
 * same rows, the same scope.
 */

/** Column expressions of a table alias `a`; keys are the property names resolvers read. */
type Columns = Record<string, (a: string) => string>;

interface Relation {
  target: TableSpec | 'verification';
  many?: boolean;
  /** The join condition from the parent alias to the child alias. */
  on?: (parent: string, child: string) => string;
  /** Extra conditions from the field's arguments. */
  where?: (args: Record<string, unknown>, child: string) => SQL | null;
}

export interface TableSpec {
  type: string;
  table: string;
  scope: (viewer: Viewer, alias: string) => SQL;
  columns: Columns;
  /** Keys read whatever the selection: ids, places, foreign keys. */
  always: readonly string[];
  /** Fields computed in JavaScript from other keys. */
  derived: Record<string, readonly string[]>;
  relations: Record<string, Relation>;
  /** Record shape for the verification SQL (persons have a sex, enrolments do not). */
  verifiedWithSex?: boolean;
}

const col = (name: string): ((a: string) => string) => (a) => `${a}.${name}`;

export const HOUSEHOLD_SPEC: TableSpec = {
  type: 'Household',
  table: 'households',
  scope: rowScope,
  columns: { id: col('id'), villageCode: col('village_code'), address: col('address'), rt: col('rt'), rw: col('rw'), desil: col('desil') },
  always: ['id', 'villageCode'],
  derived: {},
  relations: {},
};

export const PROGRAM_SPEC: TableSpec = {
  type: 'Program',
  table: 'programs',
  // Programs are national reference data (src/modules/programs): no row scope.
  scope: () => sql`true`,
  columns: { code: col('code'), name: col('name'), targetUnit: col('target_unit') },
  always: ['code'],
  derived: {},
  relations: {},
};

export const PERSON_SPEC: TableSpec = {
  type: 'Person',
  table: 'persons',
  scope: rowScope,
  columns: {
    id: col('id'), householdId: col('household_id'), villageCode: col('village_code'), nik: col('nik'), kkNumber: col('kk_number'),
    name: col('name'), sex: col('sex'), birthDate: (a) => `${a}.birth_date::text`, relationship: col('relationship'),
    presence: col('presence'), disability: col('disability'), chronicIllness: col('chronic_illness'), ppks: (a) => `to_json(${a}.ppks)`,
  },
  always: ['id', 'householdId', 'villageCode'],
  derived: { nikMasked: ['nik'], age: ['birthDate'] },
  relations: {},
  verifiedWithSex: true,
};

export const ENROLMENT_SPEC: TableSpec = {
  type: 'Enrolment',
  table: 'enrolments',
  scope: enrolmentScope,
  columns: {
    id: col('id'), programCode: col('program_code'), status: col('status'), startDate: (a) => `${a}.start_date::text`,
    endDate: (a) => `${a}.end_date::text`, villageCode: col('village_code'), nik: col('nik'), name: col('name'),
    kkNumber: col('kk_number'), personId: col('person_id'), householdId: col('household_id'),
  },
  always: ['id', 'programCode', 'villageCode', 'personId', 'householdId'],
  derived: {},
  relations: {},
  verifiedWithSex: false,
};

const byStatus = (args: Record<string, unknown>, child: string) => (args.status == null ? null : sql`${sql.raw(child)}.status = ${args.status}`);

Object.assign(HOUSEHOLD_SPEC.relations, {
  members: { target: PERSON_SPEC, many: true, on: (h: string, p: string) => `${p}.household_id = ${h}.id` },
  enrolments: { target: ENROLMENT_SPEC, many: true, on: (h: string, e: string) => `${e}.household_id = ${h}.id`, where: byStatus },
} satisfies Record<string, Relation>);
Object.assign(PERSON_SPEC.relations, {
  household: { target: HOUSEHOLD_SPEC, on: (p: string, h: string) => `${h}.id = ${p}.household_id` },
  enrolments: { target: ENROLMENT_SPEC, many: true, on: (p: string, e: string) => `${e}.person_id = ${p}.id`, where: byStatus },
  verification: { target: 'verification' },
} satisfies Record<string, Relation>);
Object.assign(ENROLMENT_SPEC.relations, {
  program: { target: PROGRAM_SPEC, on: (e: string, pr: string) => `${pr}.code = ${e}.program_code` },
  person: { target: PERSON_SPEC, on: (e: string, p: string) => `${p}.id = ${e}.person_id` },
  household: { target: HOUSEHOLD_SPEC, on: (e: string, h: string) => `${h}.id = ${e}.household_id` },
  verification: { target: 'verification' },
} satisfies Record<string, Relation>);

const SPECS = [HOUSEHOLD_SPEC, PROGRAM_SPEC, PERSON_SPEC, ENROLMENT_SPEC];

/** The key under which a planned relation's value is stored on its parent row. */
const preloadKey = (responseKey: string) => `$${responseKey}`;
const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;
/** Key/value pairs per json_build_object (PostgreSQL allows 100 arguments, i.e. 50 pairs). */
const MAX_PAIRS = 50;

interface Selected {
  name: string;
  nodes: FieldNode[];
}

type Look = Pick<GraphQLResolveInfo, 'fragments' | 'variableValues' | 'schema'>;

/** The fields selected on `type` by these selection sets, merged by response key (as graphql-js does). */
function collect(look: Look, type: GraphQLObjectType, sets: readonly (SelectionSetNode | undefined)[]): Map<string, Selected> {
  const fields = new Map<string, Selected>();
  const included = (node: FieldNode | { directives?: FieldNode['directives'] }) => {
    if (!node.directives?.length) return true;
    if (getDirectiveValues(GraphQLSkipDirective, node as FieldNode, look.variableValues)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node as FieldNode, look.variableValues)?.if !== false;
  };
  const applies = (condition: string | undefined) => {
    if (condition == null || condition === type.name) return true;
    const named = look.schema.getType(condition);
    return named != null && !isObjectType(named) && look.schema.isSubType(named as never, type);
  };
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>) => {
    for (const selection of set?.selections ?? []) {
      if (!included(selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const entry = fields.get(key);
        if (entry) entry.nodes.push(selection);
        else fields.set(key, { name: selection.name.value, nodes: [selection] });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) visit(selection.selectionSet, seen);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = look.fragments[selection.name.value];
        if (fragment && applies(fragment.typeCondition.name.value)) visit(fragment.selectionSet, seen);
      }
    }
  };
  for (const set of sets) visit(set, new Set());
  return fields;
}

function childFields(look: Look, parent: GraphQLObjectType, selected: Selected): { type: GraphQLObjectType; fields: Map<string, Selected> } | null {
  const field = parent.getFields()[selected.name];
  const named = field && getNamedType(field.type);
  if (!named || !isObjectType(named)) return null;
  return { type: named, fields: collect(look, named, selected.nodes.map((n) => n.selectionSet)) };
}

class Planner {
  private aliases = 0;
  constructor(private readonly look: Look, private readonly ctx: Context) {}

  private denied(type: string, field: string) {
    return this.ctx.guard.denied.has(`${type}.${field}`);
  }

  /** [key, expression] pairs of one row of `spec` (alias `a`) for the selected fields. */
  pairs(spec: TableSpec, a: string, type: GraphQLObjectType, fields: Map<string, Selected>): Array<[string, SQL]> {
    const keys = new Set(spec.always);
    const out: Array<[string, SQL]> = [];
    const relations: Array<[string, Selected, Relation]> = [];
    for (const [responseKey, selected] of fields) {
      if (this.denied(spec.type, selected.name)) continue;
      if (spec.columns[selected.name]) keys.add(selected.name);
      else if (spec.derived[selected.name]) for (const k of spec.derived[selected.name]) keys.add(k);
      else if (spec.relations[selected.name] && NAME.test(responseKey)) relations.push([responseKey, selected, spec.relations[selected.name]]);
    }
    for (const key of keys) out.push([key, sql.raw(spec.columns[key](a))]);
    for (const [responseKey, selected, relation] of relations) {
      // json_build_object takes at most 100 arguments: relations beyond that stay with their loaders.
      if (out.length >= MAX_PAIRS) break;
      if (relation.target === 'verification') {
        const record = recordOf(a, spec.verifiedWithSex === true);
        out.push([preloadKey(responseKey), sql`(select ${verificationJson(record, sql.raw(`${a}.id`))} from (select 1) one ${verificationJoins(record)})`]);
        continue;
      }
      const child = childFields(this.look, type, selected);
      if (!child) continue;
      const target = relation.target;
      const b = `t${++this.aliases}`;
      const object = this.json(this.pairs(target, b, child.type, child.fields));
      const args = getArgumentValues(type.getFields()[selected.name], selected.nodes[0], this.look.variableValues);
      const extra = relation.where?.(args, b);
      const where = sql`${sql.raw(relation.on!(a, b))} and ${target.scope(this.ctx.viewer, b)}${extra ? sql` and ${extra}` : sql``}`;
      const from = sql.raw(`${target.table} ${b}`);
      out.push([preloadKey(responseKey), relation.many
        ? sql`coalesce((select json_agg(${object} order by ${sql.raw(`${b}.${target === PROGRAM_SPEC ? 'code' : 'id'}`)}) from ${from} where ${where}), '[]'::json)`
        : sql`(select ${object} from ${from} where ${where} limit 1)`]);
    }
    return out;
  }

  json(pairs: Array<[string, SQL]>): SQL {
    return sql`json_build_object(${sql.join(pairs.map(([k, e]) => sql`${sql.raw(`'${k}'`)}, ${e}`), sql`, `)})`;
  }
}

/**
 * The SELECT list of a root read of `spec` (alias `alias`, the alias its service's WHERE uses)
 * for what the operation selects at `path` below the resolver's field (e.g. ['edges', 'node']
 * for a connection, [] for a lookup). Keys become the row's properties.
 */
export function planColumns(ctx: Context, info: GraphQLResolveInfo, spec: TableSpec, alias: string, path: readonly string[]): SQL {
  let type = getNamedType(info.returnType);
  let fields = isObjectType(type) ? collect(info, type, info.fieldNodes.map((n) => n.selectionSet)) : new Map<string, Selected>();
  for (const step of path) {
    const merged: FieldNode[] = [];
    for (const selected of fields.values()) if (selected.name === step) merged.push(...selected.nodes);
    const field = isObjectType(type) ? type.getFields()[step] : undefined;
    const next = field && getNamedType(field.type);
    if (!next || !isObjectType(next)) {
      fields = new Map();
      break;
    }
    type = next;
    fields = collect(info, next, merged.map((n) => n.selectionSet));
  }
  if (!isObjectType(type) || type.name !== spec.type) return planColumnsOf(ctx, info, spec, alias, null, new Map());
  return planColumnsOf(ctx, info, spec, alias, type, fields);
}

function planColumnsOf(ctx: Context, info: GraphQLResolveInfo, spec: TableSpec, alias: string, type: GraphQLObjectType | null, fields: Map<string, Selected>): SQL {
  const pairs = new Planner(info, ctx).pairs(spec, alias, type as GraphQLObjectType, fields);
  return sql.join(pairs.map(([k, e]) => sql`${e} as ${sql.raw(`"${k}"`)}`), sql`, `);
}

/**
 * Planned relation fields return the value their parent row carries (a plain property read),
 * else run their own resolver (the DataLoader). Installed on every schema build.
 */
export function installPreloadedFields(schema: GraphQLSchema): GraphQLSchema {
  for (const spec of SPECS) {
    const type = schema.getType(spec.type);
    if (!isObjectType(type)) continue;
    for (const name of Object.keys(spec.relations)) {
      const field = type.getFields()[name];
      if (!field) continue;
      const resolve = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, Context>;
      field.resolve = (parent, args, ctx, info) => {
        const value = (parent as Record<string, unknown>)[preloadKey(info.path.key as string)];
        return value !== undefined ? value : resolve(parent, args, ctx, info);
      };
    }
  }
  return schema;
}
