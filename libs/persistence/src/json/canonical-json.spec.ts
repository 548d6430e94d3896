import { describe, expect, it } from 'vitest';
import { canonicalJson, hashJson, sha256 } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same bytes whatever order the object was built in', () => {
    const a = { region: '130126', indicators: [{ name: '执行率', weight: 10 }], total: 88.5 };
    const b = { total: 88.5, indicators: [{ weight: 10, name: '执行率' }], region: '130126' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(hashJson(a)).toBe(hashJson(b));
  });

  it('keeps array order, Chinese text and escapes as JSON does', () => {
    expect(canonicalJson(['优', 'a"b', '\n'])).toBe('["优","a\\"b","\\n"]');
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
  });

  it('writes dates through toJSON and undefined array items as null', () => {
    expect(canonicalJson({ at: new Date('2024-03-01T08:00:00Z'), xs: [undefined] })).toBe(
      '{"at":"2024-03-01T08:00:00.000Z","xs":[null]}',
    );
  });

  it('refuses values JSON cannot represent faithfully', () => {
    expect(() => canonicalJson({ total: Number.NaN })).toThrow(/\$\.total/);
    expect(() => canonicalJson({ n: 1n })).toThrow(/bigint/);
  });
});

describe('sha256', () => {
  it('is the prefixed hex digest', () => {
    expect(sha256('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashJson(null)).toBe(sha256('null'));
  });
});
