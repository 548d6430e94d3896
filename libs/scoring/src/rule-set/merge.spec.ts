import { describe, expect, it } from 'vitest';
import { mergeBodies, mergeByName, mergeValue } from './merge';

describe('mergeValue', () => {
  it('merges plain objects key by key, child winning', () => {
    expect(mergeValue({ a: 1, b: { c: 2, d: 3 } }, { b: { d: 4 }, e: 5 })).toEqual({ a: 1, b: { c: 2, d: 4 }, e: 5 });
  });

  it('replaces arrays and scalars wholesale', () => {
    expect(mergeValue({ xs: [1, 2, 3] }, { xs: [9] })).toEqual({ xs: [9] });
    expect(mergeValue({ a: { b: 1 } }, { a: null })).toEqual({ a: null });
  });

  it('replaces an object of another kind whole', () => {
    expect(mergeValue({ kind: 'linear', cap: true }, { kind: 'steps', steps: [] })).toEqual({
      kind: 'steps',
      steps: [],
    });
    expect(mergeValue({ kind: 'deduction', step: 0.05, points: 2 }, { kind: 'deduction', points: 1 })).toEqual({
      kind: 'deduction',
      step: 0.05,
      points: 1,
    });
  });

  it('does not alter its inputs', () => {
    const parent = { a: { b: 1 } };
    mergeValue(parent, { a: { b: 2 } });
    expect(parent).toEqual({ a: { b: 1 } });
  });
});

describe('mergeByName', () => {
  it('replaces same-named rules in place and appends new ones', () => {
    const merged = mergeByName(
      [
        { name: 'a', v: 1 },
        { name: 'b', v: 1 },
      ],
      [
        { name: 'c', v: 2 },
        { name: 'a', v: 2 },
      ],
    );
    expect(merged).toEqual([
      { name: 'a', v: 2 },
      { name: 'b', v: 1 },
      { name: 'c', v: 2 },
    ]);
  });
});

describe('mergeBodies', () => {
  it('walks from CN down, removing disabled checks and routing rules and the flag itself', () => {
    const body = mergeBodies([
      { id: 'CN', tolerance: 0.01, checks: [{ name: 'a' }, { name: 'b' }], routing: [{ name: 'r' }] },
      {
        id: '410000',
        checks: [
          { name: 'a', disabled: true },
          { name: 'c', disabled: false },
        ],
      },
      { id: '410100', tolerance: 0.1, routing: [{ name: 'r', disabled: true }] },
    ]);
    expect(body).toEqual({ tolerance: 0.1, checks: [{ name: 'b' }, { name: 'c' }], routing: [] });
  });

  it('keeps only the inheritable keys (identity stays with each file)', () => {
    expect(
      Object.keys(mergeBodies([{ id: 'CN', version: 3, source: { title: 't' }, rounding: { precision: 2 } }])),
    ).toEqual(['rounding']);
  });
});
