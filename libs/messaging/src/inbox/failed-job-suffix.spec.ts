import { describe, expect, it } from 'vitest';
import { failedJobSuffix } from './inbox-worker';

const envelope = (i: number, correlationId: string | null) => ({ id: `intake-${i}`, name: 'x', correlationId });

describe("a failed job's log line", () => {
  it('names its event and correlation id', () => {
    expect(failedJobSuffix(envelope(1, 'req-1'))).toBe(' [events intake-1; correlation ids req-1]');
    expect(failedJobSuffix(envelope(2, null))).toBe(' [events intake-2]');
  });

  it("names a batch's events and their distinct correlation ids, ten at most, and counts the rest", () => {
    const events = Array.from({ length: 12 }, (_, i) => envelope(i + 1, i < 11 ? `req-${i % 2}` : null));
    expect(failedJobSuffix({ events })).toBe(
      ' [events intake-1, intake-2, intake-3, intake-4, intake-5, intake-6, intake-7, intake-8, intake-9, intake-10 and 2 more; correlation ids req-0, req-1]',
    );
  });

  it('says nothing for data that is no envelope at all', () => {
    expect(failedJobSuffix(null)).toBe('');
    expect(failedJobSuffix('text')).toBe('');
    expect(failedJobSuffix({ events: [{ payload: 1 }] })).toBe('');
  });
});
