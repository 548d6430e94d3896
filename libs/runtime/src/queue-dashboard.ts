import type { INestApplication } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { Queue } from 'bullmq';
import type { NextFunction, Request, Response } from 'express';
import { type Principal, verifyToken } from '@jixiao/auth';
import { QUEUES } from '@jixiao/contracts';
import type { ServiceContext } from './service-context';

const COOKIE = 'jixiao_queues_token';
const OPERATOR_ROLES: Principal['role'][] = ['auditor', 'rule_admin'];

/**
 * Bull Board at /queues, read-only, for auditors and rule admins. A browser cannot send a bearer header, so
 * `/queues?token=…` once stores the token in an HttpOnly cookie scoped to /queues.
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
  app.use('/queues', guard(ctx.jwtSecret), adapter.getRouter());
  return async () => {
    await Promise.all(queues.map((q) => q.close()));
  };
}

function guard(secret: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const fromQuery = typeof req.query.token === 'string' ? req.query.token : null;
    const header = req.headers.authorization?.startsWith('Bearer ') ? req.headers.authorization.slice(7) : null;
    const token = fromQuery ?? header ?? readCookie(req.headers.cookie, COOKIE);
    if (!token) return void res.status(401).json({ statusCode: 401, message: 'missing token: open /queues?token=<JWT>' });
    let principal: Principal;
    try {
      principal = verifyToken(token, secret);
    } catch {
      return void res.status(401).json({ statusCode: 401, message: 'invalid token' });
    }
    if (!OPERATOR_ROLES.includes(principal.role)) {
      return void res.status(403).json({ statusCode: 403, message: `role ${principal.role} may not open the queue dashboard` });
    }
    if (fromQuery) res.cookie(COOKIE, fromQuery, { httpOnly: true, sameSite: 'strict', path: '/queues' });
    next();
  };
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('='));
  }
  return null;
}
