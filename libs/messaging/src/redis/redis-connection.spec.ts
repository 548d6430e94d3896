import { describe, expect, it } from 'vitest';
import { reconnectStrategy, redisOptions } from './redis-connection';

describe('redisOptions', () => {
  it('workers wait through reconnections; producers fail fast', () => {
    expect(redisOptions('redis://127.0.0.1:6379', 'worker').maxRetriesPerRequest).toBeNull();
    const producer = redisOptions('redis://127.0.0.1:6379', 'producer');
    expect(producer.enableOfflineQueue).toBe(false);
    expect(producer.commandTimeout).toBeGreaterThan(0);
  });

  it('parses a URL with credentials and database', () => {
    expect(redisOptions('redis://u%40x:p%3Aw@redis.local:6380/2', 'worker')).toMatchObject({
      host: 'redis.local',
      port: 6380,
      username: 'u@x',
      password: 'p:w',
      db: 2,
    });
    expect(() => redisOptions('http://x', 'worker')).toThrow(/redis:\/\//);
  });

  it('reconnects between 1 and 20 seconds apart', () => {
    expect(reconnectStrategy(1)).toBe(1000);
    expect(reconnectStrategy(8)).toBeGreaterThan(1000);
    expect(reconnectStrategy(100)).toBe(20000);
  });
});
