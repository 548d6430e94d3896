import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
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
