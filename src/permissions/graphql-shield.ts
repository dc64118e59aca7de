import { createRequire } from 'node:module';
import type * as GraphqlMiddleware from 'graphql-middleware';
import type * as GraphqlShield from 'graphql-shield';

/**
 * graphql-shield, from its CommonJS build. Its ES module build (7.6.5, the latest release)
 * imports `isUndefined` from node:util, which Node 23 removed, so on Node 24 it fails to load at
 * all. The CommonJS build calls it only inside chain() and race(), which are not re-exported
 * here, so Padu cannot reach that path on any Node line (CI runs the suite on Node 24). Import
 * graphql-shield and graphql-middleware from this module only (a test checks it).
 */
const require = createRequire(import.meta.url);
const graphqlShield = require('graphql-shield') as typeof GraphqlShield;
// The CommonJS graphql-shield builds its middleware with the CommonJS graphql-middleware, whose
// applyMiddleware recognises it (instanceof): the ES module one would take it for a type map.
const graphqlMiddleware = require('graphql-middleware') as typeof GraphqlMiddleware;

export const { allow, and, deny, inputRule, not, or, rule, shield } = graphqlShield;
export const { applyMiddleware } = graphqlMiddleware;
export type { IRules } from 'graphql-shield';
