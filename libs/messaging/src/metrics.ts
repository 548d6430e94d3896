import { Counter, Gauge, Histogram, register, type Metric } from 'prom-client';

/**
 * Prometheus metrics, in prom-client's process-wide registry (`/metrics` serves it; see libs/runtime). A metric is
 * made once per process and found again by name: a module evaluated twice (tests load each file's modules afresh,
 * prom-client once) must not register it twice.
 */
function metric<M extends Metric>(name: string, make: () => M): M {
  return (register.getSingleMetric(name) as M | undefined) ?? make();
}

export const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
  metric(name, () => new Counter<L>({ name, help, labelNames }));

export const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
  metric(name, () => new Gauge<L>({ name, help, labelNames }));

export const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) =>
  metric(name, () => new Histogram<L>({ name, help, labelNames, buckets }));

/** Seconds, from a few milliseconds (an inbox transaction, an HTTP request) to tens of seconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** What the messaging layer counts: events handled by each inbox, its transactions, failed jobs, relayed events. */
export const messagingMetrics = {
  inboxEvents: () =>
    counter(
      'jixiao_inbox_events_total',
      'Events an inbox committed: handled, or a duplicate it had seen before (redelivered) and skipped',
      ['queue', 'event', 'outcome'],
    ),
  inboxTransactions: () =>
    histogram(
      'jixiao_inbox_transaction_seconds',
      "An inbox transaction's time, from its start to its commit (one per batch of events handled together)",
      ['queue'],
      LATENCY_BUCKETS,
    ),
  inboxEventDelay: () =>
    histogram(
      'jixiao_inbox_event_delay_seconds',
      "How long an event took from its producer's commit (its occurredAt) to the commit of the inbox transaction " +
        'that handled it: the relay, Redis, the queue and the handling together',
      ['queue'],
      LATENCY_BUCKETS,
    ),
  inboxFailedJobs: () =>
    counter(
      'jixiao_inbox_failed_jobs_total',
      'Inbox jobs that failed (final: refused for good, not retried; else BullMQ retries them)',
      ['queue', 'final'],
    ),
  outboxRelayed: () =>
    counter('jixiao_outbox_relayed_events_total', 'Outbox events relayed to their BullMQ queues', ['service']),
  outboxRelayFailures: () =>
    counter(
      'jixiao_outbox_relay_failures_total',
      'Relay passes that failed (Redis or the database away); their events stay unsent and are retried',
      ['service'],
    ),
};
