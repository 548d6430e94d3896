import { describe, expect, it } from 'vitest';
import { EVENTS, parseEvent } from '@jixiao/contracts';
import { ReviewCase } from './review-case.entity';
import { ReviewDetail } from './review-detail.entity';
import { approvedPayload, routedPayload } from './review-events';

const example = EVENTS['scoring.evaluation.scored.v1'].example;

const approvedCase = () =>
  Object.assign(new ReviewCase(), {
    evaluationId: 'ev_1',
    submissionId: 'sub_1',
    version: 2,
    previousVersionId: 'ev_0',
    region: '341522',
    fiscalYear: 2023,
    formType: 'project',
    unitName: '霍邱县农业农村局',
    projectName: '高标准农田建设项目',
    state: 'approved',
    resultId: 'res_2',
    total: 92.5,
    grade: '优',
    executionRate: 0.98,
    findingErrors: 0,
    findingWarnings: 1,
    findingInfos: 0,
    findingCodes: ['MISSING_DEVIATION_REASON'],
    ruleSetId: 'CN',
    ruleSetVersion: 1,
    ruleSetHash: example.ruleSet.hash,
  });

const breakdown = {
  projectName: null,
  unitName: null,
  formType: 'project' as const,
  region: { code: '341522', name: '霍邱县' },
  fiscalYear: 2023,
  ruleSet: example.ruleSet,
  reported: { total: null, grade: null, executionScore: null },
  computed: {
    total: 92.5,
    grade: '优',
    execution: { rate: 0.98, score: 9.8, weight: 10, method: 'ratio' },
    sections: [],
    indicators: [],
  },
  findings: [],
  routing: { decision: 'auto-approve' as const, reasons: [] },
};

describe('review event payloads', () => {
  it('an approval carries what a disclosure shows, valid against the contract', () => {
    const detail = Object.assign(new ReviewDetail(), {
      evaluation: { formType: 'project' },
      resultId: 'res_2',
      scoreResult: breakdown,
    });
    const payload = approvedPayload(approvedCase(), detail, {
      automatic: false,
      actor: { user: 'r1', role: 'reviewer' },
      at: '2024-03-02T00:00:00.000Z',
      comment: '同意',
    });
    expect(() => parseEvent('review.evaluation.approved.v1', payload)).not.toThrow();
    expect(payload).toMatchObject({
      submissionVersion: 2,
      previousVersionId: 'ev_0',
      score: { resultId: 'res_2', ruleSet: { id: 'CN', version: 1 }, total: 92.5, grade: '优', executionRate: 0.98 },
      findings: { counts: { error: 0, warning: 1, info: 0 }, codes: ['MISSING_DEVIATION_REASON'] },
      comment: '同意',
      result: breakdown,
      evaluation: { formType: 'project' },
    });
  });

  it('never sends the breakdown of another score than the approved one', () => {
    const stale = Object.assign(new ReviewDetail(), { evaluation: null, resultId: 'res_1', scoreResult: breakdown });
    const payload = approvedPayload(approvedCase(), stale, {
      automatic: true,
      actor: { user: 'system', role: 'system' },
      at: '2024-03-02T00:00:00.000Z',
    });
    expect(payload.result).toBeUndefined();
    expect(payload.evaluation).toBeUndefined();
    expect(() => parseEvent('review.evaluation.approved.v1', payload)).not.toThrow();
  });

  it('a routing names the result that caused it', () => {
    const payload = routedPayload(approvedCase(), 'in-review', ['等级 优 → 良'], '2024-04-01T00:00:00.000Z');
    expect(parseEvent('review.evaluation.routed.v1', payload)).toEqual({
      evaluationId: 'ev_1',
      submissionVersion: 2,
      decision: 'in-review',
      reasons: ['等级 优 → 良'],
      resultId: 'res_2',
      routedAt: '2024-04-01T00:00:00.000Z',
    });
  });
});
