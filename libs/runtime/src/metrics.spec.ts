import { describe, expect, it } from 'vitest';
import type { HealthRegistry } from './health.registry';
import { MetricsController } from './metrics';
import type { ServiceContext } from './service-context';
import { sample } from './testing/prometheus-text';

/** A HealthRegistry whose next report is whatever the test sets. */
function registryReporting() {
  const state: { reports: Record<string, unknown> } = { reports: {} };
  return { state, registry: { reports: async () => state.reports } as unknown as HealthRegistry };
}

async function scrape(controller: MetricsController): Promise<string> {
  let body = '';
  const res = { type: () => res, send: (text: string) => void (body = text) };
  await controller.metrics({ headers: {}, method: 'GET', originalUrl: '/metrics' } as never, res as never);
  return body;
}

describe('MetricsController: the figures of the health checks', () => {
  it('reports what a check read, and leaves out what it could not read instead of repeating an old figure', async () => {
    const { state, registry } = registryReporting();
    const controller = new MetricsController(registry, { config: {} } as ServiceContext);
    const up = {
      status: 'up',
      outbox: { unsent: 7, oldestUnsentSeconds: 12 },
      queues: { 'spec-inbox': { waiting: 3, failed: 1 } },
    };
    state.reports = { spec: up };
    let text = await scrape(controller);
    expect(sample(text, 'jixiao_service_up', { service: 'spec' })).toBe(1);
    expect(sample(text, 'jixiao_outbox_unsent_events', { service: 'spec' })).toBe(7);
    expect(sample(text, 'jixiao_outbox_oldest_unsent_seconds', { service: 'spec' })).toBe(12);
    expect(sample(text, 'jixiao_queue_jobs', { queue: 'spec-inbox', state: 'waiting' })).toBe(3);
    expect(sample(text, 'jixiao_queue_jobs', { queue: 'spec-inbox', state: 'failed' })).toBe(1);

    // the database and Redis down: the service is down, and its outbox and queue figures are a gap
    state.reports = { spec: { status: 'down' } };
    text = await scrape(controller);
    expect(sample(text, 'jixiao_service_up', { service: 'spec' })).toBe(0);
    expect(sample(text, 'jixiao_outbox_unsent_events', { service: 'spec' })).toBeUndefined();
    expect(sample(text, 'jixiao_outbox_oldest_unsent_seconds', { service: 'spec' })).toBeUndefined();
    expect(sample(text, 'jixiao_queue_jobs', { queue: 'spec-inbox', state: 'waiting' })).toBeUndefined();
    expect(sample(text, 'jixiao_queue_jobs', { queue: 'spec-inbox', state: 'failed' })).toBeUndefined();

    // back: the figures are back
    state.reports = { spec: { ...up, outbox: { unsent: 0, oldestUnsentSeconds: null } } };
    text = await scrape(controller);
    expect(sample(text, 'jixiao_service_up', { service: 'spec' })).toBe(1);
    expect(sample(text, 'jixiao_outbox_oldest_unsent_seconds', { service: 'spec' })).toBe(0);
    expect(sample(text, 'jixiao_queue_jobs', { queue: 'spec-inbox', state: 'waiting' })).toBe(3);
  });
});
