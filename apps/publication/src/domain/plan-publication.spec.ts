import { describe, expect, it } from 'vitest';
import { planPublication, type PublishedFigures } from './plan-publication';

const figures = (extra: Partial<PublishedFigures> = {}): PublishedFigures => ({
  total: 92.5,
  grade: '优',
  ruleSet: { id: 'CN', version: 1 },
  approvedAt: '2024-03-01T08:00:00.000Z',
  ...extra,
});
const later = '2024-04-01T08:00:00.000Z';

describe('planPublication', () => {
  it('publishes revision 1 when nothing was published', () => {
    expect(planPublication(null, figures())).toEqual({ kind: 'first' });
  });

  it('revises when the total or grade changed, saying what changed and under which rules', () => {
    const plan = planPublication(
      { ...figures(), status: 'published' },
      figures({ total: 88, grade: '良', ruleSet: { id: 'CN', version: 2 }, approvedAt: later }),
    );
    expect(plan).toEqual({ kind: 'revise', reason: '重新评分：总分 92.5 → 88；等级 优 → 良；规则集 CN v1 → CN v2' });
  });

  it('revises when only the total changed', () => {
    expect(planPublication({ ...figures(), status: 'published' }, figures({ total: 93, approvedAt: later })).kind).toBe('revise');
  });

  it('adds nothing when a later approval has the same total and grade', () => {
    expect(planPublication({ ...figures(), status: 'published' }, figures({ approvedAt: later }))).toEqual({ kind: 'unchanged' });
  });

  it('publishes again after a retraction, keeping the retraction in the reason', () => {
    expect(planPublication({ ...figures(), status: 'retracted' }, figures({ approvedAt: later }))).toEqual({
      kind: 'republish',
      reason: '撤回后重新审核通过',
    });
    const retraction = { at: '2024-03-20T00:00:00.000Z', reason: '数据有误' };
    expect(planPublication({ ...figures(), status: 'retracted', retraction }, figures({ total: 90, approvedAt: later }))).toEqual({
      kind: 'republish',
      reason: '撤回后重新审核通过（2024-03-20 撤回，理由：数据有误）；总分 92.5 → 90',
    });
  });

  it('ignores an approval older than the published one', () => {
    expect(planPublication({ ...figures({ approvedAt: later }), status: 'published' }, figures({ total: 50 })).kind).toBe('stale');
  });
});
