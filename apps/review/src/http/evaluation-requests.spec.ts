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

  it('return needs a non-empty reason (trimmed)', () => {
    expect(parseReturnBody({ reason: '  请补充偏差原因 ' })).toBe('请补充偏差原因');
    for (const body of [undefined, null, {}, { reason: '' }, { reason: ' \n ' }, { reason: 3 }]) {
      expect(message(() => parseReturnBody(body))).toMatch(/reason/);
    }
  });

  it('approve takes an optional comment', () => {
    expect(parseApproveBody(undefined)).toBeNull();
    expect(parseApproveBody({})).toBeNull();
    expect(parseApproveBody({ comment: ' 已核实 ' })).toBe('已核实');
    expect(parseApproveBody({ comment: '' })).toBeNull();
    expect(message(() => parseApproveBody({ comment: 42 }))).toContain('body.comment');
  });
});
