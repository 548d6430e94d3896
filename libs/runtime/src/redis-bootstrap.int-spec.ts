import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureRedis, RedisUnavailableError, redisUrlFor } from './redis-bootstrap';

describe('ensureRedis (real redis-server)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-redis-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('uses the local Redis when it answers', async () => {
    const r = await ensureRedis({ dataDir: dir });
    expect(r).toMatchObject({ url: 'redis://127.0.0.1:6379', private: false });
  });

  it('starts a private noeviction redis-server when nothing answers, and stops it', async () => {
    expect(redisUrlFor({ dataDir: dir })).toBe('redis://127.0.0.1:6379');
    const r = await ensureRedis({ dataDir: dir, localUrl: 'redis://127.0.0.1:1' });
    expect(r.private).toBe(true);
    // the command line's tools find it through the data directory while it runs; REDIS_URL still wins
    expect(redisUrlFor({ dataDir: dir })).toBe(r.url);
    expect(redisUrlFor({ dataDir: dir, url: 'redis://elsewhere:6379' })).toBe('redis://elsewhere:6379');
    const client = new Redis(r.url);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    client.disconnect();
    await r.stop();
    expect(redisUrlFor({ dataDir: dir })).toBe('redis://127.0.0.1:6379');
    const after = new Redis(r.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    after.on('error', () => undefined);
    await expect(after.connect()).rejects.toThrow();
  });

  it('says clearly when REDIS_URL does not answer', async () => {
    await expect(ensureRedis({ dataDir: dir, url: 'redis://127.0.0.1:1' })).rejects.toThrow(RedisUnavailableError);
  });
});
