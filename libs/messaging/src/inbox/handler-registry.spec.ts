import { describe, expect, it } from 'vitest';
import { defineHandler, HandlerRegistry, type AnyHandlerDefinition } from './handler-registry';

const noop = async () => undefined;
const list = (...defs: AnyHandlerDefinition[]) => defs;

describe('HandlerRegistry', () => {
  it('accepts exactly the events routed to the queue', () => {
    const registry = new HandlerRegistry(
      'publication',
      list(defineHandler('review.evaluation.approved.v1', noop), defineHandler('review.evaluations.reopened.v1', noop)),
    );
    expect(() => registry.assertMatchesRouting('publication-inbox')).not.toThrow();
  });

  it('refuses start-up when a routed event has no handler, naming it', () => {
    const registry = new HandlerRegistry('scoring', list(defineHandler('intake.submission.received.v1', noop)));
    expect(() => registry.assertMatchesRouting('scoring-inbox')).toThrow(
      'scoring inbox scoring-inbox: no handler for scoring.ruleset.activated.v1 (routed to scoring-inbox)',
    );
  });

  it('refuses a second handler for the same event', () => {
    const registry = new HandlerRegistry('review');
    registry.register(defineHandler('scoring.evaluation.scored.v1', noop));
    expect(() => registry.register(defineHandler('scoring.evaluation.scored.v1', noop))).toThrow(
      /two handlers for scoring\.evaluation\.scored\.v1/,
    );
  });

  it('refuses a handler for an event the queue never receives', () => {
    const registry = new HandlerRegistry(
      'publication',
      list(defineHandler('review.evaluation.approved.v1', noop), defineHandler('scoring.evaluation.scored.v1', noop)),
    );
    expect(() => registry.assertMatchesRouting('publication-inbox')).toThrow(
      /scoring\.evaluation\.scored\.v1, which routing\.ts does not deliver/,
    );
  });
});
