import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@jixiao/auth';
import type { RunningSystem } from './run-services';
import { startBareRuntime } from './testing/bare-runtime';

const CURRENT = 'rotation-new-secret-0123456789abcdef';
const PREVIOUS = 'rotation-old-secret-0123456789abcdef';
const auditor = (secret: string) => signToken({ sub: 'auditor-1', role: 'auditor', regions: ['CN'] }, secret);

/** A process mid-rotation: JWT_SECRET is the new secret, JWT_SECRET_PREVIOUS the one it replaces. */
describe('JWT secret rotation (JWT_SECRET_PREVIOUS)', () => {
  let rotating: RunningSystem;
  let after: RunningSystem;

  beforeAll(async () => {
    rotating = await startBareRuntime('rotation test', CURRENT, { JWT_SECRET_PREVIOUS: PREVIOUS });
    after = await startBareRuntime('rotation done', CURRENT);
  });
  afterAll(async () => {
    await rotating?.close();
    await after?.close();
  });

  const get = (system: RunningSystem, path: string, token: string) =>
    fetch(`${system.url}${path}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });

  it('accepts tokens signed with either secret, on the API and the queue dashboard, and no other', async () => {
    for (const secret of [CURRENT, PREVIOUS]) {
      expect((await get(rotating, '/audit/verify', auditor(secret))).status).toBe(200);
      expect((await get(rotating, '/queues', auditor(secret))).status).toBe(200);
    }
    const stranger = auditor('some-other-secret-0123456789abcdef');
    expect((await get(rotating, '/audit/verify', stranger)).status).toBe(401);
    expect((await get(rotating, '/queues', stranger)).status).toBe(401);
  });

  it('once JWT_SECRET_PREVIOUS is gone, the old tokens are refused', async () => {
    expect((await get(after, '/audit/verify', auditor(CURRENT))).status).toBe(200);
    const refused = await get(after, '/audit/verify', auditor(PREVIOUS));
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { message: string }).message).toBe('invalid signature');
  });
});
