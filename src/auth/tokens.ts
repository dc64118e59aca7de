import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { z } from 'zod';
import { UnauthenticatedError } from '../lib/errors.js';
import { PROGRAM_CODE, REGION_PREFIX, ROLES, type Role, type Viewer } from './viewer.js';

/** Longer bearer tokens are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 4096;
/**
 * Longest lifetime (exp - iat) of a bearer token: a leaked token stops working within a day
 * (the demo tokens are 12 h). A token with `exp` in the year 33658 was accepted before.
 */
export const MAX_TOKEN_LIFETIME_S = 24 * 3600;
/** Clock skew tolerated between the issuer and this server: `iat` at most this far in the future. */
export const MAX_CLOCK_SKEW_S = 60;

const claims = z
  .object({
    sub: z.string().min(1).max(200),
    role: z.enum(ROLES),
    regions: z
      .array(z.string().refine((p) => p === '*' || REGION_PREFIX.test(p), 'is not "*" or a region code prefix'))
      .min(1, 'must name at least one region prefix')
      .max(100)
      .refine((r) => !r.includes('*') || r.length === 1, '"*" must stand alone'),
    programs: z.array(z.string().regex(PROGRAM_CODE)).max(100).optional(),
  })
  .refine((c) => c.role !== 'PROGRAM_MANAGER' || (c.programs?.length ?? 0) > 0, {
    message: 'a PROGRAM_MANAGER token must name its programs',
    path: ['programs'],
  });

const key = (secret: string) => new TextEncoder().encode(secret);

export interface TokenRequest {
  sub: string;
  role: Role;
  regions: string[];
  programs?: string[];
  /** jose time span such as "1h", "30d". */
  ttl?: string;
}

/** Sign a bearer token (HS256) with the claims of CONTRACT.md section 4. */
export async function signToken(request: TokenRequest, secret: string): Promise<string> {
  const parsed = claims.safeParse({ ...request, programs: request.programs ?? [] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`cannot sign token: ${issue.path.join('.') || 'claims'}: ${issue.message}`);
  }
  const issuedAt = Math.floor(Date.now() / 1000);
  const token = new SignJWT({ role: request.role, regions: request.regions, programs: request.programs ?? [] })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(request.ttl ?? '1h');
  const signed = await token.sign(key(secret));
  const { exp } = JSON.parse(Buffer.from(signed.split('.')[1], 'base64url').toString('utf8')) as { exp: number };
  if (exp - issuedAt > MAX_TOKEN_LIFETIME_S) throw new Error(`cannot sign token: ttl longer than ${MAX_TOKEN_LIFETIME_S / 3600} h`);
  return signed;
}

/**
 * Tokens verified lately, by their exact text: the same bytes under the same secret verify the
 * same way until they expire, and a client sends its token with every request, so the HMAC
 * (a WebCrypto round trip, ~10% of the CPU of a small read) runs once per token, not per
 * request. Expiry is checked on every hit exactly as jose checks it (exp > now, in seconds).
 * Bounded; the oldest entry goes first.
 */
const VERIFIED_MAX = 1000;
const verified = new Map<string, { viewer: Viewer; exp: number; secret: string }>();

/**
 * Verify a bearer token into a Viewer. Any defect (signature, algorithm, expiry, a claim of the
 * wrong shape, an unknown role) is UNAUTHENTICATED; the message names the defect, not the token.
 */
export async function verifyToken(token: string, secret: string): Promise<Viewer> {
  if (token.length > MAX_TOKEN_LENGTH) throw new UnauthenticatedError(`bearer token longer than ${MAX_TOKEN_LENGTH} characters`);
  const known = verified.get(token);
  if (known) {
    if (known.secret === secret && Math.floor(Date.now() / 1000) < known.exp) return known.viewer;
    verified.delete(token);
  }
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'], requiredClaims: ['exp', 'sub', 'iat'] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new UnauthenticatedError('bearer token has expired');
    if (error instanceof joseErrors.JWSSignatureVerificationFailed) throw new UnauthenticatedError('bearer token signature is not valid');
    throw new UnauthenticatedError('bearer token is not a valid HS256 JWT');
  }
  const now = Math.floor(Date.now() / 1000);
  const { iat, exp } = payload as { iat: number; exp: number };
  if (iat > now + MAX_CLOCK_SKEW_S) throw new UnauthenticatedError('bearer token is issued in the future (iat)');
  if (exp - iat > MAX_TOKEN_LIFETIME_S) {
    throw new UnauthenticatedError(`bearer token lives longer than ${MAX_TOKEN_LIFETIME_S / 3600} h (exp - iat)`);
  }
  const parsed = claims.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UnauthenticatedError(`bearer token claim ${issue.path.join('.') || 'set'} is malformed: ${issue.message}`);
  }
  const c = parsed.data;
  const viewer: Viewer = Object.freeze({
    id: c.sub,
    role: c.role,
    regions: Object.freeze([...new Set(c.regions)]),
    programs: Object.freeze(c.role === 'PROGRAM_MANAGER' ? [...new Set(c.programs ?? [])] : []),
    via: 'token' as const,
  });
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
  verified.set(token, { viewer, exp: payload.exp as number, secret });
  return viewer;
}
