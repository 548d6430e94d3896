import { beforeAll, describe, expect, it } from 'vitest';
import { OutageProxy } from '@jixiao/messaging/testing/test-redis';
import { PG_URL } from '../../bench/support/rescore-cluster';
import { comparable, type RescoreOutcome, rescoreOutcome } from './support/rescore-outcome';
import { VolatileRedis } from './support/rescore-redis';

/**
 * Bulk re-scoring of 20,000 evaluations by two scoring processes (spawned, on PostgreSQL and a real Redis) while
 * things go wrong: what the run leaves must be exactly what the same run leaves when nothing goes wrong.
 */
const COUNT = 20_000;

/** Part-way: some chunks committed, most not. */
const midRun = (s: { status: string; done: number; total: number | null }) =>
  s.status === 'running' && s.total !== null && s.done >= s.total * 0.15 && s.done <= s.total * 0.7;

describe('bulk re-scoring under faults (spawned scoring processes, real Redis and PostgreSQL)', () => {
  let clean: RescoreOutcome;

  beforeAll(async () => {
    clean = await rescoreOutcome({ label: 'e2e_rescore_clean', count: COUNT });
  }, 240_000);

  it('a clean run re-scores every evaluation once, with an audit record each and every item in a rescored event', () => {
    expect(clean.seedMismatches, 'the seed scored under the rule sets the service has active').toEqual([]);
    expect(clean.results).toBe(COUNT);
    expect(clean.rescored).toBe(COUNT);
    expect(clean.evaluationAudit).toEqual({ records: COUNT, evaluations: COUNT });
    expect(clean.eventItems).toEqual({ items: COUNT, distinct: COUNT });
    expect(clean.currentFromRun).toBe(COUNT);
    // the 优 cutoff moved: some grades changed, not all
    expect(clean.changedGrades).toBeGreaterThan(COUNT * 0.01);
    expect(clean.changedGrades).toBeLessThan(COUNT * 0.5);
    expect(clean.changed).toBeGreaterThanOrEqual(clean.changedGrades);
  });

  it('a scoring process killed with SIGKILL mid-run, a new one started: the run completes with exactly the clean run’s results, audit records and events', async () => {
    const crashed = await rescoreOutcome({
      label: 'e2e_rescore_kill',
      count: COUNT,
      disturbance: {
        during: async (cluster, s) => {
          if (!midRun(s)) return false;
          await cluster.kill9(cluster.workers[0]);
          await cluster.add();
          return true;
        },
      },
    });
    expect(crashed.disturbed, 'the run ended before a process could be killed part-way').toBe(true);
    expect(comparable(crashed)).toEqual(comparable(clean));
  }, 240_000);

  it('Redis restarted mid-run with its queues lost: the run completes with nothing lost or doubled', async () => {
    const redis = await VolatileRedis.start();
    try {
      const restarted = await rescoreOutcome({
        label: 'e2e_rescore_redis',
        count: COUNT,
        redisUrl: redis.url,
        disturbance: {
          during: async (_cluster, s) => {
            if (!midRun(s)) return false;
            await redis.down();
            await new Promise((r) => setTimeout(r, 2_000));
            await redis.up();
            return true;
          },
        },
      });
      expect(restarted.disturbed, 'the run ended before Redis could be restarted part-way').toBe(true);
      expect(comparable(restarted)).toEqual(comparable(clean));
    } finally {
      await redis.down();
    }
  }, 240_000);

  it('PostgreSQL out of reach mid-run for longer than a chunk’s retries: the run waits it out and completes with exactly the clean run’s outputs', async () => {
    const pg = new URL(PG_URL);
    const proxy = new OutageProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
    await proxy.start();
    try {
      const waited = await rescoreOutcome({
        label: 'e2e_rescore_pg',
        count: COUNT,
        databaseUrl: proxy.postgresUrl(PG_URL),
        disturbance: {
          during: async (_cluster, s) => {
            if (!midRun(s)) return false;
            await proxy.cut();
            // a chunk job has 6 attempts 0.5, 1, 2, 4 and 8 s apart: 15.5 s would fail it, and with it the run
            await new Promise((r) => setTimeout(r, 18_000));
            await proxy.restore();
            return true;
          },
        },
      });
      expect(waited.disturbed, 'the run ended before PostgreSQL could be cut off part-way').toBe(true);
      expect(comparable(waited)).toEqual(comparable(clean));
    } finally {
      await proxy.cut();
    }
  }, 240_000);
});
