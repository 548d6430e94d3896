import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { SafeHtml } from '../html';
import type { ServiceContext } from '../service-context';
import { type Area, messagePage, sendWorkspacePage, signInPage, type Viewer } from './pages';
import { type Session, WorkspaceSessions } from './session';

export type SignedIn = Extract<Session, { signedIn: true }>;
type Form = Record<string, unknown> | undefined;

/** The session and form checks of one area of the staff's pages, as its controller's handlers use them. */
export class WorkspaceGate {
  private readonly sessions: WorkspaceSessions;

  constructor(
    readonly area: Area,
    secrets: readonly string[],
  ) {
    this.sessions = new WorkspaceSessions(secrets);
  }

  /** The session, whatever it is (for the sign-in and sign-out handlers). */
  read(req: Request): Session {
    return this.sessions.read(req);
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
