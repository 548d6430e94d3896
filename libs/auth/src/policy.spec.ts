import { describe, expect, it } from 'vitest';
import { ForbiddenException } from '@nestjs/common';
import { refusal } from './nest/refusal';
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

describe('a refusal says why in English and in Chinese', () => {
  it('names the role, the regions and the unit', () => {
    const reviewer = { sub: 'r1', role: 'reviewer' as const, regions: ['130100', '130200'] };
    const submitter = { sub: 's1', role: 'submitter' as const, regions: ['130126'], unit: '灵寿县人民政府办公室' };
    expect(decide(reviewer, 'review', { region: '410105' })).toEqual({
      allowed: false,
      reason: 'reviewer for 130100,130200 may not act in region 410105',
      reasonZh: '本账号是地区 130100、130200 的审核人员，不能处理地区 410105 的事项',
    });
    expect(decide(submitter, 'submit', { region: '130126', unitName: '另一单位' })).toMatchObject({
      reasonZh: '本账号属于“灵寿县人民政府办公室”，不能为“另一单位”提交或查看',
    });
    expect(decide(submitter, 'submit', { region: '130100' })).toMatchObject({
      reasonZh: '本账号是地区 130126 的填报单位，不能为地区 130100 提交或查看',
    });
    expect(decide({ sub: 'a', role: 'auditor', regions: ['CN'] }, 'review')).toMatchObject({
      reason: 'role auditor may not review',
      reasonZh: '审计人员不能审核自评表',
    });
  });

  it("reaches the HTTP body beside Nest's own fields", () => {
    const refused = refusal(ForbiddenException, 'role auditor may not review', '审计人员不能审核自评表');
    expect(refused.getStatus()).toBe(403);
    expect(refused.getResponse()).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'role auditor may not review',
      messageZh: '审计人员不能审核自评表',
    });
  });
});

describe('tokens', () => {
  it('round-trips a principal and refuses a wrong secret', () => {
    const token = signToken({ sub: 'u', role: 'auditor', regions: ['CN'] }, 'secret-1');
    expect(verifyToken(token, 'secret-1')).toMatchObject({ sub: 'u', role: 'auditor', regions: ['CN'] });
    expect(() => verifyToken(token, 'secret-2')).toThrow(InvalidTokenError);
  });
});
