import { EVENTS, type EventPayload, type ScoreResult } from '@jixiao/contracts';

export type ApprovalPayload = EventPayload<'review.evaluation.approved.v1'>;

export interface ApprovalSpec {
  evaluationId: string;
  projectName?: string | null;
  unitName?: string | null;
  formType?: 'project' | 'department';
  total: number;
  grade: string;
  executionRate?: number;
  ruleSetVersion?: number;
  approvedAt?: string;
  indicatorName?: string;
  region?: string;
  regionName?: string;
  /** When scoring produced the result (the approval then carries it). */
  scoredAt?: string;
  /** A corrected version: the submission it belongs to (default its own) and its version there. */
  submissionId?: string;
  submissionVersion?: number;
}

/** An approval as review emits it, with the full score result (the breakdown publication shows). */
export function approval(spec: ApprovalSpec): ApprovalPayload {
  const base = EVENTS['review.evaluation.approved.v1'].example;
  const region = spec.region ?? '341522';
  const ruleSet = { id: 'CN', version: spec.ruleSetVersion ?? 1, hash: `sha256:${'a'.repeat(64)}` };
  const projectName = spec.projectName === undefined ? '高标准农田建设项目' : spec.projectName;
  const unitName = spec.unitName === undefined ? '霍邱县农业农村局' : spec.unitName;
  const formType = spec.formType ?? 'project';
  const rate = spec.executionRate ?? 0.98;
  const result: ScoreResult = {
    projectName,
    unitName,
    formType,
    region: { code: region, name: spec.regionName ?? '霍邱县' },
    fiscalYear: 2023,
    ruleSet,
    reported: { total: spec.total, grade: spec.grade, executionScore: 10 },
    computed: {
      total: spec.total,
      grade: spec.grade,
      execution: { rate, score: Math.min(10, rate * 10), weight: 10, method: 'rate-times-weight', explanation: `执行率 ${(rate * 100).toFixed(2)}% × 10` },
      sections: [{ key: 'output', label: '产出指标', weight: 50, rowWeight: 50, score: 48 }],
      indicators: [
        {
          name: spec.indicatorName ?? '建设面积',
          level1: '产出指标',
          level2: '数量指标',
          section: 'output',
          weight: 20,
          reportedScore: 20,
          score: 18.5,
          method: 'quantitative-positive',
          explanation: '实际 0.925万亩 低于目标 1万亩：0.925 ÷ 1 × 20 = 18.5',
        },
      ],
    },
    findings: [{ code: 'SCORE_DIFFERS_FROM_RULE', severity: 'warning', subject: '建设面积', message: '自评 20 分，按规则应得 18.5 分' }],
    routing: { decision: 'auto-approve', reasons: [] },
  };
  return {
    ...base,
    evaluationId: spec.evaluationId,
    submissionId: spec.submissionId ?? `sub_${spec.evaluationId}`,
    ...(spec.submissionVersion ? { submissionVersion: spec.submissionVersion } : {}),
    region,
    formType,
    unitName,
    projectName,
    score: {
      resultId: `res_${spec.evaluationId}_${ruleSet.version}`,
      ruleSet,
      total: spec.total,
      grade: spec.grade,
      executionRate: rate,
      ...(spec.scoredAt ? { scoredAt: spec.scoredAt } : {}),
    },
    approvedAt: spec.approvedAt ?? '2024-03-01T08:00:02.000Z',
    result,
  };
}

/** A small RFC 4180 reader for checking what the CSV endpoint wrote (quoted fields, doubled quotes, CRLF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endRow = () => {
    row.push(cell);
    rows.push(row);
    row = [];
    cell = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      endRow();
      i++;
    } else cell += c;
  }
  if (cell || row.length) endRow();
  return rows;
}

/** The text of each cell of each `<tr data-evaluation-id>` row of the results table, keyed by evaluation id. */
export function tableRows(page: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const m of page.matchAll(/<tr data-evaluation-id="([^"]+)">([\s\S]*?)<\/tr>/g)) {
    const cells = [...m[2].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => unescape(c[1].replace(/<[^>]+>/g, '').trim()));
    rows.set(m[1], cells);
  }
  return rows;
}

function unescape(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&#96;/g, '`').replace(/&amp;/g, '&');
}

/**
 * What review passes on of one chunk of re-scoring run `run_pub` (rule set 341522 v2): the evaluations it changed,
 * each with the breakdown review recomputed.
 */
export function reopenedChunk(
  items: Array<{ evaluationId: string; total: number; grade: string; resultId?: string }>,
  run: { runId?: string; scoredAt?: string } = {},
): EventPayload<'review.evaluations.reopened.v1'> {
  const ruleSet = { id: '341522', version: 2, hash: `sha256:${'d'.repeat(64)}` };
  const scoredAt = run.scoredAt ?? '2024-04-01T00:00:05.000Z';
  const runId = run.runId ?? 'run_pub';
  return {
    runId,
    chunk: 0,
    activated: { ruleSetId: '341522', version: 2 },
    items: items.map((i) => {
      const a = approval({ evaluationId: i.evaluationId, total: i.total, grade: i.grade });
      return {
        evaluationId: i.evaluationId,
        submissionId: a.submissionId,
        submissionVersion: 1,
        region: a.region,
        fiscalYear: 2023,
        formType: a.formType,
        resultId: i.resultId ?? `res_${i.evaluationId}_${runId}`,
        ruleSet,
        total: i.total,
        grade: i.grade,
        execution: { rate: 0.98, score: 9.8 },
        findingCounts: { error: 0, warning: 1, info: 0 },
        findingCodes: ['SCORE_DIFFERS_FROM_RULE'],
        routing: { decision: 'auto-approve' as const, reasons: [] },
        scoredAt,
        rescoringRunId: runId,
        result: { ...a.result!, ruleSet },
      };
    }),
  };
}
