import { Injectable } from '@nestjs/common';
import type { HealthIndicatorFunction } from '@nestjs/terminus';

/** One service's health: `up` or `down`, with what was checked beside it (its database, Redis, queues …). */
export interface ServiceHealthStatus {
  status: 'up' | 'down';
}

/** How long /health waits for one service's check before reporting it down. */
const CHECK_TIMEOUT_MS = 3000;

/**
 * Each service in the process registers what /health should check (ServiceHealth: its database, Redis and queues);
 * the controller hands them to Terminus as one health indicator per service, keyed by the service's name.
 */
@Injectable()
export class HealthRegistry {
  private readonly checks = new Map<string, () => Promise<ServiceHealthStatus>>();

  register(name: string, check: () => Promise<ServiceHealthStatus>): void {
    if (this.checks.has(name)) throw new Error(`health check ${name} registered twice`);
    this.checks.set(name, check);
  }

  /** An indicator per service; a check that fails or takes too long reports its service down with the reason. */
  indicators(): HealthIndicatorFunction[] {
    return [...this.checks].map(([name, check]) => () => this.run(name, check));
  }

  /** Every service's check at once, keyed by service (for /metrics). */
  async reports(): Promise<Record<string, ServiceHealthStatus>> {
    const results = await Promise.all([...this.checks].map(([name, check]) => this.run(name, check)));
    return Object.assign({}, ...results) as Record<string, ServiceHealthStatus>;
  }

  private async run(name: string, check: () => Promise<ServiceHealthStatus>) {
    try {
      return { [name]: await withTimeout(check(), CHECK_TIMEOUT_MS) };
    } catch (err) {
      return { [name]: { status: 'down' as const, error: err instanceof Error ? err.message : String(err) } };
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((res, rej) => {
    const t = setTimeout(() => rej(new Error(`no answer within ${ms} ms`)), ms);
    p.then(
      (v) => (clearTimeout(t), res(v)),
      (e) => (clearTimeout(t), rej(e)),
    );
  });
}
