import { describe, expect, it } from 'vitest';
import { planScore, type ScoreFacts } from './score-plan';

const score = (over: Partial<ScoreFacts> = {}): ScoreFacts => ({
  resultId: 'res_1',
  scoredAt: '2024-03-01T08:00:00.000Z',
  total: 92.5,
  grade: '优',
  routing: 'auto-approve',
  ...over,
});

describe('planScore', () => {
  it('routes a first score by its decision', () => {
    expect(planScore('submitted', null, score())).toEqual({ kind: 'route', actions: ['score', 'auto-approve'] });
    expect(planScore('submitted', null, score({ routing: 'manual-review' }))).toEqual({
      kind: 'route',
      actions: ['score', 'route-to-review'],
    });
  });

  it('ignores the same result twice and a result older than the one held', () => {
    expect(planScore('in_review', score(), score()).kind).toBe('ignore');
    const older = score({ resultId: 'res_0', scoredAt: '2024-02-01T00:00:00.000Z' });
    expect(planScore('approved', score(), older)).toMatchObject({ kind: 'ignore', reason: /早于已记录的 res_1/ });
  });

  it('re-routes a case still waiting for a reviewer', () => {
    const next = score({ resultId: 'res_2', scoredAt: '2024-04-01T00:00:00.000Z' });
    expect(planScore('in_review', score({ routing: 'manual-review' }), next)).toEqual({
      kind: 'route',
      actions: ['score', 'auto-approve'],
    });
  });

  it('sends an approved or published case back to review when grade, total or routing changed', () => {
    const next = score({ resultId: 'res_2', scoredAt: '2024-04-01T00:00:00.000Z', total: 88, grade: '良' });
    expect(planScore('published', score(), next)).toEqual({
      kind: 'reopen',
      changes: ['等级 优 → 良', '总分 92.5 → 88'],
    });
    const rerouted = score({ resultId: 'res_3', scoredAt: '2024-04-01T00:00:00.000Z', routing: 'manual-review' });
    expect(planScore('approved', score(), rerouted)).toEqual({
      kind: 'reopen',
      changes: ['审核路由 自动通过 → 人工审核'],
    });
  });

  it('keeps an approved or published case when the outcome is the same', () => {
    const same = score({ resultId: 'res_2', scoredAt: '2024-04-01T00:00:00.000Z' });
    expect(planScore('published', score(), same)).toEqual({ kind: 'record', changes: [] });
    expect(planScore('approved', score(), same)).toEqual({ kind: 'record', changes: [] });
  });

  it('only records a score for a returned or retracted case', () => {
    const next = score({ resultId: 'res_2', scoredAt: '2024-04-01T00:00:00.000Z', grade: '良' });
    expect(planScore('returned', score(), next)).toEqual({ kind: 'record', changes: ['等级 优 → 良'] });
    expect(planScore('retracted', score(), next).kind).toBe('record');
  });
});
