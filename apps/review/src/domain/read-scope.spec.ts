import { describe, expect, it } from 'vitest';
import { readScope, regionMatch } from './read-scope';

describe('readScope', () => {
  it('auditors read everything', () => {
    expect(readScope({ role: 'auditor', regions: ['130126'] })).toEqual({ kind: 'all' });
  });

  it('submitters read their own regions, and their unit when the token names one', () => {
    expect(readScope({ role: 'submitter', regions: ['130126'], unit: '灵寿县财政局' })).toEqual({
      kind: 'regions',
      match: { all: false, exact: ['130126'], prefixes: [] },
      unit: '灵寿县财政局',
    });
    expect(readScope({ role: 'submitter', regions: ['130000'] })).toMatchObject({
      match: { exact: ['130000'], prefixes: [] },
      unit: null,
    });
  });

  it('reviewers and rule admins read their regions and sub-regions', () => {
    expect(readScope({ role: 'reviewer', regions: ['130000', '410100', '640303'] })).toEqual({
      kind: 'regions',
      match: { all: false, exact: ['640303'], prefixes: ['13', '4101'] },
      unit: null,
    });
    expect(readScope({ role: 'rule_admin', regions: ['CN'] })).toEqual({
      kind: 'regions',
      match: { all: true },
      unit: null,
    });
  });

  it('regionMatch: a county is only itself', () => {
    expect(regionMatch(['130126'])).toEqual({ all: false, exact: ['130126'], prefixes: [] });
  });
});
