import {
  defaultFieldResolver, getDirectiveValues, getNamedType, GraphQLError, GraphQLIncludeDirective, GraphQLSkipDirective,
  isAbstractType, isIntrospectionType, isObjectType, Kind, typeFromAST,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLFieldResolver, type GraphQLObjectType,
  type GraphQLResolveInfo, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode,
} from 'graphql';
import { allow, deny } from './graphql-shield.js';
import type { ApolloServerPlugin } from '@apollo/server';
import type { Context } from '../context.js';
import { AUDITED_FIELDS, RULES } from './shield.js';

/**
 * Field guards decided once per operation (the envelop generic-auth pattern, DESIGN.md
 * "Authorisation per operation"), with the rules of src/permissions/shield.ts unchanged.
 *
 * The rules are graphql-shield rules. Every one of them that depends on the viewer only
 * (`allow`, `deny`, `cache: 'contextual'` rules and logic rules made of those) is evaluated once
 * per request, while the operation's selection is walked before execution (guardPlugin): the
 * walk records, on the request's FieldGuard, every field coordinate it meets with the decision,
 * and the denied coordinates and response paths. At execution, the only per-field cost is a
 * thin wrapper on the fields whose rule is not `allow`: one Map lookup, then the resolver. At a
 * denied field the wrapper throws FORBIDDEN (graphql-js nulls the field, puts the error at its
 * path and keeps the rest of the response) and writes a DENIED audit entry for the subject, as
 * graphql-shield did. A rule that reads the parent or the arguments (any other cache mode) is
 * evaluated per call in the wrapper, exactly as graphql-shield would.
 *
 * Guarantees kept from graphql-shield's configuration: deny by default (a field without a rule
 * gets `deny`), a rule naming a field the schema lacks fails at start, a rule that throws denies,
 * and errors thrown by resolvers pass through untouched (the error formatter masks unknown ones).
 * A coordinate the walk did not decide (it cannot happen for an executed field, but nothing relies
 * on that) is decided on first use by the wrapper.
 */

/** What graphql-shield's rule classes look like from outside (they are not exported). */
interface ShieldRule {
  resolve(parent: unknown, args: unknown, ctx: unknown, info: unknown, options: unknown): Promise<unknown>;
  cache?: unknown;
  func?: unknown;
  rules?: ShieldRule[];
}

/** The options graphql-shield passes to a rule's resolve (debug off: a rule that throws denies). */
const RULE_OPTIONS = {
  debug: false,
  allowExternalErrors: false,
  hashFunction: ({ parent, args }: { parent: unknown; args: unknown }) => JSON.stringify({ parent, args }),
};

const ALLOW = allow as unknown as ShieldRule;
const DENY = deny as unknown as ShieldRule;

/** A rule whose answer depends on the viewer (the request context) only. */
export function dependsOnViewerOnly(rule: ShieldRule): boolean {
  if (rule === ALLOW || rule === DENY) return true;
  if (Array.isArray(rule.rules)) return rule.rules.every(dependsOnViewerOnly);
  return rule.cache === 'contextual';
}

/** The rule of a field coordinate: the map's, or deny (fallbackRule). */
export function ruleOf(typeName: string, fieldName: string): ShieldRule {
  return (RULES[typeName]?.[fieldName] as unknown as ShieldRule | undefined) ?? DENY;
}

async function evaluate(rule: ShieldRule, parent: unknown, args: unknown, ctx: Context, info: unknown): Promise<boolean> {
  const holder = ctx as unknown as { _shield?: { cache: Record<string, unknown> } };
  holder._shield ??= { cache: {} };
  try {
    return (await rule.resolve(parent, args, ctx, info, RULE_OPTIONS)) === true;
  } catch {
    return false;
  }
}

interface Placed {
  id?: unknown;
  villageCode?: unknown;
}
/** The audit subject of a field's parent object (a person, household, …; null for root fields). */
export const subjectOf = (parent: unknown) => {
  const placed = (parent ?? {}) as Placed;
  return {
    id: placed.id == null ? null : String(placed.id),
    village: typeof placed.villageCode === 'string' ? placed.villageCode : null,
  };
};

/**
 * One request's field decisions. `denied` (coordinates) and `deniedPaths` (response paths,
 * list positions left out) are filled by the walk; the SQL planner reads `denied` so that it
 * never selects a column the response may not show.
 */
export class FieldGuard {
  private readonly decisions = new Map<string, boolean>();
  readonly denied = new Set<string>();
  readonly deniedPaths: string[] = [];

  /** true/false once decided, undefined before. */
  decision(coordinate: string): boolean | undefined {
    return this.decisions.get(coordinate);
  }

  async decide(ctx: Context, typeName: string, fieldName: string): Promise<boolean> {
    const coordinate = `${typeName}.${fieldName}`;
    const known = this.decisions.get(coordinate);
    if (known !== undefined) return known;
    const allowed = await evaluate(ruleOf(typeName, fieldName), undefined, {}, ctx, undefined);
    this.decisions.set(coordinate, allowed);
    if (!allowed) this.denied.add(coordinate);
    return allowed;
  }

