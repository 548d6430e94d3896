import { Body, Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@jixiao/auth';
import { SERVICE_CONTEXT, type ServiceContext } from '../service-context';
import { WorkspaceGate } from './gate';
import { areaOf, safeNext, sendWorkspacePage, SESSION, signInPage } from './pages';
import { WorkspaceSessions } from './session';

type Form = Record<string, unknown> | undefined;

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

/**
 * Signs the staff in and out of their pages, in every process (so any service behind the host can take it): one
 * session cookie for /submit, /review, /rules and /audit. `next` (a staff page) is where to go after.
 */
@ApiTags('workspace')
@Public()
@Controller(SESSION.slice(1))
export class SessionController {
  private readonly sessions: WorkspaceSessions;
  private readonly gates = new Map<string, WorkspaceGate>();

  constructor(@Inject(SERVICE_CONTEXT) private readonly ctx: ServiceContext) {
    this.sessions = new WorkspaceSessions(ctx.jwtVerificationSecrets);
  }

  @Post('sign-in')
  @ApiOperation({
    summary: 'Sign in to the staff’s pages (form: token, next); sets an HttpOnly session cookie, 303 to next',
  })
  signIn(@Req() req: Request, @Res() res: Response, @Body() form: Form): void {
    const next = safeNext(form?.next);
    const area = areaOf(next);
    const token = (typeof form?.token === 'string' ? form.token : '').trim().replace(/^Bearer\s+/i, '');
    // no session yet to tie a form token to: a sign-in posted from another site (which would sign the browser in as
    // someone else) is told apart by the Origin browsers send with every POST
    if (!sameOrigin(req))
      return sendWorkspacePage(res, 403, signInPage(area, '登录请求不是从本系统的页面提交的。', next));
    if (!token) return sendWorkspacePage(res, 400, signInPage(area, '请粘贴访问令牌。', next));
    const outcome = this.sessions.signIn(req, res, token);
    if ('refused' in outcome) return sendWorkspacePage(res, 401, signInPage(area, outcome.refused, next));
    res.redirect(303, next ?? area);
  }

  @Post('sign-out')
  @ApiOperation({ summary: 'Sign out of the staff’s pages (form: csrf, next); clears the cookie, 303 to next' })
  signOut(@Req() req: Request, @Res() res: Response, @Body() form: Form): void {
    const area = areaOf(safeNext(form?.next));
    const gate = this.gateFor(area);
    const session = gate.read(req);
    if (session.signedIn && !gate.formIsGenuine(req, res, session, form)) return;
    this.sessions.signOut(res);
    res.redirect(303, area);
  }

  private gateFor(area: ReturnType<typeof areaOf>): WorkspaceGate {
    let gate = this.gates.get(area);
    if (!gate) this.gates.set(area, (gate = new WorkspaceGate(area, this.ctx.jwtVerificationSecrets)));
    return gate;
  }
}
