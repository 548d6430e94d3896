import { describe, expect, it } from 'vitest';
import { EVENTS, EVENT_NAMES, InvalidEventPayloadError, parseEvent, UnknownEventError } from './registry';
import { ROUTING, eventsRoutedTo } from '../routing';
import { INBOX_QUEUES } from '../queues';

describe('event registry', () => {
  it.each(EVENT_NAMES)('%s: its example is a valid payload', (name) => {
    expect(() => parseEvent(name, EVENTS[name].example)).not.toThrow();
  });

  it('names are versioned <producer>.<entity>.<past tense>.v<n>', () => {
    for (const name of EVENT_NAMES) expect(name).toMatch(/^(intake|scoring|review|publication)\.[a-z]+\.[a-z]+\.v\d+$/);
  });

  it('refuses a bad payload naming the event and the field', () => {
    const bad = { ...EVENTS['review.evaluation.returned.v1'].example, reason: '' };
    expect(() => parseEvent('review.evaluation.returned.v1', bad)).toThrow(InvalidEventPayloadError);
    expect(() => parseEvent('review.evaluation.returned.v1', bad)).toThrow(/review\.evaluation\.returned\.v1.*reason/);
  });

  it('refuses an unknown event name', () => {
    expect(() => parseEvent('nope.v1' as never, {})).toThrow(UnknownEventError);
  });

  it('routes every event, and every inbox queue receives something', () => {
    expect(Object.keys(ROUTING).sort()).toEqual([...EVENT_NAMES].sort());
    for (const queue of INBOX_QUEUES) expect(eventsRoutedTo(queue).length).toBeGreaterThan(0);
    expect(eventsRoutedTo('scoring-inbox')).toContain('intake.submission.received.v1');
  });
});
