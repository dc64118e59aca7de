import type { IncomingMessage } from 'node:http';

/**
 * Checks of a POST /graphql request that run before any GraphQL work, each bounded by the size
 * of what it reads. They exist because the expensive steps after them (JSON.parse, the GraphQL
 * lexer) run on the event loop in one piece: a 1 MB body of nested arrays or of 90,000 keys costs
 * JSON.parse a few hundred milliseconds, 31 MB of whitespace costs the lexer seconds, and
 * meanwhile /healthz and every other request wait.
 */

/** Longest GraphQL document (characters, whitespace and comments included). */
export const MAX_DOCUMENT_CHARS = 100_000;
/** Body limit for every caller but ADMIN, whose importRecords CSV travels in the body (MAX_BODY_BYTES). */
export const MAX_BODY_BYTES_NOT_IMPORTING = 256 * 1024;
/** JSON nesting and structure limits of a body: variables of this schema are flat input objects. */
export const MAX_JSON_DEPTH = 16;
export const MAX_JSON_VALUES = 10_000;

export class BodyTooLarge extends Error {}

export async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Whether a Content-Type header names JSON exactly (RFC 9110 media type: `type/subtype`
 * case-insensitively, then `; name=value` parameters): `application/json`, optionally with
 * `charset=utf-8`. `application/jsonx`, `application/json-patch+json`, `text/json` or a charset
 * other than UTF-8 are not JSON bodies this server reads.
 */
export function isJsonMediaType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [essence, ...parameters] = header.split(';');
  if (essence.trim().toLowerCase() !== 'application/json') return false;
  for (const parameter of parameters) {
    const at = parameter.indexOf('=');
    if (at < 0) {
      if (parameter.trim() === '') continue;
      return false;
    }
    const name = parameter.slice(0, at).trim().toLowerCase();
    const value = parameter.slice(at + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    if (name === 'charset' && value !== 'utf-8' && value !== 'utf8') return false;
  }
  return true;
}

/**
 * Nesting depth and number of values of a JSON text, scanned without parsing (strings are
 * skipped with indexOf, so a 30 MB CSV in one string costs little). Null when within limits,
 * else what exceeds them. Malformed JSON is left to JSON.parse.
 */
export function jsonShapeProblem(text: string, maxDepth = MAX_JSON_DEPTH, maxValues = MAX_JSON_VALUES): string | null {
  let depth = 0;
  let values = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      // Skip to the closing quote: one not preceded by an odd number of backslashes.
      for (;;) {
        const end = text.indexOf('"', i + 1);
        if (end < 0) return null;
        let backslashes = 0;
        for (let j = end - 1; text.charCodeAt(j) === 92; j--) backslashes++;
        i = end;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > maxDepth) return `JSON nested deeper than ${maxDepth} levels`;
      if (++values > maxValues) return `JSON with more than ${maxValues} values`;
    } else if (c === 93 || c === 125) {
      depth--;
    } else if (c === 44 /* , */ || c === 58 /* : */) {
      if (++values > maxValues) return `JSON with more than ${maxValues} values`;
    }
  }
  return null;
}

/** The `query` of a parsed body when it is longer than MAX_DOCUMENT_CHARS, else null. */
export function documentTooLong(body: unknown): number | null {
  if (typeof body !== 'object' || body === null) return null;
  const query = (body as { query?: unknown }).query;
  return typeof query === 'string' && query.length > MAX_DOCUMENT_CHARS ? query.length : null;
}
