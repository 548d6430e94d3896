import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from './support/http';
import { PrivateRedis } from './support/private-redis';
import { startSystem, type TestSystem, waitFor } from './support/system';

const golden = (name: string) => {
  const json = JSON.parse(readFileSync(join(__dirname, `../../rules/golden/${name}.input.json`), 'utf8'));
  return (json.evaluations ?? [json]) as Record<string, unknown>[];
};

/** Redis goes away for a few seconds while units keep submitting: nothing is lost, the flow completes after. */
describe('Redis outage (real redis-server stopped and started)', () => {
  let redis: PrivateRedis;
  let sys: TestSystem;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    sys = await startSystem({ db: 'postgres', redisUrl: redis.url });
  });
  afterAll(async () => {
    await sys?.close();
    await redis?.destroy();
  });

  it('accepts submissions while Redis is down and delivers every one of them once it is back', async () => {
    const token = sys.token('submitter', ['341522']);
    const huoqiu = golden('huoqiu-2022');
    const submit = async (i: number) => {
      const evaluation = { ...huoqiu[i % huoqiu.length], projectName: `断线测试项目 ${i}` };
      const res = await http('POST', `${sys.url}/evaluations`, { token, json: evaluation });
      expect(res.status, res.text).toBe(201);
      return res.body.evaluationIds[0] as string;
    };
    const ids = [await submit(0), await submit(1)];
    await redis.down();
    for (let i = 2; i < 8; i++) ids.push(await submit(i));
    await new Promise((r) => setTimeout(r, 3000));
    await redis.up();
    for (let i = 8; i < 10; i++) ids.push(await submit(i));

    await waitFor(
      'all ten published',
      async () => {
        const page = await http('GET', `${sys.url}/public/341522/2022.json`);
        return page.status === 200 && page.body.evaluations.length === ids.length;
      },
      90_000,
    );
    const page = await http('GET', `${sys.url}/public/341522/2022.json`);
    expect(new Set(page.body.evaluations.map((e: { evaluationId: string }) => e.evaluationId))).toEqual(new Set(ids));
    const verify = await http('GET', `${sys.url}/audit/verify`, { token: sys.token('auditor', ['CN']) });
    expect(verify.body.ok).toBe(true);
  });
});
