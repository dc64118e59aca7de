import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ApolloServer, HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { GraphQLSchema } from 'graphql';
import { GraphQLError } from 'graphql';
import { createContext, type AppDeps, type Context } from './context.js';
import { costLimitPlugin, noSubscriptions } from './graphql/cost.js';
import { createFormatError } from './graphql/format-error.js';
import { inputEncodingPlugin } from './graphql/inputs.js';
import { limitWork, workLimitPlugin } from './graphql/work.js';
import {
  BodyTooLarge, documentTooLong, isJsonMediaType, jsonShapeProblem, MAX_BODY_BYTES_NOT_IMPORTING, MAX_DOCUMENT_CHARS, readBody,
} from './http/request.js';
import { PaduError } from './lib/errors.js';
import { auditPlugin } from './modules/audit/audit.plugin.js';
import { guardPlugin } from './permissions/guard.js';

const MAX_TOKENS = 5000;

/** Armor's refusals, reported as plain validation errors (armor words them "Syntax Error: …"). */
const reportRefusal = [(context: { reportError(error: GraphQLError): void } | null, error: GraphQLError) => {
  context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));
}];

/**
 * Query-shape limits: deep, wide or alias-bombed documents are refused before they run. The cost
 * of lists is src/graphql/cost.ts (it sees variables; armor's cost rule saw only literals).
 */
export function createArmor(production: boolean) {
  const refusal = { propagateOnRejection: false, onReject: reportRefusal } as const;
  return new ApolloArmor({
    maxDepth: { n: 12, ...refusal },
    // __typename aliases count too: 1,600 of them passed when they were allowed for free.
    maxAliases: { n: 30, allowList: [], ...refusal },
    maxDirectives: { n: 30, ...refusal },
    // graphql-js counts tokens while parsing (parseOptions below); armor's own plugin re-parses
    // and reports every syntax error as GRAPHQL_VALIDATION_FAILED instead of GRAPHQL_PARSE_FAILED.
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  }).protect();
}

export function createApollo(schema: GraphQLSchema, app: AppDeps): ApolloServer<Context> {
  const armor = createArmor(app.config.production);
  return new ApolloServer<Context>({
    schema: limitWork(schema),
    introspection: !app.config.production,
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: app.config.production,
    allowBatchedHttpRequests: false,
    // main.ts owns SIGTERM/SIGINT (drain HTTP, stop Apollo, close the database, in that order);
    // Apollo's own handlers would race it and re-raise the signal.
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    // graphql-armor is typed against the CommonJS build of @apollo/server; the shapes are the same.
    // The cache-control plugin (installed by default) wraps every field resolver to compute HTTP
    // cache hints Padu never sends (personal data is not cacheable): a large share of the CPU of
    // a nested page. Disabled.
    plugins: [
      ApolloServerPluginCacheControlDisabled(), auditPlugin, ...(armor.plugins as unknown as ApolloServerPlugin<Context>[]),
      inputEncodingPlugin(), costLimitPlugin(), guardPlugin, workLimitPlugin(),
    ],
    validationRules: [...armor.validationRules, noSubscriptions],
    parseOptions: { maxTokens: MAX_TOKENS },
    formatError: createFormatError(app.logger, { production: app.config.production }),
  });
}

