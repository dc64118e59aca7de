import type { ApolloServerPlugin } from '@apollo/server';
import {
  defaultFieldResolver, getNamedType, GraphQLError, isCompositeType, isObjectType, type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';

/**
 * The work one response may do, counted while it runs: the cost estimate (src/graphql/cost.ts)
 * refuses what is expensive on paper, this caps what turns out expensive in fact (lists longer
 * than their expected sizes, such as a household of 60 members or every village of a province).
 *
 * Every field returning objects is wrapped once (no wrapper on scalar fields, which are most
 * fields): it counts the objects it returned times the fields selected on them, i.e. about the
 * values the response will hold, and checks the request's deadline. Past MAX_RESPONSE_VALUES or
 * MAX_REQUEST_MS, every further object field fails at once, and the response is replaced by one
 * BAD_USER_INPUT error (no partial data): the request is refused as a whole, and asking again
 * with smaller pages works. Every SLICE_VALUES values the execution also yields to the event
 * loop, so one large response does not hold up /healthz or other requests while it is built.
 */
export const MAX_RESPONSE_VALUES = 100_000;
export const MAX_REQUEST_MS = 30_000;
/**
 * Values resolved between two turns of the event loop. graphql-js completes whatever is ready in
 * one synchronous run of microtasks; past this many values, further object fields and the items
 * of long lists wait in a queue that releases RELEASE_BATCH of them per turn (setImmediate), so
 * /healthz and other requests are answered between the slices of a big response. Pages below
 * the slice (a 100-row page with its nested lists) never wait, and their DataLoader batches
 * stay whole.
 */
export const SLICE_VALUES = 2_000;
export const RELEASE_BATCH = 100;

class WorkBudget {
  values = 0;
  slice = 0;
  exceeded: GraphQLError | null = null;
  private readonly queue: Array<() => void> = [];
  private draining = false;
  constructor(readonly maxValues: number, readonly deadline: number) {}

  refuse(message: string): GraphQLError {
    this.exceeded ??= new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });
    return this.exceeded;
  }

  /** Resolves on a later turn of the event loop, at most RELEASE_BATCH waiters per turn. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push(resolve);
      if (!this.draining) {
        this.draining = true;
        setImmediate(this.drain);
      }
    });
  }

  private readonly drain = () => {
    this.slice = 0;
    for (const release of this.queue.splice(0, RELEASE_BATCH)) release();
    if (this.queue.length > 0) setImmediate(this.drain);
    else this.draining = false;
  };
}

const budgets = new WeakMap<object, WorkBudget>();
const WRAPPED = Symbol('padu.workLimited');

/** Wrap the object-returning fields of `schema` (in place, once per schema object). */
export function limitWork(schema: GraphQLSchema): GraphQLSchema {
  const marked = schema as GraphQLSchema & { [WRAPPED]?: true };
  if (marked[WRAPPED]) return schema;
  marked[WRAPPED] = true;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isCompositeType(getNamedType(field.type))) continue;
      const resolve: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const budget = typeof context === 'object' && context !== null ? budgets.get(context) : undefined;
        if (budget === undefined) return resolve(source, args, context, info);
        if (budget.exceeded) throw budget.exceeded;
        const selected = info.fieldNodes.reduce((n, node) => n + (node.selectionSet?.selections.length ?? 0), 0) + 1;
        const count = (value: unknown) => {
          const values = (Array.isArray(value) ? value.length : value == null ? 0 : 1) * selected;
          budget.values += values;
          budget.slice += values;
          if (budget.values > budget.maxValues) {
            throw budget.refuse(`the response would hold more than ${budget.maxValues} values: ask for smaller pages or fewer nested lists`);
          }
          if (Date.now() > budget.deadline) {
            throw budget.refuse(`the request ran longer than ${Math.round(MAX_REQUEST_MS / 1000)} s: ask for smaller pages or narrower filters`);
          }
          // A long list past the slice: its items are completed a batch per turn (graphql-js
          // awaits list items that are promises).
          if (Array.isArray(value) && budget.slice > SLICE_VALUES && value.length > RELEASE_BATCH) {
            return value.map((item, i) => (i < RELEASE_BATCH ? item : budget.wait().then(() => item)));
          }
          return value;
        };
        const run = () => {
          if (budget.exceeded) throw budget.exceeded;
          const result = resolve(source, args, context, info);
          return result instanceof Promise ? result.then(count) : count(result);
        };
        return budget.slice > SLICE_VALUES ? budget.wait().then(run) : run();
      };
    }
  }
  return schema;
}

/** Gives each request its budget, and replaces the response of a request that exceeded it. */
export function workLimitPlugin<C extends object>(maxValues = MAX_RESPONSE_VALUES, maxMs = MAX_REQUEST_MS): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async executionDidStart({ contextValue }) {
          budgets.set(contextValue, new WorkBudget(maxValues, Date.now() + maxMs));
        },
        async willSendResponse({ contextValue, response }) {
          const exceeded = budgets.get(contextValue)?.exceeded;
          if (!exceeded || response.body.kind !== 'single') return;
          response.body.singleResult = { errors: [{ message: exceeded.message, extensions: { code: 'BAD_USER_INPUT' } }] };
          response.http.status = 400;
        },
      };
    },
  };
}