  /**
   * Walk the operation's selection (fragments, inline fragments, @skip/@include, aliases) and
   * decide every field met. A denied field's selection is not entered: it resolves to null.
   */
  async prepare(ctx: Context, schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>) {
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
    }
    const root = schema.getRootType(operation.operation);
    if (!root) return;
    const included = (node: { directives?: readonly unknown[] }) => {
      if (!node.directives?.length) return true;
      try {
        if (getDirectiveValues(GraphQLSkipDirective, node as never, variables)?.if === true) return false;
        if (getDirectiveValues(GraphQLIncludeDirective, node as never, variables)?.if === false) return false;
      } catch {
        // A variable that does not coerce: the request fails its own way; deciding more is harmless.
      }
      return true;
    };
    const walk = async (type: GraphQLObjectType, set: SelectionSetNode, path: string, seen: Set<string>) => {
      for (const selection of set.selections) {
        if (!included(selection)) continue;
        if (selection.kind === Kind.FIELD) {
          const name = selection.name.value;
          const field = type.getFields()[name];
          if (!field || name.startsWith('__')) continue;
          const key = selection.alias?.value ?? name;
          const at = path ? `${path}.${key}` : key;
          if (!(await this.decide(ctx, type.name, name))) {
            this.deniedPaths.push(at);
            continue;
          }
          if (selection.selectionSet) await enter(getNamedType(field.type), selection.selectionSet, at, seen);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : type;
          if (condition && (condition === type || (isAbstractType(condition) && schema.isSubType(condition, type)))) {
            await walk(type, selection.selectionSet, path, seen);
          }
        } else {
          const fragment = fragments[selection.name.value];
          // A fragment spread twice at one level adds nothing; a cycle is refused by validation.
          const mark = `${path}|${selection.name.value}`;
          if (!fragment || seen.has(mark)) continue;
          seen.add(mark);
          const condition = typeFromAST(schema, fragment.typeCondition);
          if (condition && (condition === type || (isAbstractType(condition) && schema.isSubType(condition, type)))) {
            await walk(type, fragment.selectionSet, path, seen);
          }
        }
      }
    };
    const enter = async (named: ReturnType<typeof getNamedType>, set: SelectionSetNode, path: string, seen: Set<string>) => {
      if (isObjectType(named)) await walk(named, set, path, seen);
      else if (isAbstractType(named)) for (const possible of schema.getPossibleTypes(named)) await walk(possible, set, path, seen);
    };
    await walk(root, operation.selectionSet, '', new Set());
  }
}

const forbidden = (ctx: Context, parent: unknown, info: GraphQLResolveInfo) => {
  const subject = subjectOf(parent);
  ctx.audit?.denied(info.parentType.name, subject.id, subject.village, info.fieldName);
  return new GraphQLError(`${info.parentType.name}.${info.fieldName} is not available to role ${ctx.viewer?.role ?? 'unknown'}`, {
    extensions: { code: 'FORBIDDEN' },
  });
};

type Resolver = GraphQLFieldResolver<unknown, Context>;

/** Record a READ entry once the value is there (only allowed reads reach this). */
function audited(typeName: string, fieldName: string, inner: Resolver): Resolver {
  const record = (parent: unknown, ctx: Context) => {
    const placed = parent as Placed | null;
    const id = placed?.id;
    const village = placed?.villageCode;
    ctx.audit.read(typeName, id == null ? null : String(id), typeof village === 'string' ? village : null, fieldName);
  };
  return (parent, args, ctx, info) => {
    const value = inner(parent, args, ctx, info);
    if (value instanceof Promise) {
      return value.then((resolved) => {
        record(parent, ctx);
        return resolved;
      });
    }
    record(parent, ctx);
    return value;
  };
}

function guarded(typeName: string, fieldName: string, rule: ShieldRule, inner: Resolver): Resolver {
  const coordinate = `${typeName}.${fieldName}`;
  if (!dependsOnViewerOnly(rule)) {
    // Depends on the parent or the arguments: decided per call, as graphql-shield does.
    return async (parent, args, ctx, info) => {
      if (!(await evaluate(rule, parent, args, ctx, info))) throw forbidden(ctx, parent, info);
      return inner(parent, args, ctx, info);
    };
  }
  return (parent, args, ctx, info) => {
    const allowed = ctx.guard.decision(coordinate);
    if (allowed === true) return inner(parent, args, ctx, info);
    if (allowed === false) throw forbidden(ctx, parent, info);
    return ctx.guard.decide(ctx, typeName, fieldName).then((ok) => {
      if (!ok) throw forbidden(ctx, parent, info);
      return inner(parent, args, ctx, info);
    });
  };
}

const guardedSchemas = new WeakSet<GraphQLSchema>();

/**
 * Install the guards on a schema built by type-graphql (in place; call once): fields whose rule
 * is `allow` keep their resolver as it is; every other field gets the thin wrapper above, and
 * the AUDITED_FIELDS a READ audit step inside it.
 */
export function guardSchema(schema: GraphQLSchema): GraphQLSchema {
  const stale: string[] = [];
  for (const [typeName, fields] of Object.entries(RULES)) {
    const type = schema.getType(typeName);
    for (const field of Object.keys(fields)) if (!isObjectType(type) || !type.getFields()[field]) stale.push(`${typeName}.${field}`);
  }
  if (stale.length) throw new Error(`rules name fields the schema does not have: ${stale.join(', ')}`);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || isIntrospectionType(type)) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, Context>[]) {
      const rule = ruleOf(type.name, field.name);
      let resolve: Resolver = field.resolve ?? (defaultFieldResolver as Resolver);
      if (AUDITED_FIELDS[type.name]?.includes(field.name)) resolve = audited(type.name, field.name, resolve);
      if (rule !== ALLOW) field.resolve = guarded(type.name, field.name, rule, resolve);
      else if (resolve !== field.resolve && resolve !== defaultFieldResolver) field.resolve = resolve;
    }
  }
  guardedSchemas.add(schema);
  return schema;
}

/** Decides the operation's fields before it executes, on guarded schemas only. */
export const guardPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, document, operation, request, schema }) {
        if (!guardedSchemas.has(schema) || !contextValue?.guard || !operation) return;
        await contextValue.guard.prepare(contextValue, schema, document, operation, request.variables ?? {});
      },
    };
  },
};
