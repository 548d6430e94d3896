import { describe, expect, it } from 'vitest';
import { InvalidEvaluationError, parseEvaluations } from './parse-evaluations';

const ok = { formType: 'project', indicators: [{ name: 'a', weight: 10 }] };

describe('parseEvaluations', () => {
  it('accepts one evaluation or { evaluations: [ … ] }', () => {
    expect(parseEvaluations(ok, 'a.json')).toHaveLength(1);
    expect(parseEvaluations({ evaluations: [ok, ok] }, 'b.json')).toHaveLength(2);
  });

  it('names the file and the JSON path of a wrong type', () => {
    const bad = { evaluations: [ok, { formType: 'project', indicators: [{ name: 'a' }, { name: 'b' }, { name: 'c' }, { name: 'd', weight: '10' }] }] };
    expect(() => parseEvaluations(bad, 'forms.json')).toThrow(InvalidEvaluationError);
    try {
      parseEvaluations(bad, 'forms.json');
    } catch (e) {
      expect((e as Error).message).toContain('forms.json');
      expect((e as InvalidEvaluationError).issues).toEqual(['evaluations[1].indicators[3].weight: expected number, got string']);
    }
  });

  it('reports every problem, not only the first', () => {
    const bad = { formType: 'survey', region: '12345', indicators: [{ weight: 1 }] };
    const issues = (() => {
      try {
        parseEvaluations(bad, 'x.json');
        return [];
      } catch (e) {
        return (e as InvalidEvaluationError).issues;
      }
    })();
    expect(issues.some((i) => i.startsWith('formType:'))).toBe(true);
    expect(issues.some((i) => i.startsWith('region:') && i.includes('6-digit'))).toBe(true);
    expect(issues).toContain('indicators[0].name: expected string, got nothing');
  });

  it('refuses an empty list and things that are not objects', () => {
    expect(() => parseEvaluations({ evaluations: [] }, 'e.json')).toThrow(/evaluations: expected a non-empty array/);
    expect(() => parseEvaluations([ok], 'arr.json')).toThrow(/\(root\): expected an evaluation object/);
    expect(() => parseEvaluations('text', 's.json')).toThrow(InvalidEvaluationError);
  });
});
