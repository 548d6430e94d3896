import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@jixiao/auth';
import type { RunningSystem } from './run-services';
import { startBareRuntime } from './testing/bare-runtime';
import { sample } from './testing/prometheus-text';

const SECRET = 'metrics-test-secret-0123456789abcdef';

describe('GET /metrics', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startBareRuntime('metrics test', SECRET);
  });
  afterAll(async () => {
    await system?.close();
  });

  const scrape = async () => {
    const res = await fetch(`${system.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain;.*version=0\.0\.4/);
    return res.text();
  };

  it("needs no token and holds the process's own metrics", async () => {
    const text = await scrape();
    expect(sample(text, 'process_cpu_user_seconds_total', {})).toBeGreaterThan(0);
    expect(sample(text, 'process_resident_memory_bytes', {})).toBeGreaterThan(10 * 1024 * 1024);
    expect(sample(text, 'nodejs_heap_size_used_bytes', {})).toBeGreaterThan(0);
    expect(text).toContain('# TYPE nodejs_eventloop_lag_p99_seconds gauge');
  });

  it('times HTTP requests by method, matched route (not the URL) and status', async () => {
    const auditor = signToken({ sub: 'a', role: 'auditor', regions: ['CN'] }, SECRET);
    const count = async (labels: Record<string, string>) =>
      sample(await scrape(), 'jixiao_http_request_duration_seconds_count', labels) ?? 0;
    const before = {
      ok: await count({ method: 'GET', route: '/audit/verify', status_code: '200' }),
      refused: await count({ method: 'GET', route: '/audit/verify', status_code: '401' }),
      unmatched: await count({ method: 'GET', route: '(unmatched)', status_code: '404' }),
    };
    expect(
      (await fetch(`${system.url}/audit/verify`, { headers: { authorization: `Bearer ${auditor}` } })).status,
    ).toBe(200);
    expect((await fetch(`${system.url}/audit/verify?x=1`)).status).toBe(401);
    expect((await fetch(`${system.url}/audit/verify`)).status).toBe(401);
    expect((await fetch(`${system.url}/no/such/page/123`)).status).toBe(404);
    expect((await fetch(`${system.url}/queues/api/queues?token=bad`)).status).toBe(401);
    const text = await scrape();
    expect(
      sample(text, 'jixiao_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/audit/verify',
        status_code: '200',
      }),
    ).toBe(before.ok + 1);
    expect(
      sample(text, 'jixiao_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/audit/verify',
        status_code: '401',
      }),
    ).toBe(before.refused + 2);
    expect(
      sample(text, 'jixiao_http_request_duration_seconds_count', {
        method: 'GET',
        route: '(unmatched)',
        status_code: '404',
      }),
    ).toBe(before.unmatched + 1);
    expect(
      sample(text, 'jixiao_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/queues',
        status_code: '401',
      }),
    ).toBe(1);
    expect(text).not.toContain('/no/such/page'); // a URL never becomes a label value
    expect(text).not.toContain('/api/queues');
    expect(text).toContain(
      'jixiao_http_request_duration_seconds_bucket{le="0.005",method="GET",route="/audit/verify",status_code="200"}',
    );
  });
});
