import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@jixiao/auth';
import type { RunningSystem } from './run-services';
import { startBareRuntime } from './testing/bare-runtime';
import { RecordingLogger } from './testing/recording-logger';
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

describe('GET /metrics with METRICS_TOKEN set', () => {
  const METRICS_TOKEN = 'scrape-token-0123456789abcdef';
  let system: RunningSystem;
  const logger = new RecordingLogger();

  beforeAll(async () => {
    system = await startBareRuntime('metrics token test', SECRET, { METRICS_TOKEN });
    system.app.useLogger(logger);
  });
  afterAll(async () => {
    await system?.close();
  });

  const scrape = (authorization?: string) =>
    fetch(`${system.url}/metrics`, { headers: authorization ? { authorization } : {} });

  it('answers a scrape with the token, refuses one without it or with another (401, logged, no token in the log)', async () => {
    const ok = await scrape(`Bearer ${METRICS_TOKEN}`);
    expect(ok.status).toBe(200);
    expect(sample(await ok.text(), 'process_cpu_user_seconds_total', {})).toBeGreaterThan(0);

    const none = await scrape();
    expect(none.status).toBe(401);
    expect(((await none.json()) as { message: string }).message).toBe(
      'missing bearer token: /metrics needs Authorization: Bearer <METRICS_TOKEN>',
    );
    const wrong = await scrape(`Bearer ${METRICS_TOKEN}x`);
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { message: string }).message).toMatch(/^wrong metrics token/);
    // a user's JWT is not the scrape token
    const jwt = signToken({ sub: 'a', role: 'auditor', regions: ['CN'] }, SECRET);
    expect((await scrape(`Bearer ${jwt}`)).status).toBe(401);

    const refusals = logger.lines.filter((l) => l.context === 'Metrics');
    expect(refusals.map((l) => [l.level, l.message])).toEqual([
      ['warn', { msg: 'refused: authentication', reason: 'missing bearer token', method: 'GET', url: '/metrics' }],
      ['warn', { msg: 'refused: authentication', reason: 'wrong metrics token', method: 'GET', url: '/metrics' }],
      ['warn', { msg: 'refused: authentication', reason: 'wrong metrics token', method: 'GET', url: '/metrics' }],
    ]);
    expect(JSON.stringify(logger.lines)).not.toContain(METRICS_TOKEN);
    // /health stays open: a load balancer's check has no token
    expect((await fetch(`${system.url}/health/live`)).status).toBe(200);
  });
});
