import { HeaderMap, type ApolloServer } from '@apollo/server';
import type { AppDeps, Context } from '../src/context.js';
import { contextFromHeaders } from '../src/server.js';

/**
 * One GraphQL request through Apollo in process (no HTTP), as `token`, timed; throws on errors so
 * a benchmark never times a refusal. `data` is the parsed JSON of the answer, shaped by the query.
 */
export async function timedRequest(
  apollo: ApolloServer<Context>, deps: AppDeps, token: string, query: string, variables: Record<string, unknown>,
): Promise<{ ms: number; data: any }> {
  const headers = new HeaderMap([['content-type', 'application/json'], ['authorization', `Bearer ${token}`]]);
  const started = performance.now();
  const response = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: 'POST', headers, search: '', body: { query, variables } },
    context: () => contextFromHeaders(deps, headers),
  });
  const ms = performance.now() - started;
  if (response.body.kind !== 'complete') throw new Error('incremental response');
  const body = JSON.parse(response.body.string);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return { ms, data: body.data };
}
