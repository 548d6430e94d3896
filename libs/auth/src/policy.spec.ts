import { describe, expect, it } from 'vitest';
import { decide } from './policy';
import { regionCovers } from './region-scope';
import { signToken, verifyToken, InvalidTokenError } from './tokens';

describe('regionCovers', () => {
  it('nests county in city in province in CN', () => {
    expect(regionCovers('130126', '130126')).toBe(true);
    expect(regionCovers('130100', '130126')).toBe(true);
    expect(regionCovers('130000', '130126')).toBe(true);
    expect(regionCovers('CN', '130126')).toBe(true);
    expect(regionCovers('130100', '130226')).toBe(false);
    expect(regionCovers('130126', '130100')).toBe(false);
    expect(regionCovers('410105', 'CN')).toBe(false);
  });
});

describe('decide', () => {
  const reviewer = { sub: 'r1', role: 'reviewer' as const, regions: ['130100'] };
  const submitter = { sub: 's1', role: 'submitter' as const, regions: ['130126'], unit: '灵寿县人民政府办公室' };
  it('lets a reviewer act in sub-regions only', () => {
    expect(decide(reviewer, 'review', { region: '130126' }).allowed).toBe(true);
    expect(decide(reviewer, 'review', { region: '410105' }).allowed).toBe(false);
  });
  it('keeps a submitter to its own unit and region', () => {
    expect(decide(submitter, 'submit', { region: '130126', unitName: '灵寿县人民政府办公室' }).allowed).toBe(true);
    expect(decide(submitter, 'submit', { region: '130126', unitName: '另一单位' }).allowed).toBe(false);
    expect(decide(submitter, 'submit', { region: '130100', unitName: '灵寿县人民政府办公室' }).allowed).toBe(false);
    expect(decide(submitter, 'review', { region: '130126' }).allowed).toBe(false);
  });
  it('lets an auditor read everything and change nothing', () => {
    const auditor = { sub: 'a', role: 'auditor' as const, regions: ['CN'] };
    expect(decide(auditor, 'read', { region: '410105' }).allowed).toBe(true);
    expect(decide(auditor, 'review', { region: '410105' }).allowed).toBe(false);
    expect(decide(auditor, 'submit', { region: '410105' }).allowed).toBe(false);
  });
});

describe('tokens', () => {
  it('round-trips a principal and refuses a wrong secret', () => {
    const token = signToken({ sub: 'u', role: 'auditor', regions: ['CN'] }, 'secret-1');
    expect(verifyToken(token, 'secret-1')).toMatchObject({ sub: 'u', role: 'auditor', regions: ['CN'] });
    expect(() => verifyToken(token, 'secret-2')).toThrow(InvalidTokenError);
  });
});
