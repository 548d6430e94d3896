import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SafeHtml } from '../html';
import type { ServiceContext } from '../service-context';
import { type Area, messagePage, safeNext, sendWorkspacePage, signInPage, type Viewer } from './pages';
import { type Session, WorkspaceSessions } from './session';

export type SignedIn = Extract<Session, { signedIn: true }>;
type Form = Record<string, unknown> | undefined;

/** The sign-in, sign-out and form checks of one area of the staff's pages, as its controller's handlers use them. */
export class WorkspaceGate {
  private readonly sessions: WorkspaceSessions;

  constructor(
    readonly area: Area,
    secrets: readonly string[],
  ) {
    this.sessions = new WorkspaceSessions(secrets);
  }

  /** The signed-in session, or null after answering with the sign-in page (401 when a token was refused). */
  session(req: Request, res: Response, next: string | null = null): SignedIn | null {
    const session = this.sessions.read(req);
    if (session.signedIn) return session;
    sendWorkspacePage(
      res,
      session.reason || req.method !== 'GET' ? 401 : 200,
      signInPage(this.area, session.reason ?? (req.method === 'GET' ? null : '请先登录。'), next),
    );
    return null;
  }

  /** POST sign-in: the pasted token (a leading `Bearer ` tolerated) → the session cookie and 303 on. */
  signIn(req: Request, res: Response, form: Form): void {
    const token = (typeof form?.token === 'string' ? form.token : '').trim().replace(/^Bearer\s+/i, '');
    const next = safeNext(this.area, form?.next);
    // no session yet to tie a form token to: a sign-in posted from another site (which would sign the browser in as
    // someone else) is told apart by the Origin browsers send with every POST
    if (!sameOrigin(req))
      return sendWorkspacePage(res, 403, signInPage(this.area, '登录请求不是从本系统的页面提交的。', next));
    if (!token) return sendWorkspacePage(res, 400, signInPage(this.area, '请粘贴访问令牌。', next));
    const outcome = this.sessions.signIn(req, res, token);
    if ('refused' in outcome) return sendWorkspacePage(res, 401, signInPage(this.area, outcome.refused, next));
    res.redirect(303, next ?? this.area);
  }

  /** POST sign-out (from a page of this session's): clears the cookie. */
  signOut(req: Request, res: Response, form: Form): void {
    const session = this.sessions.read(req);
    if (session.signedIn && !this.formIsGenuine(req, res, session, form)) return;
    this.sessions.signOut(res);
    res.redirect(303, this.area);
  }

  /** Whether a posted form came from one of this session's pages; if not, answers 403 saying so. */
  formIsGenuine(req: Request, res: Response, session: SignedIn, form: Form): boolean {
    if (this.sessions.formIsGenuine(req, session, form?.csrf)) return true;
    sendWorkspacePage(
      res,
      403,
      messagePage(
        this.area,
        '请求被拒绝',
        '此表单不是从本系统的页面提交的（或页面已过期）。请刷新页面后重试。',
        viewerOf(session),
      ),
    );
    return false;
  }
}

/** A request without an Origin (not a browser's, or an old one) passes; one from another host does not. */
function sameOrigin(req: Request): boolean {
  const origin = req.get('origin');
  if (!origin || origin === 'null') return origin !== 'null';
  const host = (req.get('x-forwarded-host') ?? req.get('host') ?? '').split(',')[0].trim();
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

export function viewerOf(session: SignedIn): Viewer {
  return { principal: session.principal, csrf: session.csrf };
}

/**
 * Shows, as a page of the area, a refusal raised before a page's handler runs (an upload over its size limit, in
 * multer) instead of Nest's JSON. A controller's upload route names a subclass in `@UseFilters`, which says how.
 */
@Catch(HttpException)
export abstract class PageRefusalFilter implements ExceptionFilter {
  private readonly gate: WorkspaceGate;

  protected constructor(area: Area, ctx: ServiceContext) {
    this.gate = new WorkspaceGate(area, ctx.jwtVerificationSecrets);
  }

  /** The page that says why: the form again, or a message. */
  protected abstract page(viewer: Viewer, err: HttpException): SafeHtml;

  catch(err: HttpException, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<Request>();
    const res = host.switchToHttp().getResponse<Response>();
    const session = this.gate.session(req, res);
    if (session) sendWorkspacePage(res, err.getStatus(), this.page(viewerOf(session), err));
  }
}
