import { createHmac, timingSafeEqual } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InvalidTokenError, type Principal, verifyToken } from '@jixiao/auth';
import { readCookie } from '../cookies';

/** The staff's session cookie (the queue dashboard accepts it too). */
export const SESSION_COOKIE = 'jixiao_session';

export type Session =
  { signedIn: true; principal: Principal; token: string; csrf: string } | { signedIn: false; reason: string | null };

/** What a browser is told when its token is refused, in the staff's words (the log keeps the exact reason). */
function refusalText(reason: string): string {
  if (reason === 'jwt expired') return '登录已过期，请重新登录。';
  if (reason === 'jwt not active') return '令牌尚未生效。';
  return '令牌无效，请确认复制完整，或向管理员重新申请。';
}

/**
 * The browser session of the staff's pages (/submit, /review, /rules, /audit; the queue dashboard too). A browser
 * cannot send a bearer header, so the token pasted once at sign-in lives in an HttpOnly, SameSite=Strict cookie that
 * every one of them reads, whichever service serves it (behind one host). The JSON API never reads
 * it: a cookie there would let other sites act through it. Every form carries a token derived from the session's
 * (an HMAC under the current JWT secret), so a post from elsewhere is refused even by a browser that ignores
 * SameSite. Refusals are logged as the API's are (`refused: authentication`).
 */
export class WorkspaceSessions {
  private readonly logger = new Logger('Auth');

  constructor(private readonly secrets: readonly string[]) {}

  read(req: Request): Session {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    if (!token) return { signedIn: false, reason: null };
    try {
      return { signedIn: true, principal: verifyToken(token, this.secrets), token, csrf: this.csrfFor(token) };
    } catch (err) {
      return { signedIn: false, reason: this.refused(req, err) };
    }
  }

  /** Verifies a pasted token: the principal, or the refusal in the staff's words. */
  signIn(req: Request, res: Response, token: string): { principal: Principal } | { refused: string } {
    try {
      const principal = verifyToken(token, this.secrets);
      res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: '/', secure: req.secure });
      this.logger.log({ msg: 'workspace: signed in', user: principal.sub, role: principal.role });
      return { principal };
    } catch (err) {
      return { refused: this.refused(req, err) };
    }
  }

  /** Logs a refused token as the API logs one; what to tell the browser. */
  private refused(req: Request, err: unknown): string {
    const reason = err instanceof InvalidTokenError ? err.message : 'invalid token';
    this.logger.warn({
      msg: 'refused: authentication',
      reason,
      method: req.method,
      url: req.originalUrl.split('?')[0],
    });
    return refusalText(reason);
  }

  signOut(res: Response): void {
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/' });
  }

  /** Whether a posted form came from one of this session's pages. */
  formIsGenuine(req: Request, session: Extract<Session, { signedIn: true }>, posted: unknown): boolean {
    const ok = typeof posted === 'string' && sameText(posted, session.csrf);
    if (!ok) {
      const p = session.principal;
      this.logger.warn({
        msg: 'refused: form token',
        user: p.sub,
        role: p.role,
        method: req.method,
        url: req.originalUrl.split('?')[0],
      });
    }
    return ok;
  }

  private csrfFor(token: string): string {
    return createHmac('sha256', this.secrets[0]).update(`jixiao-workspace:${token}`).digest('base64url');
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
