import { EVENTS, type EventPayload, type Finding, type ScoreResult } from '@jixiao/contracts';

/** Test payloads shaped like intake's and scoring's real events (validated by enqueueEvents against the contracts). */

export const REGION = '130126'; // 灵寿县, under 130100 (石家庄市) under 130000 (河北省)
export const UNIT = '灵寿县农业农村局';
const RULE_SET = { id: '130126', version: 1, hash: `sha256:${'b'.repeat(64)}` };

export function received(
  evaluationId: string,
  over: Partial<EventPayload<'intake.submission.received.v1'>> = {},
): EventPayload<'intake.submission.received.v1'> {
  const base = EVENTS['intake.submission.received.v1'].example;
  const region = over.region ?? REGION;
  const unitName = over.unitName === undefined ? UNIT : over.unitName;
  return {
    ...base,
    submissionId: `sub_${evaluationId}`,
    evaluationId,
    region,
    unitName,
    projectName: `项目 ${evaluationId}`,
    evaluation: { ...base.evaluation, region, unitName, projectName: `项目 ${evaluationId}` },
    actor: { user: 'u-lingshou', role: 'submitter' },
    receivedAt: '2024-03-01T08:00:00.000Z',
    ...over,
  };
}

export interface ScoreOptions {
  resultId?: string;
  total?: number;
  grade?: string;
  routing?: 'auto-approve' | 'manual-review';
  region?: string;
  scoredAt?: string;
  withResult?: boolean;
  submissionVersion?: number;
  /** The score's findings (default: one EXECUTION_RATE_MISMATCH when routed to a reviewer, none otherwise). */
  findings?: Finding[];
}

const EXECUTION_MISMATCH: Finding = {
  code: 'EXECUTION_RATE_MISMATCH',
  severity: 'error',
  subject: '预算执行率',
  expected: 0.98,
  reported: 1,
  message: '执行率与填报不一致',
};

export function scored(evaluationId: string, o: ScoreOptions = {}): EventPayload<'scoring.evaluation.scored.v1'> {
  const routing = o.routing ?? 'auto-approve';
  const reasons = routing === 'manual-review' ? ['EXECUTION_RATE_MISMATCH: 执行率与填报不一致'] : [];
  const total = o.total ?? 92.5;
  const grade = o.grade ?? '优';
  const region = o.region ?? REGION;
  const findings = o.findings ?? (routing === 'manual-review' ? [EXECUTION_MISMATCH] : []);
  const count = (severity: Finding['severity']) => findings.filter((f) => f.severity === severity).length;
  return {
    evaluationId,
    submissionId: `sub_${evaluationId}`,
    submissionVersion: o.submissionVersion ?? 1,
    region,
    fiscalYear: 2023,
    formType: 'project',
    resultId: o.resultId ?? `res_${evaluationId}_1`,
    ruleSet: RULE_SET,
    total,
    grade,
    execution: { rate: 0.98, score: 9.8 },
    findingCounts: { error: count('error'), warning: count('warning'), info: count('info') },
    findingCodes: [...new Set(findings.map((f) => f.code))],
    routing: { decision: routing, reasons },
    scoredAt: o.scoredAt ?? '2024-03-01T08:00:01.000Z',
    rescoringRunId: null,
    ...(o.withResult === false
      ? {}
      : { result: scoreResult(evaluationId, region, total, grade, { decision: routing, reasons }, findings) }),
  };
}

function scoreResult(
  evaluationId: string,
  region: string,
  total: number,
  grade: string,
  routing: ScoreResult['routing'],
  findings: Finding[],
): ScoreResult {
  return {
    projectName: `项目 ${evaluationId}`,
    unitName: UNIT,
    formType: 'project',
    region: { code: region, name: '灵寿县' },
    fiscalYear: 2023,
    ruleSet: RULE_SET,
    reported: { total: null, grade: null, executionScore: null },
    computed: {
      total,
      grade,
      execution: {
        rate: 0.98,
        score: 9.8,
        weight: 10,
        method: 'executed/adjusted',
        explanation: '执行率 98.00%，得 9.8 分',
      },
      sections: [{ key: 'output', label: '产出指标', weight: 50, rowWeight: 10, score: 10 }],
      indicators: [
        {
          name: '建设面积',
          level1: '产出指标',
          level2: '数量指标',
          section: 'output',
          weight: 10,
          reportedScore: null,
          score: 10,
          method: 'quantitative-positive',
          explanation: '实际 1.02万亩 ≥ 目标 1万亩，得满分 10 分',
        },
      ],
    },
    findings,
    routing,
  };
}

export function published(evaluationId: string, revision = 1): EventPayload<'publication.evaluation.published.v1'> {
  return {
    evaluationId,
    submissionVersion: 1,
    disclosureId: `disc_${evaluationId}`,
    revision,
    region: REGION,
    fiscalYear: 2023,
    path: `/public/evaluations/${evaluationId}`,
    publishedAt: '2024-03-01T08:00:03.000Z',
  };
}

export function retracted(evaluationId: string): EventPayload<'publication.evaluation.retracted.v1'> {
  return {
    evaluationId,
    disclosureId: `disc_${evaluationId}`,
    reason: '填报单位申请撤回',
    actor: { user: 'admin-130126', role: 'reviewer' },
    retractedAt: '2024-04-01T00:05:00.000Z',
  };
}
