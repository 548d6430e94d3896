import { describe, expect, it } from 'vitest';
import { InvalidEvaluationInputError, jsonPath, parseEvaluationInput } from './evaluation-input';

const ev = { formType: 'project', region: '341522', fiscalYear: 2022, indicators: [{ name: '建设面积', weight: 10 }] };

function problems(body: unknown): string[] {
  try {
    parseEvaluationInput(body);
  } catch (err) {
    if (err instanceof InvalidEvaluationInputError) return err.problems;
    throw err;
  }
  throw new Error('accepted');
}

describe('parseEvaluationInput', () => {
  it('takes one evaluation or a list, with an optional previousVersionId', () => {
    expect(parseEvaluationInput(ev)).toMatchObject({ evaluations: [{ region: '341522' }], previousVersionId: null });
    expect(parseEvaluationInput({ ...ev, previousVersionId: 'ev_1' })).toMatchObject({ previousVersionId: 'ev_1' });
    expect(parseEvaluationInput({ ...ev, previousVersionId: 'ev_1' }).evaluations[0]).not.toHaveProperty(
      'previousVersionId',
    );
    expect(parseEvaluationInput({ evaluations: [ev, ev] }).evaluations).toHaveLength(2);
  });

  it('names the JSON path of each problem', () => {
    expect(problems({ evaluations: [ev, { ...ev, indicators: [{ name: 'x', weight: 'ten' }] }] })).toEqual([
      expect.stringMatching(/^\$\.evaluations\[1\]\.indicators\[0\]\.weight: /),
    ]);
    expect(problems({ ...ev, region: 'Hebei' })).toEqual([
      expect.stringMatching(/^\$\.region: region must be a 6-digit/),
    ]);
    expect(problems({ evaluations: [] })[0]).toMatch(/^\$\.evaluations: /);
  });

  it('refuses what is not an object', () => {
    expect(problems([ev])).toEqual([expect.stringMatching(/^\$: expected a JSON object/)]);
    expect(problems('x')).toHaveLength(1);
  });

  it('writes paths the way people read them', () => {
    expect(jsonPath(['evaluations', 0, 'funds', 'executed'])).toBe('$.evaluations[0].funds.executed');
    expect(jsonPath([])).toBe('$');
  });
});
