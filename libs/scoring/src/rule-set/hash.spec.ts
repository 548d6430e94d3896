import { describe, expect, it } from 'vitest';
import { fixtureDir, VALID_DIR } from './__fixtures__/fixture-dir';
import { canonicalJson } from './hash';
import { loadRuleSets } from './load-rule-sets';

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, drops undefined members, no whitespace', () => {
    expect(canonicalJson({ b: [2, 1, { z: 1, a: undefined, y: 'é' }], a: null })).toBe(
      '{"a":null,"b":[2,1,{"y":"é","z":1}]}',
    );
  });
});

describe('rule set hash', () => {
  const hashOf = (dir: string, region: string, year: number | null = 2022) =>
    loadRuleSets(dir).resolve(region, year).hash;
  const base = hashOf(VALID_DIR, '410105');

  it('is sha256 of the content and stable across loads and key order', () => {
    expect(base).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(hashOf(VALID_DIR, '410105')).toBe(base);
    const reordered = fixtureDir((f) => {
      const cn = f['CN.json'];
      f['CN.json'] = Object.fromEntries(Object.entries(cn).reverse());
    });
    expect(hashOf(reordered, '410105')).toBe(base);
  });

  it('changes when an ancestor changes a parameter', () => {
    const changed = fixtureDir((f) => {
      f['CN.json'].tolerance = 0.02;
    });
    expect(hashOf(changed, '410105')).not.toBe(base);
  });

  it('ignores what does not affect scoring (source, version) but not the rules', () => {
    const meta = fixtureDir((f) => {
      f['CN.json'].source.title = 'another title';
      f['410105.json'].version = 4;
    });
    expect(hashOf(meta, '410105')).toBe(base);
    const reorderedBands = fixtureDir((f) => {
      f['CN.json'].grades.reverse();
    });
    expect(hashOf(reorderedBands, '410105')).not.toBe(base);
  });

  it('is the same when a default is written out or left implicit', () => {
    const explicit = fixtureDir((f) => {
      f['CN.json'].forms.department.execution.formula.cap = true;
    });
    expect(hashOf(explicit, '410105')).toBe(base);
  });

  it('differs between regions with different rules', () => {
    expect(hashOf(VALID_DIR, '130126')).not.toBe(hashOf(VALID_DIR, 'CN'));
  });
});
