import { describe, expect, it } from 'vitest';
import { disclosureRow, rescoredRevisions } from './__fixtures__/disclosure-row';
import type { DisclosureRow, EvaluationDisclosure } from '../domain/disclosure-view';
import { BOM } from './csv';
import { evaluationPage } from './evaluation-page';
import { notFoundPage } from './not-found-page';
import { regionYearCsv, regionYearJson, type RegionYear } from './region-data';
import { regionPage } from './region-page';

const SCRIPT = '<script>alert(1)</script>';

const row = disclosureRow;

const view = (rows: DisclosureRow[]): RegionYear => ({ region: '341522', regionName: '霍邱县', fiscalYear: 2023, rows });

describe('region page', () => {
  const rows = [
    row(),
    row({ evaluationId: 'ev_2', projectName: SCRIPT, total: 100, grade: '优', revision: 2 }),
    row({ evaluationId: 'ev_3', unitName: `"${SCRIPT}`, total: 70, grade: '中', status: 'retracted', retractionReason: SCRIPT }),
  ];
  const page = regionPage(view(rows), '').value;

  it('has the results table and the grade chart a browser test looks for', () => {
    expect(page).toContain('data-testid="results-table"');
    expect(page).toContain('data-testid="grade-chart"');
    expect(page).toContain('霍邱县（341522） 2023年度预算绩效自评结果');
  });

  it('shows total, grade, execution rate and 已发布 / 已修订 / 已撤回', () => {
    expect(page).toMatch(/<td class="num" data-field="total">95\.16<\/td>\s*<td data-field="grade">优<\/td>\s*<td class="num" data-field="execution-rate">51\.56%<\/td>/);
    expect(page).toContain('data-status="已发布"');
    expect(page).toContain('data-status="已修订"');
    expect(page).toContain('data-status="已撤回"');
  });

  it('counts only disclosures in force in the chart, with text labels', () => {
    expect(page).toContain('data-grade="优" data-count="2"');
    expect(page).not.toContain('data-grade="中"');
    expect(page).toContain('2 项（100%）');
  });

  it('escapes document text everywhere and contains no script of its own', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&quot;&lt;script&gt;');
  });

  it('loads nothing from elsewhere', () => {
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page).not.toMatch(/<link /);
  });
});

describe('JSON and CSV', () => {
  const v = view([row(), row({ evaluationId: 'ev_2', unitName: '=cmd|" /C calc"!A0', projectName: '项目,含逗号', revision: 3 })]);

  it('JSON carries the same figures, status and links', () => {
    const json = regionYearJson(v, 'https://example.gov.cn');
    expect(json.region).toEqual({ code: '341522', name: '霍邱县' });
    expect(json.evaluations[1]).toMatchObject({ revised: true, statusLabel: '已修订', url: 'https://example.gov.cn/public/evaluations/ev_2' });
    expect(json.gradeDistribution).toEqual([{ grade: '优', count: 2 }]);
  });

  it('CSV has a BOM, a header, quoted commas and neutralised formulas', () => {
    const csv = regionYearCsv(v);
    expect(csv.startsWith(`${BOM}评价编号,单位,项目,表类型,总分,等级,执行率,状态`)).toBe(true);
    const lines = csv.split('\r\n');
    expect(lines[1]).toBe('ev_1,霍邱县数据资源局,电子政务各项专项经费,项目支出,95.16,优,51.56%,已发布,0,2024-03-01 16:00 北京时间,');
    expect(lines[2]).toContain(`"'=cmd|"" /C calc""!A0","项目,含逗号"`);
    expect(lines[2]).toContain(',已修订,2,');
  });
});

