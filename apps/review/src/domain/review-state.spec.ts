import { describe, expect, it } from 'vitest';
import { canTransition, nextState, REVIEW_STATES, TransitionRefused } from './review-state';

describe('review state machine', () => {
  it('follows the normal path to publication', () => {
    let s = nextState('submitted', 'score');
    s = nextState(s, 'route-to-review');
    expect(s).toBe('in_review');
    s = nextState(s, 'approve');
    expect(nextState(s, 'publish')).toBe('published');
  });
  it('auto-approves only a scored evaluation', () => {
    expect(nextState('scored', 'auto-approve')).toBe('approved');
    expect(() => nextState('in_review', 'auto-approve')).toThrow(TransitionRefused);
  });
  it('refuses reviewer actions outside in_review (a second reviewer gets a refusal)', () => {
    for (const s of REVIEW_STATES.filter((x) => x !== 'in_review')) {
      expect(canTransition(s, 'approve')).toBe(false);
      expect(canTransition(s, 'return')).toBe(false);
    }
  });
  it('sends a published evaluation back to review when re-scoring changes it', () => {
    expect(nextState('published', 'route-to-review')).toBe('in_review');
  });
  it('does not let a returned evaluation be published', () => {
    expect(() => nextState('returned', 'publish')).toThrow('cannot publish an evaluation that is returned');
  });
});
