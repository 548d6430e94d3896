import { BadRequestException } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { parseApproveBody, parseListQuery, parseReturnBody } from './evaluation-requests';

const message = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(BadRequestException);
    return ((err as BadRequestException).getResponse() as { message: string }).message;
  }
  throw new Error('expected a 400');
};

describe('request parsing', () => {
  it('list query: defaults, coercion, and 400 naming each bad parameter', () => {
    expect(parseListQuery({})).toEqual({ page: 1, pageSize: 20 });
    expect(
      parseListQuery({ region: '130126', year: '2023', state: 'in_review', grade: '优', page: '2', pageSize: '50' }),
    ).toEqual({
      region: '130126',
      year: 2023,
      state: 'in_review',
      grade: '优',
      page: 2,
      pageSize: 50,
    });
    const m = message(() => parseListQuery({ year: 'x', state: 'done', pageSize: '101' }));
    expect(m).toContain('query.year');
    expect(m).toContain('query.state');
    expect(m).toContain('query.pageSize');
  });

  it('return needs a non-empty reason (trimmed); the revision decided on is optional', () => {
    expect(parseReturnBody({ reason: '  请补充偏差原因 ' })).toEqual({
      reason: '请补充偏差原因',
      findings: [],
      revision: null,
    });
    expect(parseReturnBody({ reason: '请补充', revision: 4 })).toEqual({ reason: '请补充', findings: [], revision: 4 });
    // findings named (each once): the reason may be left out
    expect(
      parseReturnBody({
        findings: ['SUM_MISMATCH|合计', 'WEIGHTS_NOT_100', 'SUM_MISMATCH|合计', 'SCORE_DIFFERS_FROM_RULE|x#2'],
      }),
    ).toEqual({
      reason: '',
      findings: ['SUM_MISMATCH|合计', 'WEIGHTS_NOT_100', 'SCORE_DIFFERS_FROM_RULE|x#2'],
      revision: null,
    });
    expect(message(() => parseReturnBody({ findings: [] }))).toMatch(/body\.reason/);
    expect(message(() => parseReturnBody({ reason: 'x', findings: ['sum mismatch'] }))).toContain('body.findings.0');
    expect(message(() => parseReturnBody({ reason: 'x', findings: 'WEIGHTS_NOT_100' }))).toContain('body.findings');
    for (const body of [undefined, null, {}, { reason: '' }, { reason: ' \n ' }, { reason: 3 }]) {
      expect(message(() => parseReturnBody(body))).toMatch(/reason/);
    }
    expect(message(() => parseReturnBody({ reason: 'x', revision: '4' }))).toContain('body.revision');
  });

  it('approve takes an optional comment and the revision decided on', () => {
    const none = { comment: null, revision: null };
    expect(parseApproveBody(undefined)).toEqual(none);
    expect(parseApproveBody({})).toEqual(none);
    expect(parseApproveBody({ comment: ' 已核实 ' })).toEqual({ comment: '已核实', revision: null });
    expect(parseApproveBody({ comment: '' })).toEqual(none);
    expect(parseApproveBody({ revision: 3 })).toEqual({ comment: null, revision: 3 });
    expect(message(() => parseApproveBody({ comment: 42 }))).toContain('body.comment');
    for (const revision of [0, 1.5, -2, 'x'])
      expect(message(() => parseApproveBody({ revision }))).toContain('body.revision');
  });
});
