import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Principal, Role } from '../principal';
import { InvalidTokenError, verifyToken } from '../tokens';
import { ROLE_LABELS } from '../policy';
import { IS_PUBLIC, ROLES_KEY } from './auth.decorators';
import { refusal } from './refusal';

export const JWT_SECRET = Symbol('JWT_SECRET');

interface AuthRequest {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  method: string;
  url: string;
  principal?: Principal;
}

/**
 * Bearer-token authentication for every route not marked @Public: missing or bad token → 401, a role not allowed
 * by @Roles → 403. Region checks need the resource and happen in the handlers (see `decide`). Refusals are logged.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  private readonly logger = new Logger('Auth');

  constructor(
    private readonly reflector: Reflector,
    /** The secrets a token may be signed with: JWT_SECRET, and JWT_SECRET_PREVIOUS while it is rotated. */
    private readonly secret: string | readonly string[],
  ) {}

  canActivate(ctx: ExecutionContext): boolean {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const req = ctx.switchToHttp().getRequest<AuthRequest>();
    const token = bearer(req);
    if (!token) return this.refuse401(req, 'missing bearer token');
    try {
      req.principal = verifyToken(token, this.secret);
    } catch (err) {
      return this.refuse401(req, err instanceof InvalidTokenError ? err.message : 'invalid token');
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(req.principal.role)) {
      this.logger.warn({ msg: 'refused: role', user: req.principal.sub, role: req.principal.role, method: req.method, url: req.url });
      throw refusal(
        ForbiddenException,
        `role ${req.principal.role} may not call ${req.method} ${req.url.split('?')[0]}`,
        `${ROLE_LABELS[req.principal.role]}不能使用此功能（${req.method} ${req.url.split('?')[0]}）`,
      );
    }
    return true;
  }

  private refuse401(req: AuthRequest, reason: string): never {
    this.logger.warn({ msg: 'refused: authentication', reason, method: req.method, url: req.url.split('?')[0] });
    throw new UnauthorizedException(reason);
  }
}

function bearer(req: AuthRequest): string | null {
  const h = req.headers.authorization;
  const header = Array.isArray(h) ? h[0] : h;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim() || null;
  return null;
}