/** Build the request context, turning authentication failures into a 401 GraphQL error. */
export async function contextFromHeaders(app: AppDeps, headers: HeaderMap): Promise<Context> {
  try {
    return await createContext(app, { authorization: headers.get('authorization'), apiKey: headers.get('x-api-key') });
  } catch (error) {
    if (error instanceof PaduError) {
      throw new GraphQLError(error.message, { extensions: { code: error.code, http: { status: error.code === 'UNAUTHENTICATED' ? 401 : 400 } } });
    }
    throw error;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

const graphqlError = (message: string, code: string) => ({ errors: [{ message, extensions: { code } }] });

export interface HttpServer {
  server: Server;
  apollo: ApolloServer<Context>;
  /** Stop accepting, let in-flight requests finish (up to `graceMs`), then stop Apollo. */
  close(graceMs?: number): Promise<void>;
}

/** The HTTP surface: /graphql, /healthz, /readyz; anything else is 404. */
export async function createHttpServer(schema: GraphQLSchema, app: AppDeps): Promise<HttpServer> {
  const apollo = createApollo(schema, app);
  await apollo.start();
  app.database.statementTimeoutMs = app.config.statementTimeoutMs;
  let inFlight = 0;
  let idle: (() => void) | undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/healthz' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz' && req.method === 'GET') {
      if (app.warmingUp) return sendJson(res, 503, { status: app.warmingUp });
      const ready = await app.database.ping();
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'database unavailable' });
    }
    if (url.pathname !== '/graphql') return sendJson(res, 404, { error: 'not found: use /graphql, /healthz or /readyz' });

    const headers = new HeaderMap();
    // headersDistinct keeps repeated headers (Node keeps only the first Authorization in
    // req.headers); joined, a smuggled second credential makes the value malformed and refused.
    for (const [name, values] of Object.entries(req.headersDistinct)) {
      if (values) headers.set(name, values.join(', '));
    }
    // Credentials are checked once, before the body is read: only ADMIN (importRecords) may send
    // a body of MAX_BODY_BYTES; JSON.parse of a hostile megabyte blocks the event loop.
    const context = contextFromHeaders(app, headers);
    const role = await context.then((c) => c.viewer.role, () => null);
    const bodyLimit = role === 'ADMIN' ? app.config.maxBodyBytes : Math.min(app.config.maxBodyBytes, MAX_BODY_BYTES_NOT_IMPORTING);
    let bodyText: string;
    try {
      bodyText = await readBody(req, bodyLimit);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        return sendJson(res, 413, graphqlError(`request body larger than ${bodyLimit} bytes`, 'BAD_USER_INPUT'));
      }
      throw error;
    }
    let body: unknown = undefined;
    if (req.method === 'POST') {
      if (!isJsonMediaType(headers.get('content-type'))) {
        return sendJson(res, 415, graphqlError('POST /graphql needs Content-Type: application/json', 'BAD_USER_INPUT'));
      }
      const shape = jsonShapeProblem(bodyText);
      if (shape) return sendJson(res, 400, graphqlError(`request body refused: ${shape}`, 'BAD_USER_INPUT'));
      try {
        body = JSON.parse(bodyText);
      } catch {
        return sendJson(res, 400, graphqlError('request body is not valid JSON', 'BAD_USER_INPUT'));
      }
      const length = documentTooLong(body);
      if (length !== null) {
        return sendJson(res, 400, graphqlError(`GraphQL document longer than ${MAX_DOCUMENT_CHARS} characters (got ${length}); send large values as variables`, 'GRAPHQL_PARSE_FAILED'));
      }
    }
    // The first start's demo seed: wait for complete data rather than see an empty register.
    if (app.warmingUp && app.warmedUp) await app.warmedUp;
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: () => context,
    });
    const outHeaders: Record<string, string> = {};
    for (const [name, value] of result.headers) outHeaders[name] = value;
    res.writeHead(result.status ?? 200, outHeaders);
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  const server = createServer((req, res) => {
    inFlight++;
    handle(req, res)
      .catch((error) => {
        app.logger.error({ err: error }, 'request failed');
        if (!res.headersSent) sendJson(res, 500, graphqlError('Internal server error', 'INTERNAL_SERVER_ERROR'));
        else res.end();
      })
      .finally(() => {
        inFlight--;
        if (inFlight === 0) idle?.();
      });
  });
  server.requestTimeout = 120_000;
  server.headersTimeout = 30_000;

  return {
    server,
    apollo,
    async close(graceMs = 10_000) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => (idle = resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
        ]);
      }
      server.closeAllConnections();
      await closed;
      await apollo.stop();
    },
  };
}

