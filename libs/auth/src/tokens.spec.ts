import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InvalidTokenError, signToken, verifyToken } from './tokens';

const principal = { sub: 'u', role: 'submitter' as const, regions: ['341522'] };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const hs256 = (header: unknown, claims: unknown, secret: string) => {
  const body = `${b64(header)}.${b64(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
};

describe('verifyToken', () => {
  it('accepts a token signed by signToken, and again from the cache', () => {
    const token = signToken(principal, 'k1');
    expect(verifyToken(token, 'k1')).toEqual(principal);
    expect(verifyToken(token, 'k1')).toEqual(principal);
  });

  it('refuses an expired token, also one verified (and cached) before it expired', () => {
    const now = Date.now();
    const token = hs256({ alg: 'HS256', typ: 'JWT' }, { ...principal, exp: Math.floor(now / 1000) + 60 }, 'k2');
    expect(verifyToken(token, 'k2', now)).toEqual(principal);
    expect(() => verifyToken(token, 'k2', now + 61_000)).toThrow('jwt expired');
    const old = hs256({ alg: 'HS256' }, { ...principal, exp: Math.floor(now / 1000) - 1 }, 'k2');
    expect(() => verifyToken(old, 'k2', now)).toThrow('jwt expired');
  });

  it('refuses a token not yet valid (nbf)', () => {
    const now = Date.now();
    const token = hs256({ alg: 'HS256' }, { ...principal, nbf: Math.floor(now / 1000) + 60 }, 'k3');
    expect(() => verifyToken(token, 'k3', now)).toThrow('jwt not active');
  });

  it('refuses a changed payload, another secret, alg "none" and malformed tokens', () => {
    const token = signToken(principal, 'k4');
    const [h, , s] = token.split('.');
    const forged = `${h}.${b64({ ...principal, role: 'reviewer' })}.${s}`;
    expect(() => verifyToken(forged, 'k4')).toThrow('invalid signature');
    expect(() => verifyToken(token, 'other')).toThrow(InvalidTokenError);
    expect(() => verifyToken(`${b64({ alg: 'none' })}.${b64(principal)}.`, 'k4')).toThrow('invalid algorithm');
    expect(() => verifyToken('abc', 'k4')).toThrow('jwt malformed');
    expect(() => verifyToken(`${h}.!!!.${s}`, 'k4')).toThrow(InvalidTokenError);
  });

  it('refuses a validly signed token that carries no principal', () => {
    const token = hs256({ alg: 'HS256' }, { sub: 'u', role: 'king', regions: [] }, 'k5');
    expect(() => verifyToken(token, 'k5')).toThrow(/valid principal/);
  });

  it('hands each caller its own principal object', () => {
    const token = signToken(principal, 'k6');
    const a = verifyToken(token, 'k6');
    a.regions.push('CN');
    expect(verifyToken(token, 'k6').regions).toEqual(['341522']);
  });
});

describe('verifyToken while the secret is rotated', () => {
  const current = 'the-new-secret-0123456789abcdef';
  const previous = 'the-old-secret-0123456789abcdef';
  const who = { sub: 'r1', role: 'reviewer' as const, regions: ['130126'] };

  it('accepts a token signed with the current or the previous secret, and no other', () => {
    expect(verifyToken(signToken(who, current), [current, previous])).toEqual(who);
    expect(verifyToken(signToken(who, previous), [current, previous])).toEqual(who);
    expect(() => verifyToken(signToken(who, 'a-third-secret-0123456789abcdef'), [current, previous])).toThrow(
      'invalid signature',
    );
    // once the previous secret is dropped, its tokens are refused
    expect(() => verifyToken(signToken(who, previous), [current])).toThrow('invalid signature');
  });

  it('an expired token signed with the previous secret is expired, not merely unsigned', () => {
    const token = signToken(who, previous, 60);
    expect(() => verifyToken(token, [current, previous], Date.now() + 61_000)).toThrow('jwt expired');
  });
});
