import type { ApolloServerPlugin } from '@apollo/server';
import {
  getArgumentValues, getNamedType, getNullableType, getVariableValues, GraphQLError, isCompositeType, isListType,
  isObjectType, Kind, type DocumentNode, type FragmentDefinitionNode, type GraphQLCompositeType, type GraphQLField,
  type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type ValidationRule,
} from 'graphql';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../lib/pagination.js';

/**
 * Query cost: an estimate of the number of values a response holds, computed once per request
 * after its variables are coerced, so `first` counts the same whether it is a literal, a
 * variable or a variable's default (graphql-armor's cost rule only saw literals: `first: $n`
 * with n = 500 went uncounted and one request took the process down).
 *
 * cost(selection) = Σ over fields: 1 for a leaf; otherwise 1 + size × cost(sub-selection), where
 * size is the page size (`first`, default 50, at most 500) for a connection's `edges` and for
 * lists with a `first` argument, LIST_SIZES for the other lists, 1 for single objects. Named
 * fragments are costed once per type they are spread into, so a document cannot make the
 * estimate itself expensive.
 *
 * The limit lets every page the contract allows through with a sensible selection: the widest
 * example in docs/operations at first: 500 costs 16,006 (tests/operations/operations.test.ts
 * runs them all at 500); a person page of 500 with verification 3,002. Amplification by
 * nesting (household { members { household { members … } } }) multiplies by LIST_SIZES at
 * every level and is refused before anything runs.
 */
export const MAX_QUERY_COST = 25_000;

/** Expected sizes of lists that have no `first`: generous typical sizes, not maxima. */
const LIST_SIZES: Record<string, number> = {
  'Household.members': 10,
  'Household.enrolments': 10,
  'Household.referrals': 5,
  'Person.enrolments': 5,
  'Person.referrals': 5,
  'Referral.history': 10,
  'Program.exclusiveWith': 5,
  // A duplicate candidate is mostly a pair; larger groups (a family's KK) are rarer.
  'DuplicateCandidate.enrolments': 3,
  'DuplicateCandidate.programs': 2,
  'Query.programs': 20,
  'Query.regions': 100,
};
const DEFAULT_LIST_SIZE = 10;

const pageSizeOf = (args: Record<string, unknown>): number => {
  const first = args.first;
  if (typeof first !== 'number' || !Number.isFinite(first)) return DEFAULT_PAGE_SIZE;
  return Math.min(Math.max(Math.trunc(first), 0), MAX_PAGE_SIZE);
};

const isConnection = (type: GraphQLCompositeType) => isObjectType(type) && type.name.endsWith('Connection') && 'edges' in type.getFields();

export class QueryCostExceeded extends Error {}

/** The cost of one operation under coerced `variables`; stops counting (throws) past `limit`. */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limit = Number.POSITIVE_INFINITY,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fragmentCosts = new Map<string, number>();

  const selectionCost = (selectionSet: SelectionSetNode, parent: GraphQLCompositeType, pageSize: number): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename' || !('getFields' in parent)) {
          total += 1;
          continue;
        }
        const field = (parent as { getFields(): Record<string, GraphQLField<unknown, unknown>> }).getFields()[name];
        if (!field) {
          total += 1; // introspection meta-fields (__schema, __type): off in production, small in development
          continue;
        }
        const named = getNamedType(field.type);
        if (!selection.selectionSet || !isCompositeType(named)) {
          total += 1;
          continue;
        }
        const args = field.args.length > 0 ? getArgumentValues(field, selection, variables) : {};
        let size = 1;
        if (isListType(getNullableType(field.type))) {
          if (name === 'edges' && isConnection(parent)) size = pageSize;
          else if (field.args.some((a) => a.name === 'first')) size = pageSizeOf(args);
          else size = LIST_SIZES[`${parent.name}.${name}`] ?? DEFAULT_LIST_SIZE;
        }
        const childPage = isConnection(named) ? pageSizeOf(args) : pageSize;
        total += 1 + size * selectionCost(selection.selectionSet, named, childPage);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (schema.getType(selection.typeCondition.name.value) as GraphQLCompositeType) : parent;
        total += selectionCost(selection.selectionSet, type ?? parent, pageSize);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment) continue;
        const key = `${fragment.name.value}@${parent.name}@${pageSize}`;
        let cost = fragmentCosts.get(key);
        if (cost === undefined) {
          const type = (schema.getType(fragment.typeCondition.name.value) as GraphQLCompositeType) ?? parent;
          cost = selectionCost(fragment.selectionSet, type, pageSize);
          fragmentCosts.set(key, cost);
        }
        total += cost;
      }
      if (total > limit) throw new QueryCostExceeded();
    }
    return total;
  };

  const root = operation.operation === 'mutation' ? schema.getMutationType() : operation.operation === 'query' ? schema.getQueryType() : null;
  if (!root) return 0;
  return selectionCost(operation.selectionSet, root, DEFAULT_PAGE_SIZE);
}

/**
 * Refuses, before anything runs, an operation whose cost exceeds MAX_QUERY_COST
 * (GRAPHQL_VALIDATION_FAILED, HTTP 400). Variables that do not coerce are left to execution,
 * which reports them as usual.
 */
export function costLimitPlugin<C extends object>(limit = MAX_QUERY_COST): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          if (coerced.errors) return;
          try {
            operationCost(schema, document, operation, coerced.coerced, limit);
          } catch (error) {
            if (!(error instanceof QueryCostExceeded)) throw error;
            throw new GraphQLError(
              `query cost exceeds the limit of ${limit} (about one unit per value returned; page sizes multiply nested lists): ask for smaller pages or fewer nested lists`,
              { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}

/** Subscriptions are not served (no Subscription type, no transport): refused as invalid, not as an internal error. */
export const noSubscriptions: ValidationRule = (context) => ({
  OperationDefinition(node) {
    if (node.operation === 'subscription') {
      context.reportError(new GraphQLError('subscriptions are not supported: Padu answers queries and mutations over HTTP', { nodes: [node] }));
    }
  },
});
