import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { signToken } from '@jixiao/auth';
import type { RunningSystem } from './run-services';
import { startBareRuntime } from './testing/bare-runtime';
import { RecordingLogger } from './testing/recording-logger';

const SECRET = 'dashboard-test-secret-0123456789abcdef';

const token = (role: 'submitter' | 'auditor' | 'rule_admin', sub = `${role}-1`) =>
  signToken({ sub, role, regions: ['130126'] }, SECRET);

describe('refusals are logged: the API guard and the queue dashboard (/queues)', () => {
  let system: RunningSystem;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    system = await startBareRuntime('dashboard test', SECRET);
    system.app.useLogger(logger);
  });
  afterAll(async () => {
    await system?.close();
  });
  beforeEach(() => {
    logger.lines = [];
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${system.url}${path}`, { headers, redirect: 'manual' });

  it('/queues without a token, or with a bad one: 401, logged with the reason and without the token', async () => {
    const none = await get('/queues');
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ statusCode: 401, message: 'missing token: open /queues?token=<JWT>' });
    const forged = await get(
      `/queues?token=${signToken({ sub: 'x', role: 'auditor', regions: ['CN'] }, 'another-secret-0123456789abcdef')}`,
    );
    expect(forged.status).toBe(401);
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        context: 'QueueDashboard',
        message: { msg: 'refused: authentication', reason: 'missing token', method: 'GET', url: '/queues' },
      },
      {
        level: 'warn',
        context: 'QueueDashboard',
        message: { msg: 'refused: authentication', reason: 'invalid signature', method: 'GET', url: '/queues' },
      },
    ]);
  });

  it('/queues for a role that may not see it: 403, logged with the user and role', async () => {
    const res = await get('/queues/api/queues', { authorization: `Bearer ${token('submitter', 'unit-7')}` });
    expect(res.status).toBe(403);
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        context: 'QueueDashboard',
        message: { msg: 'refused: role', user: 'unit-7', role: 'submitter', method: 'GET', url: '/queues/api/queues' },
      },
    ]);
  });

  it('/queues?token= for an auditor: served, the sign-in logged, the token kept in a cookie for the dashboard only', async () => {
    const res = await get(`/queues?token=${token('auditor', 'audit-1')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/^jixiao_queues_token=.+; Path=\/queues; HttpOnly; SameSite=Strict$/);
    expect(logger.lines).toContainEqual({
      level: 'log',
      context: 'QueueDashboard',
      message: { msg: 'queue dashboard: signed in', user: 'audit-1', role: 'auditor' },
    });
    expect(JSON.stringify(logger.lines)).not.toContain('eyJ'); // no token in any line
  });

  it('a browser signed in to the staff pages is let in with that session (operators only)', async () => {
    const signIn = async (role: 'auditor' | 'submitter') => {
      const res = await fetch(`${system.url}/session/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: token(role, `${role}-9`), next: '/audit' }).toString(),
      });
      expect(res.status).toBe(303);
      return res.headers.get('set-cookie')!.split(';')[0];
    };
    expect((await get('/queues', { cookie: await signIn('auditor') })).status).toBe(200);
    expect((await get('/queues', { cookie: await signIn('submitter') })).status).toBe(403);
  });

  it('the API: a missing token and a role not allowed are logged the same way', async () => {
    expect((await get('/audit/verify')).status).toBe(401);
    expect((await get('/audit/verify', { authorization: `Bearer ${token('submitter', 'unit-7')}` })).status).toBe(403);
    expect(logger.lines).toEqual([
      {
        level: 'warn',
        context: 'Auth',
        message: {
          msg: 'refused: authentication',
          reason: 'missing bearer token',
          method: 'GET',
          url: '/audit/verify',
        },
      },
      {
        level: 'warn',
        context: 'Auth',
        message: { msg: 'refused: role', user: 'unit-7', role: 'submitter', method: 'GET', url: '/audit/verify' },
      },
    ]);
  });
});
