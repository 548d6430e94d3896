import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SubmissionReceivedV1 } from '@jixiao/contracts';
import { OutageProxy } from '@jixiao/messaging/testing/test-redis';
import { TEST_DATABASE_URL } from '@jixiao/persistence/testing/test-database';
import type { RunningSystem } from '@jixiao/runtime';
import { RecordingLogger } from '@jixiao/runtime/testing/recording-logger';
import { bearer, boot, dropStorage, newStorage, type Storage } from '@jixiao/runtime/testing/service-under-test';
import { IntakeModule } from './intake.module';

const submitter = { sub: 'u-huoqiu', role: 'submitter' as const, regions: ['341522'] };

describe('intake while PostgreSQL does not answer', () => {
  let storage: Storage;
  let system: RunningSystem;
  const logger = new RecordingLogger();
  const pg = new URL(TEST_DATABASE_URL);
  const proxy = new OutageProxy({ host: pg.hostname, port: Number(pg.port || 5432) });

  beforeAll(async () => {
    await proxy.start();
    storage = newStorage('postgres', 'intakepg');
    system = await boot([(ctx) => IntakeModule.forRoot(ctx)], storage, {
      DATABASE_URL: proxy.postgresUrl(TEST_DATABASE_URL),
    });
    system.app.useLogger(logger);
  });
  afterAll(async () => {
    await proxy.restore(); // a failed test may leave it cut: let the service close cleanly
    await system?.close();
    await proxy.cut();
    if (storage) await dropStorage(storage);
  });

  const submit = (name: string) =>
    fetch(`${system.url}/evaluations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...bearer(submitter) },
      body: JSON.stringify({ ...SubmissionReceivedV1.example.evaluation, projectName: name }),
    });

  it('answers 503 with Retry-After (the request not completed, send it again), then takes the same submission once it is back', async () => {
    expect((await submit('断库之前')).status).toBe(201);

    await proxy.cut();
    const refused = await submit('断库之中');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(await refused.json()).toEqual({
      statusCode: 503,
      message: 'the database does not answer: the request was not completed; try again in 5 s',
    });
    expect(logger.lines).toContainEqual({
      level: 'warn',
      context: 'Database',
      message: expect.objectContaining({ msg: 'database unavailable', method: 'POST', url: '/evaluations' }),
    });
    // a request the database is not needed for is answered as usual
    expect((await fetch(`${system.url}/evaluations`, { method: 'POST' })).status).toBe(401);

    await proxy.restore();
    const again = await submit('断库之中');
    expect(again.status).toBe(201);
    const list = await fetch(`${system.url}/submissions?pageSize=10`, { headers: bearer(submitter) });
    if (list.ok) {
      const body = (await list.json()) as { total?: number };
      if (typeof body.total === 'number') expect(body.total).toBe(2);
    }
  });
});
