import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import { signToken, type TokenRequest } from '../../src/auth/tokens.js';
import type { Role } from '../../src/auth/viewer.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createServices, type AppDeps, type Context } from '../../src/context.js';
import type { Database } from '../../src/db/client.js';
import { buildPaduSchema } from '../../src/graphql/schema.js';
import { createLogger } from '../../src/lib/logger.js';
import { contextFromHeaders, createApollo, createHttpServer, type HttpServer } from '../../src/server.js';
import { HeaderMap, type ApolloServer } from '@apollo/server';

export const TEST_JWT_SECRET = 'test-secret-for-padu-tests-only-0123456789';

export interface GraphQLResult<T = Record<string, any>> {
  data?: T | null;
  errors?: Array<{ message: string; path?: readonly (string | number)[]; extensions?: Record<string, any> }>;
}

export interface Credentials {
  token?: string;
  apiKey?: string;
  /** Raw headers, for hostile-header tests. */
  headers?: Record<string, string>;
}

export interface TestApp {
  deps: AppDeps;
  schema: GraphQLSchema;
  apollo: ApolloServer<Context>;
  token(role: Role, regions: string[], extra?: Partial<TokenRequest>): Promise<string>;
  /** Run an operation through the same context factory and Apollo pipeline as HTTP requests. */
  execute<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, credentials?: Credentials): Promise<GraphQLResult<T>>;
  /** Shorthand: execute as a freshly signed token of `role` scoped to `regions`. */
  as<T = Record<string, any>>(role: Role, regions: string[], query: string, variables?: Record<string, unknown>, extra?: Partial<TokenRequest>): Promise<GraphQLResult<T>>;
  stop(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, PADU_DATA_DIR: 'memory://', LOG_LEVEL: 'silent', ...overrides });
}

/** What the server runs on, for tests: the test config (with overrides) over `database`. */
export function testDeps(database: Database, configOverrides: Record<string, string> = {}): AppDeps {
  const config = testConfig(configOverrides);
  return { database, config, jwtSecret: TEST_JWT_SECRET, services: createServices(database), logger: createLogger(config.logLevel) };
}

/** The real HTTP server (src/server.ts) on a free port of 127.0.0.1; `base` is its origin. */
export async function listenTestServer(database: Database, configOverrides: Record<string, string> = {}): Promise<{ http: HttpServer; base: string }> {
  const http = await createHttpServer(await buildPaduSchema(), testDeps(database, configOverrides));
  await new Promise<void>((resolve) => http.server.listen(0, '127.0.0.1', resolve));
  return { http, base: `http://127.0.0.1:${(http.server.address() as AddressInfo).port}` };
}

export async function createTestApp(database: Database, configOverrides: Record<string, string> = {}): Promise<TestApp> {
  const deps = testDeps(database, configOverrides);
  const schema = await buildPaduSchema();
  const apollo = createApollo(schema, deps);
  await apollo.start();

  const token = (role: Role, regions: string[], extra: Partial<TokenRequest> = {}) =>
    signToken({ sub: `test-${role.toLowerCase()}`, role, regions, programs: role === 'PROGRAM_MANAGER' ? ['PKH'] : [], ...extra }, TEST_JWT_SECRET);

  const execute = async <T,>(query: string, variables: Record<string, unknown> = {}, credentials: Credentials = {}): Promise<GraphQLResult<T>> => {
    const headers = new HeaderMap();
    headers.set('content-type', 'application/json');
    if (credentials.token) headers.set('authorization', `Bearer ${credentials.token}`);
    if (credentials.apiKey) headers.set('x-api-key', credentials.apiKey);
    for (const [k, v] of Object.entries(credentials.headers ?? {})) headers.set(k.toLowerCase(), v);
    const response = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query, variables } },
      context: () => contextFromHeaders(deps, headers),
    });
    if (response.body.kind !== 'complete') throw new Error('unexpected incremental response');
    return JSON.parse(response.body.string) as GraphQLResult<T>;
  };

  return {
    deps,
    schema,
    apollo,
    token,
    execute,
    async as(role, regions, query, variables, extra) {
      return execute(query, variables, { token: await token(role, regions, extra) });
    },
    stop: () => apollo.stop(),
  };
}

/** The `extensions.code` of each error, in order. */
export const codes = (result: GraphQLResult) => (result.errors ?? []).map((e) => e.extensions?.code);
