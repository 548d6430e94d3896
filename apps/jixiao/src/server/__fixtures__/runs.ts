import type { Run } from '../api-types';

/** A run in the shape `GET /rescoring-runs/:id` answers, with some members replaced. */
export function aRun(over: Partial<Run> = {}): Run {
  return {
    id: 'run-1',
    kind: 'impact',
    ruleSet: { id: '130126', version: 4 },
    status: 'running',
    total: 20000,
    done: 12000,
    rescored: 12000,
    changed: 130,
    chunks: { total: 20, done: 12 },
    ratePerSecond: 8123.4,
    etaSeconds: 0.98,
    createdAt: '2026-11-22T06:00:00.000Z',
    startedAt: '2026-11-22T06:00:01.000Z',
    finishedAt: null,
    error: null,
    report: null,
    ...over,
  };
}
