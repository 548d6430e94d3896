import { createHmac, timingSafeEqual } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { type Principal, PrincipalSchema } from './principal';

export class InvalidTokenError extends Error {}

/** HS256 tokens signed with JWT_SECRET. */
export function signToken(principal: Principal, secret: string, expiresInSeconds = 8 * 3600): string {
  const payload = PrincipalSchema.parse(principal);
  return new JwtService({ secret }).sign(payload, { algorithm: 'HS256', expiresIn: expiresInSeconds });
}

/**
 * Verifies an HS256 token with node:crypto (jsonwebtoken would first try to read the secret as a public key, on
 * every call): header `alg` must be HS256, the signature must match (constant-time compare), `exp` and `nbf` are
 * honoured as jsonwebtoken does (no clock tolerance), and the claims must be a principal.
 *
 * A token verified once is remembered (per secret, keyed by the token string) until its `exp`: the same bearer
 * token on every request of a client is checked by a map lookup and an expiry comparison. Tokens without `exp`
 * are not remembered. A different token string (another signature, another payload) is never taken from the cache.
 *
 * `secrets` may list several (JWT_SECRET, then JWT_SECRET_PREVIOUS while a secret is rotated): a token signed with any
 * of them is accepted; the one whose signature matches decides expiry and claims.
 */
export function verifyToken(token: string, secrets: string | readonly string[], nowMs = Date.now()): Principal {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  // a token seen before, under whichever secret signed it: no signature computed
  for (const secret of list) {
    const cache = cacheFor(secret);
    const hit = cache.get(token);
    if (!hit) continue;
    if (nowMs < hit.expMs) return copy(hit.principal);
    cache.delete(token);
  }
  // while a secret is rotated: the current one first, then the previous; a signature none of them made is invalid
  for (const [i, secret] of list.entries()) {
    try {
      return verifyWith(token, secret, nowMs);
    } catch (err) {
      const unsigned = err instanceof InvalidTokenError && err.message === 'invalid signature';
      if (!unsigned || i === list.length - 1) throw err;
    }
  }
  throw new InvalidTokenError('invalid signature'); // no secret at all
}

function verifyWith(token: string, secret: string, nowMs: number): Principal {
  const cache = cacheFor(secret);
  const { principal, exp } = verifyUncached(token, secret, Math.floor(nowMs / 1000));
  if (exp !== undefined) {
    if (cache.size >= MAX_CACHED_TOKENS) cache.clear();
    cache.set(token, { principal, expMs: exp * 1000 });
  }
  return copy(principal);
}

/** Callers get their own object: one request changing its principal must not change the next one's. */
const copy = (p: Principal): Principal => ({ ...p, regions: [...p.regions] });

const MAX_CACHED_TOKENS = 10_000;
const caches = new Map<string, Map<string, { principal: Principal; expMs: number }>>();

function cacheFor(secret: string) {
  let cache = caches.get(secret);
  if (!cache) {
    if (caches.size >= 16) caches.clear(); // tests mint secrets; a process has one
    cache = new Map();
    caches.set(secret, cache);
  }
  return cache;
}

function verifyUncached(token: string, secret: string, nowSeconds: number): { principal: Principal; exp?: number } {
  const parts = token.split('.');
  if (parts.length !== 3) throw new InvalidTokenError('jwt malformed');
  const [headerPart, payloadPart, signaturePart] = parts;
  const header = decodeJson(headerPart);
  if (header?.alg !== 'HS256') throw new InvalidTokenError('invalid algorithm');
  const expected = createHmac('sha256', secret).update(`${headerPart}.${payloadPart}`).digest();
  const given = Buffer.from(signaturePart, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    throw new InvalidTokenError('invalid signature');
  const claims = decodeJson(payloadPart);
  if (!claims) throw new InvalidTokenError('invalid token');
  if (claims.nbf !== undefined) {
    if (typeof claims.nbf !== 'number') throw new InvalidTokenError('invalid nbf value');
    if (nowSeconds < claims.nbf) throw new InvalidTokenError('jwt not active');
  }
  if (claims.exp !== undefined) {
    if (typeof claims.exp !== 'number') throw new InvalidTokenError('invalid exp value');
    if (nowSeconds >= claims.exp) throw new InvalidTokenError('jwt expired');
  }
  const parsed = PrincipalSchema.safeParse(claims);
  if (!parsed.success) throw new InvalidTokenError('token does not carry a valid principal (sub, role, regions)');
  return { principal: parsed.data, exp: claims.exp as number | undefined };
}

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    throw new InvalidTokenError('jwt malformed');
  }
}
