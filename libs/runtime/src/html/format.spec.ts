import { describe, expect, it } from 'vitest';
import { formatTime } from './format';

describe('formatTime', () => {
  it('shows an instant in Beijing time, the clock of the bureau, its units and a deadline day', () => {
    expect(formatTime('2024-03-01T08:00:02.000Z')).toBe('2024-03-01 16:00 北京时间');
    // 16:00 UTC is already the next day in Beijing
    expect(formatTime('2024-03-31T16:00:00.000Z')).toBe('2024-04-01 00:00 北京时间');
    expect(formatTime('2024-12-31T23:59:59Z')).toBe('2025-01-01 07:59 北京时间');
    // without an offset: UTC, whatever the server's zone
    expect(formatTime('2024-03-01T08:00:00')).toBe('2024-03-01 16:00 北京时间');
    expect(formatTime('2024-03-01T16:00:00+08:00')).toBe('2024-03-01 16:00 北京时间');
  });

  it('leaves what is not a timestamp as it is, and says — for none', () => {
    expect(formatTime(null)).toBe('—');
    expect(formatTime(undefined)).toBe('—');
    expect(formatTime('yesterday')).toBe('yesterday');
  });
});
