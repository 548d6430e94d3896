import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { deletePrefix, TEST_REDIS_URL, testPrefix } from '@jixiao/messaging/testing/test-redis';
import { startServices } from './run-services';
import { freePort } from './free-port';

const dir = mkdtempSync(join(tmpdir(), 'jixiao-shutdown-'));
const prefix = testPrefix();

const env = async (grace: number) => ({
  PORT: String(await freePort()),
  DATA_DIR: dir,
  REDIS_URL: TEST_REDIS_URL,
  QUEUE_PREFIX: prefix,
  JWT_SECRET: 'shutdown-test-secret-0123456789abcdef',
  LOG_LEVEL: 'silent',
  SHUTDOWN_GRACE_MS: String(grace),
});
const health = async (url: string) => {
  const res = await fetch(`${url}/health`);
  return { status: res.status, body: (await res.json()) as { status: string } };
};

describe('SIGTERM with SHUTDOWN_GRACE_MS', () => {
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await deletePrefix(prefix);
  });

  it('keeps serving for the grace period with /health answering 503 shutting_down, then stops', async () => {
    const system = await startServices([], { title: 'shutdown test', env: await env(1_500) });
    const { url } = system;
    expect(await health(url)).toEqual({ status: 200, body: expect.objectContaining({ status: 'ok' }) });
    const started = Date.now();
    const closed = system.close('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    expect(await health(url)).toEqual({ status: 503, body: expect.objectContaining({ status: 'shutting_down' }) });
    expect((await fetch(`${url}/health/live`)).status).toBe(503); // every health check says so: the process is leaving
    await closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('stops at once without it, or on another signal', async () => {
    for (const [grace, signal] of [
      [0, 'SIGTERM'],
      [1_500, 'SIGINT'],
    ] as const) {
      const system = await startServices([], { title: 'shutdown test', env: await env(grace) });
      const started = Date.now();
      await system.close(signal);
      expect(Date.now() - started).toBeLessThan(1_000);
    }
  });
});