describe('evaluation page', () => {
  const disclosure: EvaluationDisclosure = {
    replacedBy: null,
    disclosure: row({ revision: 2, status: 'retracted', retractedAt: '2024-04-02T00:00:00.000Z', retractionReason: `复核中 ${SCRIPT}`, total: 88, grade: '良' }),
    revisions: [1, 2].map((n) => ({
      revision: n,
      submissionId: 'sub_1',
      submissionVersion: 1,
      total: n === 1 ? 95.16 : 88,
      grade: n === 1 ? '优' : '良',
      executionRate: 0.5156,
      breakdown: {
        regionName: '霍邱县',
        execution: { rate: 0.5156, score: 5.16, weight: 10, explanation: '137 / 265.69 = 51.56%' },
        sections: [{ label: '产出指标', weight: 50, score: 50 }],
        indicators: [
          { level1: '产出指标', level2: '数量指标', name: SCRIPT, weight: 10, score: 9.5, reportedScore: 10, explanation: '实际 95% 低于目标 100%' },
        ],
        findings: { counts: { error: 0, warning: 1, info: 0 }, items: [{ code: 'SCORE_DIFFERS_FROM_RULE', severity: 'warning', subject: SCRIPT, message: '自评得分高于规则得分' }] },
      },
      ruleSet: { id: 'CN', version: n, hash: `sha256:${'a'.repeat(64)}` },
      reason: n === 1 ? null : '重新评分：总分 95.16 → 88；等级 优 → 良',
      automatic: n === 1,
      approvedAt: '2024-03-01T08:00:02.000Z',
      publishedAt: `2024-0${n + 2}-01T08:00:03.000Z`,
      rescoringRunId: null,
    })),
  };
  const page = evaluationPage(disclosure, '').value;

  it('shows the breakdown with weights, scores and explanations', () => {
    expect(page).toContain('data-testid="indicators-table"');
    expect(page).toContain('<td class="num">10</td><td class="num">9.5</td><td class="num">10</td><td>实际 95% 低于目标 100%</td>');
    expect(page).toContain('137 / 265.69 = 51.56%');
  });

  it('a retracted one replaced by a corrected version links to it', () => {
    expect(evaluationPage({ ...disclosure, replacedBy: 'ev_2' }, 'https://gk.example.gov.cn').value).toContain(
      '<a href="https://gk.example.gov.cn/public/evaluations/ev_2" data-testid="replaced-by">查看更正后公开的结果</a>',
    );
    expect(evaluationPage(disclosure, '').value).not.toContain('data-testid="replaced-by"');
  });

  it('shows the retraction with its reason, and the whole history newest first', () => {
    expect(page).toContain('data-testid="retraction"');
    expect(page).toContain('复核中 &lt;script&gt;');
    expect(page.indexOf('data-revision="2"')).toBeLessThan(page.indexOf('data-revision="1"'));
    expect(page).toContain('重新评分：总分 95.16 → 88；等级 优 → 良');
    expect(page).toContain('首次发布');
  });

  it('escapes the indicator name and finding subject', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page.match(/&lt;script&gt;alert\(1\)&lt;\/script&gt;/g)?.length).toBeGreaterThanOrEqual(3);
  });
});

describe('not-found page', () => {
  it('escapes what was asked for', () => {
    expect(notFoundPage(`没有 ${SCRIPT}`).value).not.toMatch(/<script/i);
  });
});

describe('a disclosure revised by a re-scoring run', () => {
  const run = `run_${SCRIPT}`;
  const revisions = rescoredRevisions(
    '130126',
    run,
    `重新评分（规则集 130126 第 2 版，重新评分批次 ${run}）：总分 87 → 84；等级 优 → 良；复核中`,
  );

  const disclosure = row({ revision: 2, total: 84, grade: '良', underReviewRunId: run });

  it('the evaluation page says it is under review again and keeps the earlier revision in the history', () => {
    const page = evaluationPage({ disclosure, revisions, replacedBy: null }, '').value;
    expect(page).toContain('data-testid="under-review"');
    expect(page).toContain('130126 第 2 版）重新评分');
    expect(page).toContain('data-revision="1"');
    expect(page).toContain('data-rescoring-run="run_&lt;script&gt;');
    expect(page).not.toMatch(/<script/i);
  });

  it('the results table marks it revised and under review; the JSON says so', () => {
    const page = regionPage(view([disclosure, row({ evaluationId: 'ev_2' })]), '').value;
    const cells = page.split('data-evaluation-id=').slice(1);
    expect(cells[0]).toContain('data-status="已修订"');
    expect(cells[0]).toContain('data-under-review="true"');
    expect(cells[1]).not.toContain('data-under-review');
    const json = regionYearJson(view([disclosure]), '');
    expect(json.evaluations[0]).toMatchObject({ revised: true, underReview: true, total: 84, grade: '良' });
  });
});
