import { GraphQLError, getNamedType, isObjectType, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { deny, shield, type IRules } from 'graphql-shield';
import type { Context } from '../context.js';
import {
  addressReader, analyticsReader, anyViewer, attributeReader, auditReader, complaintReader, healthReader,
  identityReader, importer, referralWorker, registryReader,
} from './rules.js';

/** A rule as shield takes it (allow/deny are logic rules, not IRule). */
type FieldRule = Extract<IRules, { [key: string]: unknown }>[string];
type FieldRules = Record<string, FieldRule>;

/** Every field of a type under one rule, listed by name (no wildcards: the map is the contract). */
const all = (rule: FieldRule, ...fields: string[]): FieldRules => Object.fromEntries(fields.map((f) => [f, rule]));
const connection = (rule: FieldRule) => all(rule, 'edges', 'pageInfo', 'totalCount');
const edge = (rule: FieldRule) => all(rule, 'cursor', 'node');

/**
 * The field table of CONTRACT.md section 4, as one map whose shape mirrors the schema. Every
 * field of every object type is named here: tests/permissions/shield.test.ts walks the emitted
 * schema and fails on any field without an explicit rule. Anything not named is denied
 * (fallbackRule). Row visibility is not decided here but in the SQL (src/auth/scope.ts).
 */
export const RULES: Record<string, FieldRules> = {
  Query: {
    me: anyViewer,
    regions: anyViewer,
    region: anyViewer,
    programs: anyViewer,
    household: registryReader,
    households: registryReader,
    person: registryReader,
    persons: registryReader,
    searchPersons: registryReader,
    enrolments: registryReader,
    referral: registryReader,
    referrals: registryReader,
    importBatch: importer,
    auditLog: auditReader,
    stats: analyticsReader,
    coverage: analyticsReader,
  },
  Mutation: {
    importRecords: importer,
    registerComplaint: referralWorker,
    transitionReferral: referralWorker,
  },
  Viewer: all(anyViewer, 'id', 'role', 'regions', 'programs'),
  Region: all(anyViewer, 'code', 'name', 'level', 'parent'),
  Program: all(anyViewer, 'code', 'name', 'targetUnit', 'exclusiveWith'),
  PageInfo: all(anyViewer, 'hasNextPage', 'endCursor'),

  Household: {
    ...all(registryReader, 'id', 'desil', 'region', 'members', 'enrolments', 'referrals'),
    ...all(addressReader, 'address', 'rt', 'rw'),
  },
  HouseholdConnection: connection(registryReader),
  HouseholdEdge: edge(registryReader),

  Person: {
    ...all(registryReader, 'id', 'household', 'enrolments', 'referrals'),
    ...all(identityReader, 'nik', 'kkNumber', 'name', 'birthDate'),
    ...all(attributeReader, 'nikMasked', 'age', 'sex', 'ppks', 'presence', 'relationship', 'verification'),
    ...all(healthReader, 'disability', 'chronicIllness'),
  },
  PersonConnection: connection(registryReader),
  PersonEdge: edge(registryReader),
  PersonMatch: all(registryReader, 'person', 'score'),

  Enrolment: {
    ...all(registryReader, 'id', 'program', 'status', 'startDate', 'endDate', 'region', 'person', 'household'),
    ...all(identityReader, 'nik', 'name', 'kkNumber'),
    verification: attributeReader,
  },
  EnrolmentConnection: connection(registryReader),
  EnrolmentEdge: edge(registryReader),

  Referral: {
    ...all(registryReader, 'id', 'category', 'status', 'version', 'region', 'registeredAt', 'referredTo', 'inDtks',
      'person', 'household', 'history'),
    ...all(complaintReader, 'complainantName', 'nik', 'description'),
  },
  ReferralConnection: connection(registryReader),
  ReferralEdge: edge(registryReader),
  // A facilitator's note may repeat what the complaint said: guarded like the complaint.
  ReferralEvent: { ...all(registryReader, 'at', 'fromStatus', 'toStatus', 'actor', 'referredTo'), note: complaintReader },

  Verification: all(attributeReader, 'status', 'issues', 'nameSimilarity'),

  ImportBatch: all(importer, 'id', 'kind', 'status', 'startedAt', 'finishedAt', 'received', 'accepted', 'rejected',
    'inserted', 'updated', 'errors'),
  ImportError: all(importer, 'row', 'field', 'message'),

  // Aggregates: ANALYST sees them suppressed and perturbed (src/modules/analytics), EXTERNAL_APP and AUDITOR not at all.
  StatRow: all(analyticsReader, 'keys', 'count', 'suppressed'),
  StatKey: all(analyticsReader, 'dimension', 'value'),
  Coverage: all(analyticsReader, 'region', 'program', 'eligibleHouseholds', 'enrolledHouseholds', 'coveredEligibleHouseholds',
    'inclusionErrors', 'exclusionErrors', 'coverageRate'),

  AuditEntry: all(auditReader, 'id', 'at', 'actor', 'role', 'action', 'operation', 'subjectType', 'subjectId', 'fields'),
  AuditEntryConnection: connection(auditReader),
  AuditEntryEdge: edge(auditReader),
};

/**
 * Fields whose reads are personal data under UU PDP 27/2022 / UU 24/2013 art. 84: every value
 * returned writes a READ audit entry (per subject, with the field names).
 */
export const AUDITED_FIELDS: Record<string, readonly string[]> = {
  Person: ['nik', 'kkNumber', 'name', 'birthDate', 'disability', 'chronicIllness'],
  Enrolment: ['nik', 'name', 'kkNumber'],
  Household: ['address', 'rt', 'rw'],
  Referral: ['complainantName', 'nik', 'description'],
};

interface Placed {
  id?: unknown;
  villageCode?: unknown;
}
const subjectOf = (parent: unknown) => {
  const placed = (parent ?? {}) as Placed;
  return {
    id: placed.id == null ? null : String(placed.id),
    village: typeof placed.villageCode === 'string' ? placed.villageCode : null,
  };
};

/**
 * shield calls this for a denied rule (error null) and, because allowExternalErrors is false,
 * for any error a resolver threw. Denials become FORBIDDEN at that path, with a DENIED audit
 * entry; domain errors (BAD_USER_INPUT, CONFLICT, …) pass through unchanged; anything else is
 * returned as is, and the error formatter masks it as INTERNAL_SERVER_ERROR.
 */
function fallbackError(error: unknown, parent: unknown, _args: unknown, ctx: Context, info: GraphQLResolveInfo) {
  if (error == null) {
    const subject = subjectOf(parent);
    ctx.audit?.denied(info.parentType.name, subject.id, subject.village, info.fieldName);
    return new GraphQLError(`${info.parentType.name}.${info.fieldName} is not available to role ${ctx.viewer?.role ?? 'unknown'}`, {
      extensions: { code: 'FORBIDDEN' },
    });
  }
  return error;
}

export function createShield() {
  return shield<unknown, Context>(RULES as IRules, {
    // Deny by default: a field without a rule is refused (and the schema-walk test fails).
    fallbackRule: deny,
    allowExternalErrors: false,
    fallbackError: fallbackError as never,
  });
}

/** READ audit entries: a middleware on the AUDITED_FIELDS, inside the shield (allowed reads only). */
export function createAuditMiddleware() {
  const reads = async (
    resolve: (parent: unknown, args: unknown, ctx: Context, info: GraphQLResolveInfo) => unknown,
    parent: unknown,
    args: unknown,
    ctx: Context,
    info: GraphQLResolveInfo,
  ) => {
    const value = await resolve(parent, args, ctx, info);
    const subject = subjectOf(parent);
    ctx.audit.read(info.parentType.name, subject.id, subject.village, info.fieldName);
    return value;
  };
  return Object.fromEntries(
    Object.entries(AUDITED_FIELDS).map(([type, fields]) => [type, Object.fromEntries(fields.map((f) => [f, reads]))]),
  );
}

/**
 * Types whose every field repeats the rule of the only root fields that return them: the cells of
 * `stats` and `coverage` (analyticsReader, a rule of the role alone). Once the root field is
 * allowed, checking each of thousands of cells again cannot change the answer, but shield's async
 * wrapper on every cell field made a 5,000-row answer ~6 times slower (bench:stats), so
 * elideRepeatedChecks gives these fields back their own resolvers. Their rules stay in RULES.
 */
export const CELL_TYPES = ['StatRow', 'StatKey', 'Coverage'] as const;

/**
 * After shield and the audit middleware are applied: for each CELL_TYPES type, prove that every
 * field returning it is a Query field or a field of another cell type, that all those root fields
 * and all the type's own fields have one and the same rule, and that none is audited; then restore
 * the unguarded resolvers of the type's fields. Anything else throws at start-up (so a new path to
 * these types, or a different rule on one field, cannot silently lose its check).
 */
export function elideRepeatedChecks(guarded: GraphQLSchema, unguarded: GraphQLSchema): GraphQLSchema {
  const cells = new Set<string>(CELL_TYPES);
  for (const name of CELL_TYPES) {
    const rule = RULES[name] && Object.values(RULES[name])[0];
    if (!rule) throw new Error(`shield: no rules for cell type ${name}`);
    for (const [field, fieldRule] of Object.entries(RULES[name])) {
      if (fieldRule !== rule) throw new Error(`shield: ${name}.${field} has another rule than its type`);
    }
    if (AUDITED_FIELDS[name]) throw new Error(`shield: cell type ${name} has audited fields`);
    for (const type of Object.values(guarded.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        if (getNamedType(field.type).name !== name) continue;
        const fromRoot = type === guarded.getQueryType() && RULES.Query[field.name] === rule;
        if (!fromRoot && !cells.has(type.name)) throw new Error(`shield: ${type.name}.${field.name} reaches cell type ${name} without its rule`);
      }
    }
    const target = guarded.getType(name);
    const source = unguarded.getType(name);
    if (!isObjectType(target) || !isObjectType(source)) throw new Error(`shield: cell type ${name} is not an object type`);
    const original = source.getFields();
    for (const [fieldName, field] of Object.entries(target.getFields())) field.resolve = original[fieldName].resolve;
  }
  return guarded;
}
