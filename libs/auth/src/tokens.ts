import { JwtService } from '@nestjs/jwt';
import { type Principal, PrincipalSchema } from './principal';

export class InvalidTokenError extends Error {}

/** HS256 tokens signed with JWT_SECRET. */
export function signToken(principal: Principal, secret: string, expiresInSeconds = 8 * 3600): string {
  const payload = PrincipalSchema.parse(principal);
  return new JwtService({ secret }).sign(payload, { algorithm: 'HS256', expiresIn: expiresInSeconds });
}

export function verifyToken(token: string, secret: string): Principal {
  let decoded: unknown;
  try {
    decoded = new JwtService({ secret }).verify(token, { algorithms: ['HS256'] });
  } catch (err) {
    throw new InvalidTokenError(err instanceof Error ? err.message : 'invalid token');
  }
  const parsed = PrincipalSchema.safeParse(decoded);
  if (!parsed.success) throw new InvalidTokenError('token does not carry a valid principal (sub, role, regions)');
  return parsed.data;
}
