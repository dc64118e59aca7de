import { createRequire } from 'node:module';
import type * as GraphqlShield from 'graphql-shield';

/**
 * graphql-shield, from its CommonJS build. Its ES module build (7.6.5, the latest release)
 * imports `isUndefined` from node:util, which Node 23 removed, so on Node 24 it fails to load at
 * all. The CommonJS build calls it only inside chain() and race(), which are not re-exported
 * here, so Padu cannot reach that path on any Node line (CI runs the suite on Node 24). Import
 * graphql-shield from this module only (a test checks it). Its rules are evaluated by
 * src/permissions/guard.ts; graphql-middleware stays installed only because graphql-shield requires it.
 */
const require = createRequire(import.meta.url);
const graphqlShield = require('graphql-shield') as typeof GraphqlShield;

export const { allow, and, deny, inputRule, not, or, rule, shield } = graphqlShield;
export type { IRules } from 'graphql-shield';
