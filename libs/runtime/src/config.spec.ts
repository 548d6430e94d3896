import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, ConfigSchema, loadConfig } from './config';

describe('loadConfig', () => {
  it('reads exactly the variables .env.example documents', () => {
    const example = readFileSync(join(__dirname, '../../../.env.example'), 'utf8');
    const documented = [...example.matchAll(/^#? ?([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual(Object.keys(ConfigSchema.shape).sort());
  });
  it('takes METRICS_TOKEN of at least 16 characters, or none', () => {
    expect(loadConfig({}).METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(16) }).METRICS_TOKEN).toBe('a'.repeat(16));
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN=.*at least 16 characters/);
  });
  it('never prints a secret or a password in its error', () => {
    const error = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        return (err as Error).message;
      }
      throw new Error('no error');
    };
    const secrets = error({ JWT_SECRET: 'hunter2-short', METRICS_TOKEN: 'tok-short' });
    expect(secrets).toContain('JWT_SECRET=(13 characters, not shown): use at least 16 characters');
    expect(secrets).toContain('METRICS_TOKEN=(9 characters, not shown)');
    expect(secrets).not.toMatch(/hunter2|tok-short/);
    const url = error({ DATABASE_URL: 'mysql://jixiao:s3cret@db:3306/jixiao', REDIS_URL: 'http://:pw@redis:6379' });
    expect(url).toContain('DATABASE_URL="mysql://jixiao:***@db:3306/jixiao": expected a postgres:// URL');
    expect(url).toContain('REDIS_URL="http://:***@redis:6379": expected a redis:// URL');
    expect(url).not.toMatch(/s3cret|pw@/);
  });
  it('gives the embedded defaults on an empty environment', () => {
    expect(loadConfig({})).toMatchObject({ PORT: 3000, DATA_DIR: 'var', SERVICE: 'all', QUEUE_PREFIX: 'jixiao', RESCORE_CONCURRENCY: 2, RESCORE_CHUNK_SIZE: 1000 });
  });
  it('takes SERVICE as all, one service, or a comma-separated list of them', () => {
    for (const service of ['all', 'scoring', 'intake,scoring', 'review,publication,intake'])
      expect(loadConfig({ SERVICE: service }).SERVICE).toBe(service);
    for (const service of ['intake,', 'intake,billing', 'all,intake', 'intake scoring'])
      expect(() => loadConfig({ SERVICE: service }), service).toThrow(/SERVICE=.*expected all, or one or more of/);
  });
  it('takes HEAP_GROWING_PERCENT from 0 (V8 decides) to 1000, 200 when unset', () => {
    expect(loadConfig({}).HEAP_GROWING_PERCENT).toBe(200);
    expect(loadConfig({ HEAP_GROWING_PERCENT: '0' }).HEAP_GROWING_PERCENT).toBe(0);
    for (const bad of ['-1', '1001', 'lots', '2.5'])
      expect(() => loadConfig({ HEAP_GROWING_PERCENT: bad }), bad).toThrow(/HEAP_GROWING_PERCENT=/);
  });
  it('takes SHUTDOWN_GRACE_MS from 0 (stop at once, the default) to two minutes', () => {
    expect(loadConfig({}).SHUTDOWN_GRACE_MS).toBe(0);
    expect(loadConfig({ SHUTDOWN_GRACE_MS: '5000' }).SHUTDOWN_GRACE_MS).toBe(5000);
    for (const bad of ['-1', '120001', 'soon'])
      expect(() => loadConfig({ SHUTDOWN_GRACE_MS: bad }), bad).toThrow(/SHUTDOWN_GRACE_MS=/);
  });
  it('names every bad variable', () => {
    const attempt = () => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', SERVICE: 'billing', RESCORE_CHUNK_SIZE: '0' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toContain('PORT="eighty"');
      expect(msg).toContain('DATABASE_URL="mysql://x": expected a postgres:// URL');
      expect(msg).toContain('SERVICE="billing"');
      expect(msg).toContain('RESCORE_CHUNK_SIZE="0"');
    }
  });
});
