import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import { quote } from '../lib/errors.js';
import { wellFormedProblem } from '../lib/text.js';

/**
 * Every string a request carries, as a variable (at any depth) or as a literal in the document,
 * is checked for the two things no text column can hold, NUL and an unpaired UTF-16 surrogate,
 * once, before any resolver or SQL runs: BAD_USER_INPUT naming the variable or argument. Before
 * this, `{"id": "a\ud800b"}` reached PostgreSQL as a JSON parameter, failed there as an internal
 * error, and took down the other ids batched in the same DataLoader call with it.
 * Field-specific rules (lengths, control characters, invisible characters, NFC) stay with each
 * field (src/lib/text.ts, src/lib/arguments.ts).
 */
export function findMalformedString(value: unknown, path: string, depth = 0): { path: string; problem: string; value: string } | null {
  if (typeof value === 'string') {
    const problem = wellFormedProblem(value);
    return problem ? { path, problem, value } : null;
  }
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findMalformedString(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const found = findMalformedString(key, `${path} (a key)`, depth + 1) ?? findMalformedString(item, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

function malformedLiteral(document: DocumentNode): { path: string; problem: string; value: string } | null {
  let found: { path: string; problem: string; value: string } | null = null;
  const names: string[] = [];
  const enter = (node: { name: { value: string } }) => void names.push(node.name.value);
  const leave = () => void names.pop();
  visit(document, {
    Argument: { enter, leave },
    ObjectField: { enter, leave },
    StringValue(node) {
      if (found) return;
      const problem = wellFormedProblem(node.value);
      if (problem) found = { path: names.length ? names.join('.') : 'a string literal', problem, value: node.value };
    },
  });
  return found;
}

export function inputEncodingPlugin<C extends object>(): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          const found = findMalformedString(request.variables ?? {}, '$variables') ?? malformedLiteral(document);
          if (!found) return;
          const argument = found.path.startsWith('$variables.') ? `$${found.path.slice('$variables.'.length)}` : found.path;
          throw new GraphQLError(`${argument} ${found.problem}, got ${quote(found.value)}`, {
            extensions: { code: 'BAD_USER_INPUT', argument, http: { status: 400 } },
          });
        },
      };
    },
  };
}
