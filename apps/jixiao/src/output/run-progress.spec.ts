import { describe, expect, it } from 'vitest';
import { aRun } from '../server/__fixtures__/runs';
import { bar, duration, finalLine, progressLine } from './run-progress';

describe('progress line', () => {
  it('shows the bar, counts with separators, percent, rate and ETA', () => {
    expect(progressLine(aRun(), 10)).toBe('[######....] 12,000/20,000 60% 8,123/s ETA 1s · 130 changed');
  });

  it('says planning while the total is unknown, with an empty bar', () => {
    const line = progressLine(
      aRun({ status: 'planning', total: null, done: 0, changed: 0, ratePerSecond: null, etaSeconds: null }),
      10,
    );
    expect(line).toBe('[..........] 0/? planning… · 0 changed');
  });

  it('bars and durations stay in range', () => {
    expect(bar(30, 20, 4)).toBe('[####]');
    expect(bar(0, 0, 4)).toBe('[####]');
    expect(bar(0, null, 4)).toBe('[....]');
    expect([duration(45), duration(125), duration(3720)]).toEqual(['45s', '2m05s', '1h02m']);
  });

  it('final line: status, figures, duration; how to resume a failed run', () => {
    const done = aRun({ status: 'completed', done: 20000, rescored: 20000, finishedAt: '2026-11-22T06:00:13.500Z' });
    expect(finalLine(done)).toBe(
      'completed: impact run run-1 (130126 v4): 20,000/20,000 done, 20,000 rescored, 130 changed in 13s',
    );
    expect(finalLine(aRun({ status: 'failed', error: 'database gone' }))).toMatch(
      /^failed: .*database gone; 12,000\/20,000 done.*jixiao rescore resume run-1/,
    );
  });
});
