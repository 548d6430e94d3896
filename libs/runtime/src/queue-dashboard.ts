import { type INestApplication, Logger } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { InvalidTokenError, type Principal, verifyToken } from '@jixiao/auth';
import { QUEUES } from '@jixiao/contracts';
import { readCookie } from './cookies';
import { SESSION_COOKIE } from './workspace/session';
import type { ServiceContext } from './service-context';

const COOKIE = 'jixiao_queues_token';
const OPERATOR_ROLES: Principal['role'][] = ['auditor', 'rule_admin'];

/**
 * Bull Board at /queues, read-only, for auditors and rule admins. A browser cannot send a bearer header, so
 * `/queues?token=…` once stores the token in an HttpOnly cookie scoped to /queues; a browser signed in to the staff's
 * pages (/session/sign-in) is let in with that session. Refusals are logged as the API's
 * are (JwtAuthGuard: `refused: authentication`, `refused: role`), and so is each sign-in with a token in the URL.
 */
export function mountQueueDashboard(app: INestApplication, ctx: ServiceContext): () => Promise<void> {
  const connection = { url: ctx.redisUrl, maxRetriesPerRequest: null, enableOfflineQueue: true };
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection, prefix: ctx.config.QUEUE_PREFIX }));
  for (const q of queues) q.on('error', () => undefined);
  const adapter = new ExpressAdapter();
  adapter.setBasePath('/queues');
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Jixiao queues' } },
  });
  app.use('/queues', guard(ctx.jwtVerificationSecrets), adapter.getRouter());
  return async () => {
    await Promise.all(queues.map((q) => q.close()));
  };
}

function guard(secrets: readonly string[]) {
  const logger = new Logger('QueueDashboard');
  return (req: Request, res: Response, next: NextFunction) => {
    // the mount point is stripped from req.url here; the token stays out of the log
    const url = req.originalUrl.split('?')[0];
    const refuse401 = (reason: string) => {
      logger.warn({ msg: 'refused: authentication', reason, method: req.method, url });
      res.status(401).json({ statusCode: 401, message: `${reason}: open /queues?token=<JWT>` });
    };
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : null;
    const header = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : null;
    // a token in the URL, a bearer header, the dashboard's own cookie, or the staff pages' session
    const token =
      fromQuery ?? header ?? readCookie(req.headers.cookie, COOKIE) ?? readCookie(req.headers.cookie, SESSION_COOKIE);
    if (!token) return refuse401('missing token');
    let principal: Principal;
    try {
      principal = verifyToken(token, secrets);
    } catch (err) {
      return refuse401(err instanceof InvalidTokenError ? err.message : 'invalid token');
    }
    if (!OPERATOR_ROLES.includes(principal.role)) {
      logger.warn({ msg: 'refused: role', user: principal.sub, role: principal.role, method: req.method, url });
      return void res.status(403).json({ statusCode: 403, message: `role ${principal.role} may not open the queue dashboard` });
    }
    if (fromQuery) {
      logger.log({ msg: 'queue dashboard: signed in', user: principal.sub, role: principal.role });
      res.cookie(COOKIE, fromQuery, { httpOnly: true, sameSite: 'strict', path: '/queues' });
    }
    next();
  };
}
