import { describe, expect, it } from 'vitest';
import type { Finding } from '@jixiao/contracts';
import { findingKeys, followUp, pickFindings, UnknownFindings } from './return-findings';

const finding = (
  code: Finding['code'],
  subject: string | null,
  message: string,
  severity: Finding['severity'] = 'warning',
): Finding => ({
  code,
  severity,
  subject,
  message,
});

// 金水's department form: the execution score and the 预算执行率 indicator row both differ from the rule
const score = [
  finding('REPORTED_TOTAL_MISMATCH', null, '自评总分 96 与各项自评得分之和 91 不一致', 'error'),
  finding('SCORE_DIFFERS_FROM_RULE', '预算执行率', '预算执行率自评得分 9，按规则应为 9.71'),
  finding('SCORE_DIFFERS_FROM_RULE', '预算执行率', '“预算执行率”自评 1 分，按规则应得 2 分'),
  finding('MISSING_DEVIATION_REASON', '预算执行率', '未填写偏差原因'),
  finding('SUM_MISMATCH', '合计', '合计行得分 100 与各项得分之和 96 不一致', 'error'),
];

describe('findingKeys', () => {
  it('names a finding by code and subject, telling a second of the same apart', () => {
    expect(findingKeys(score)).toEqual([
      'REPORTED_TOTAL_MISMATCH',
      'SCORE_DIFFERS_FROM_RULE|预算执行率',
      'SCORE_DIFFERS_FROM_RULE|预算执行率#2',
      'MISSING_DEVIATION_REASON|预算执行率',
      'SUM_MISMATCH|合计',
    ]);
  });
});

describe('pickFindings', () => {
  it('picks the named findings in the score’s order, each once', () => {
    const picked = pickFindings(
      ['SUM_MISMATCH|合计', 'SCORE_DIFFERS_FROM_RULE|预算执行率#2', 'SUM_MISMATCH|合计'],
      score,
    );
    expect(picked).toEqual([
      { key: 'SCORE_DIFFERS_FROM_RULE|预算执行率#2', ...score[2] },
      { key: 'SUM_MISMATCH|合计', ...score[4] },
    ]);
  });

  it('refuses naming every key the score does not have', () => {
    let thrown: unknown;
    try {
      pickFindings(['SUM_MISMATCH|合计', 'SUM_MISMATCH|小计', 'WEIGHTS_NOT_100'], score);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UnknownFindings);
    expect((thrown as UnknownFindings).keys).toEqual(['SUM_MISMATCH|小计', 'WEIGHTS_NOT_100']);
  });
});

describe('followUp', () => {
  const named = pickFindings(
    ['REPORTED_TOTAL_MISMATCH', 'SCORE_DIFFERS_FROM_RULE|预算执行率#2', 'SUM_MISMATCH|合计'],
    score,
  );

  it('is unknown before the corrected version is scored', () => {
    expect(followUp(named, null).map((f) => f.status)).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('with only finding codes: resolved when the code is gone, else unknown', () => {
    expect(followUp(named, { codes: ['SCORE_DIFFERS_FROM_RULE'] }).map((f) => f.status)).toEqual([
      'resolved',
      'unknown',
      'resolved',
    ]);
  });

  it('remaining when a finding of the same code and subject is left, with what it says now; resolved otherwise', () => {
    const now = [finding('SUM_MISMATCH', '合计', '合计行得分 98 与各项得分之和 96 不一致', 'error')];
    expect(followUp(named, { findings: now }).map((f) => [f.key, f.status, f.now])).toEqual([
      ['REPORTED_TOTAL_MISMATCH', 'resolved', null],
      ['SCORE_DIFFERS_FROM_RULE|预算执行率#2', 'resolved', null],
      ['SUM_MISMATCH|合计', 'remaining', '合计行得分 98 与各项得分之和 96 不一致'],
    ]);
  });

  it('of two with one code and subject, one mended: the named one is matched by what it says, else not called resolved', () => {
    // the named row was mended, the execution score still differs: the key cannot tell which is left, so the named
    // one is not called resolved; `now` shows the reviewer what is left
    const rowMended = [score[1]];
    expect(followUp(named, { findings: rowMended })[1]).toMatchObject({ status: 'remaining', now: score[1].message });
    // what it says is the same as when named: that one is the named one (the other, unnamed, was mended)
    const scoreMended = [score[2]];
    expect(followUp(named, { findings: scoreMended })[1]).toMatchObject({ status: 'remaining', now: score[2].message });
    // both gone: resolved
    expect(followUp(named, { findings: [score[3]] })[1]).toMatchObject({ status: 'resolved' });
  });

  it('an exact match is kept for the finding that says it, not taken by an earlier one', () => {
    const two = pickFindings(['SCORE_DIFFERS_FROM_RULE|预算执行率', 'SCORE_DIFFERS_FROM_RULE|预算执行率#2'], score);
    const now = [score[2]]; // the second, word for word; the first was mended
    expect(followUp(two, { findings: now }).map((f) => f.status)).toEqual(['resolved', 'remaining']);
  });
});
