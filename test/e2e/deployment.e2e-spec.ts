import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentForm, http } from './support/http';
import { SEEDS } from './support/seeds';
import { startSystem, type TestSystem, waitFor } from './support/system';

/**
 * The split is a deployment choice: the services in two processes (here two Nest applications in this one, each
 * with its own port, SERVICE=intake,scoring and SERVICE=review,publication) sharing the database and Redis behave
 * as `npm start` does.
 */
describe('two processes: SERVICE=intake,scoring and SERVICE=review,publication on postgres', () => {
  let front: TestSystem;
  let back: TestSystem;

  beforeAll(async () => {
    front = await startSystem({ db: 'postgres', service: 'intake,scoring' });
    back = await startSystem({ db: 'postgres', service: 'review,publication', partOf: front });
  });
  afterAll(async () => {
    await back?.close();
    await front?.close();
  });

  it('each process serves its own services only', async () => {
    const auditor = front.token('auditor', ['CN']);
    expect((await http('GET', `${front.url}/evaluations`, { token: auditor })).status).toBe(404);
    expect((await http('GET', `${back.url}/evaluations`, { token: auditor })).status).toBe(200);
    expect((await http('POST', `${back.url}/evaluations`, { token: auditor, json: {} })).status).toBe(404);
    expect((await http('GET', `${front.url}/health`)).status).toBe(200);
  });

  it('a document taken in by the first process is scored there, routed and published by the second', async () => {
    const seed = SEEDS.huoqiu;
    const res = await http('POST', `${front.url}/documents`, {
      token: front.token('submitter', [seed.region]),
      form: documentForm(seed.file),
    });
    expect(res.status, res.text).toBe(201);
    const auditor = back.token('auditor', ['CN']);
    for (const id of res.body.evaluationIds as string[]) {
      await waitFor(`${id} published`, async () => {
        const detail = await http('GET', `${back.url}/evaluations/${id}`, { token: auditor });
        return detail.body?.state === 'published';
      });
    }
    const page = await http('GET', `${back.url}/public/${seed.region}/${seed.year}.json`);
    expect(page.body.evaluations.map((e: { total: number }) => e.total).sort()).toEqual([100, 95.16]);
  });
});
