import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutageProxy } from '@jixiao/messaging/testing/test-redis';
import { http } from './support/http';
import { PG_URL, startSystem, type TestSystem, waitFor } from './support/system';

const golden = (name: string) => {
  const json = JSON.parse(readFileSync(join(__dirname, `../../rules/golden/${name}.input.json`), 'utf8'));
  return (json.evaluations ?? [json]) as Record<string, unknown>[];
};

/**
 * PostgreSQL out of reach (a TCP proxy in front of it cut, the server itself running) while units keep submitting and
 * work is in flight in every service: requests are refused with 503 and Retry-After, nothing crashes, and once it is
 * back every submission, the refused ones sent again, flows to publication exactly once.
 */
describe('PostgreSQL outage (the whole system on a proxied PostgreSQL)', () => {
  const pg = new URL(PG_URL);
  const proxy = new OutageProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
  let sys: TestSystem;

  beforeAll(async () => {
    await proxy.start();
    sys = await startSystem({ db: 'postgres', extraEnv: { DATABASE_URL: proxy.postgresUrl(PG_URL) } });
  });
  afterAll(async () => {
    await proxy.restore();
    await sys?.close();
    await proxy.cut();
  });

  it('refuses submissions with 503 while it is away and completes every flow once it is back', async () => {
    const token = sys.token('submitter', ['341522']);
    const huoqiu = golden('huoqiu-2022');
    const evaluation = (i: number) => ({ ...huoqiu[i % huoqiu.length], projectName: `断库测试项目 ${i}` });
    const submit = (i: number) => http('POST', `${sys.url}/evaluations`, { token, json: evaluation(i) });
    const ids: string[] = [];

    // a burst, then the cut while its events are still on their way through the services
    for (const res of await Promise.all([0, 1, 2, 3, 4, 5].map(submit))) {
      expect(res.status, res.text).toBe(201);
      ids.push(res.body.evaluationIds[0]);
    }
    // a reviewer signed in to the workspace before the cut
    const signIn = await fetch(`${sys.url}/session/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: sys.token('reviewer', ['341522']) }).toString(),
    });
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0];
    const worklist = await (await fetch(`${sys.url}/review`, { headers: { cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(worklist)![1];
    await proxy.cut();
    const refused = await submit(6);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(refused.body.message).toBe('the database does not answer: the request was not completed; try again in 5 s');
    expect((await http('GET', `${sys.url}/health`)).status).toBe(503);
    // a visitor's browser on a public page gets a page saying so, not JSON
    const visitor = await fetch(`${sys.url}/public/341522/2022`, { headers: { accept: 'text/html,*/*;q=0.8' } });
    expect(visitor.status).toBe(503);
    expect(visitor.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await visitor.text()).toContain('暂时无法访问');
    // and so does a reviewer's form posted from the workspace: the decision was not made
    const decision = await fetch(`${sys.url}/review/evaluations/${ids[0]}/approve`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,*/*;q=0.8', cookie },
      body: new URLSearchParams({ csrf, revision: '1' }).toString(),
    });
    expect(decision.status).toBe(503);
    expect(decision.headers.get('retry-after')).toBe('5');
    expect(await decision.text()).toContain('本次请求没有完成');
    await new Promise((r) => setTimeout(r, 6_000));
    await proxy.restore();

    // the unit sends the refused one again, and two more
    for (const i of [6, 7, 8]) {
      const res = await submit(i);
      expect(res.status, res.text).toBe(201);
      ids.push(res.body.evaluationIds[0]);
    }
    await waitFor(
      'all nine published',
      async () => {
        const page = await http('GET', `${sys.url}/public/341522/2022.json`);
        return page.status === 200 && page.body.evaluations.length === ids.length;
      },
      90_000,
    );
    const page = await http('GET', `${sys.url}/public/341522/2022.json`);
    expect(page.body.evaluations.map((e: { evaluationId: string }) => e.evaluationId).sort()).toEqual([...ids].sort());
    await waitFor('healthy again', async () => (await http('GET', `${sys.url}/health`)).status === 200, 30_000);
    const verify = await http('GET', `${sys.url}/audit/verify`, { token: sys.token('auditor', ['CN']) });
    expect(verify.body.ok).toBe(true);
  }, 150_000);
});
