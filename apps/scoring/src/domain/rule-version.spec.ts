import { describe, expect, it } from 'vitest';
import { showYears, yearsLeft, type ActiveYears } from './rule-version';

const y = (from: number | null, to: number | null): ActiveYears => ({ from, to });

describe('yearsLeft: what an activation leaves of a previously active version', () => {
  it('leaves a version whose years do not overlap untouched', () => {
    expect(yearsLeft(y(null, 2023), y(2024, null))).toEqual({ kind: 'untouched' });
    expect(yearsLeft(y(2025, null), y(2021, 2024))).toEqual({ kind: 'untouched' });
    expect(yearsLeft(y(2020, 2020), y(2021, 2021))).toEqual({ kind: 'untouched' });
  });

  it('retires a version whose years the new ones cover', () => {
    expect(yearsLeft(y(null, null), y(null, null))).toEqual({ kind: 'retired' });
    expect(yearsLeft(y(2021, 2023), y(null, null))).toEqual({ kind: 'retired' });
    expect(yearsLeft(y(2021, 2023), y(2021, 2023))).toEqual({ kind: 'retired' });
    expect(yearsLeft(y(2024, null), y(2020, null))).toEqual({ kind: 'retired' });
    expect(yearsLeft(y(null, 2020), y(null, 2022))).toEqual({ kind: 'retired' });
  });

  it('narrows a version to the years left on one side', () => {
    expect(yearsLeft(y(null, null), y(2025, null))).toEqual({ kind: 'narrowed', years: y(null, 2024) });
    expect(yearsLeft(y(null, null), y(null, 2020))).toEqual({ kind: 'narrowed', years: y(2021, null) });
    expect(yearsLeft(y(2020, 2026), y(2024, 2030))).toEqual({ kind: 'narrowed', years: y(2020, 2023) });
    expect(yearsLeft(y(2020, 2026), y(2018, 2021))).toEqual({ kind: 'narrowed', years: y(2022, 2026) });
    expect(yearsLeft(y(2020, null), y(2020, 2024))).toEqual({ kind: 'narrowed', years: y(2025, null) });
    expect(yearsLeft(y(2020, 2021), y(2021, null))).toEqual({ kind: 'narrowed', years: y(2020, 2020) });
  });

  it('calls new years strictly inside a split (two ranges would be left)', () => {
    expect(yearsLeft(y(null, null), y(2024, 2025))).toEqual({
      kind: 'split',
      before: y(null, 2023),
      after: y(2026, null),
    });
    expect(yearsLeft(y(2020, 2026), y(2023, 2023))).toEqual({
      kind: 'split',
      before: y(2020, 2022),
      after: y(2024, 2026),
    });
  });

  it('shows years with open ends', () => {
    expect(showYears(y(null, 2024))).toBe('…–2024');
    expect(showYears(y(2025, null))).toBe('2025–…');
    expect(showYears(y(null, null))).toBe('all years');
  });
});
