import { describe, expect, it } from 'vitest';
import { codeHierarchy } from './region-code';

describe('codeHierarchy', () => {
  it('goes county → city → province → CN', () => {
    expect(codeHierarchy('410105')).toEqual(['410105', '410100', '410000', 'CN']);
    expect(codeHierarchy('410100')).toEqual(['410100', '410000', 'CN']);
    expect(codeHierarchy('410000')).toEqual(['410000', 'CN']);
    expect(codeHierarchy('CN')).toEqual(['CN']);
  });

  it('refuses anything else', () => {
    for (const bad of ['41010', '4101050', 'cn', '', '金水区'])
      expect(() => codeHierarchy(bad)).toThrow(/not a region code/);
  });
});
