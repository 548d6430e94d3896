import { describe, expect, it } from 'vitest';
import type { Principal } from '@jixiao/auth';
import type { Viewer } from '@jixiao/runtime/workspace';
import { indexPage, ruleSetPage, runPage, type RunView, type VersionView } from './rules-pages';

const as = (role: Principal['role']): Viewer => ({
  principal: { sub: 'li', role, regions: ['130126'] },
  csrf: 'form-token',
});

function run(over: Partial<RunView> = {}): RunView {
  return {
    id: 'run_1',
    kind: 'impact',
    ruleSet: { id: '130126', version: 2 },
    status: 'running',
    total: 200,
    done: 50,
    rescored: 50,
    changed: 3,
    chunks: { total: 2, done: 0 },
    ratePerSecond: 25,
    etaSeconds: 6,
    createdAt: '2026-12-01T08:00:00.000Z',
    createdBy: 'li',
    reason: null,
    startedAt: '2026-12-01T08:00:00.000Z',
    finishedAt: null,
    resumes: 0,
    error: null,
    report: null,
    ...over,
  } as RunView;
}

const version = (v: number, status: string, over: Partial<VersionView> = {}): VersionView =>
  ({
    version: v,
    status,
    activeYears: status === 'active' ? { from: null, to: null } : null,
    origin: 'file',
    label: null,
    createdAt: '2026-12-01T08:00:00.000Z',
    createdBy: 'system',
    activatedAt: null,
    activatedBy: null,
    reason: null,
    ...over,
  }) as VersionView;

describe('rule-set pages', () => {
  it('a running run shows its progress and, to a rule admin only, the way to cancel it; a failed one, to resume', () => {
    const page = runPage(as('rule_admin'), run()).value;
    expect(page).toContain('<progress max="100" value="25">25%</progress>');
    expect(page).toContain('50 / 200（25%） · 每秒 25 份 · 预计还需 6 秒');
    expect(page).toContain('action="/rules/runs/run_1/cancel"><input type="hidden" name="csrf" value="form-token">');
    expect(runPage(as('reviewer'), run()).value).not.toContain('/cancel"');
    const failed = runPage(as('rule_admin'), run({ status: 'failed', error: '<b>boom</b>' })).value;
    expect(failed).toContain('action="/rules/runs/run_1/resume"');
    expect(failed).toContain('&lt;b&gt;boom&lt;/b&gt;');
  });

  it('an impact report: the transition matrix (moves marked), the changes, the evaluations that change, escaped', () => {
    const report = {
      rescored: 3,
      unchanged: 2,
      transitions: [
        { from: '优秀', to: '优秀', count: 1 },
        { from: '优秀', to: '良好', count: 1 },
        { from: '良好', to: '良好', count: 1 },
      ],
      totalDelta: { min: 0, max: 0, mean: 0, buckets: [{ from: -0.005, to: 0.005, count: 3 }] },
      changed: [
        {
          evaluationId: 'ev_9',
          region: '130126',
          fiscalYear: 2023,
          unit: '<i>单位</i>',
          project: null,
          oldTotal: 87,
          newTotal: 87,
          oldGrade: '优秀',
          newGrade: '良好',
          oldRouting: 'auto-approve',
          newRouting: 'manual-review',
        },
      ],
      changedTruncated: false,
    };
    const page = runPage(as('auditor'), run({ status: 'completed', done: 3, total: 3, report })).value;
    expect(page).toContain('<th>原等级＼新等级</th><th class="num">优秀</th><th class="num">良好</th>');
    expect(page).toContain('<tr><th>优秀</th><td class="num">1</td><td class="num diff">1</td></tr>');
    expect(page).toContain('<a href="/review/evaluations/ev_9"><code>ev_9</code></a>');
    expect(page).toContain('&lt;i&gt;单位&lt;/i&gt;');
    expect(page).toContain('<td>优秀 → 良好</td><td>自动通过 → 人工审核</td>');
  });

  it('a rule set: its versions newest first; a rule admin gets the draft’s forms, others are told who may', () => {
    const versions = [version(1, 'active'), version(2, 'draft', { origin: 'api', createdBy: 'li' })];
    const diff = {
      from: 1,
      to: 2,
      changes: [{ kind: 'band' as const, path: '$.grades[0]', summary: '优秀: 下限 85 (含) → 90 (含)' }],
      affected: [],
    };
    const admin = ruleSetPage(as('rule_admin'), '130126', versions, diff).value;
    expect(admin.indexOf('data-version="2"')).toBeLessThan(admin.indexOf('data-version="1"'));
    expect(admin).toContain(
      '<li data-kind="band"><span class="badge info">等级划分</span> 优秀: 下限 85 (含) → 90 (含)',
    );
    expect(admin).toContain('action="/rules/130126/versions/2/impact"');
    expect(admin).toContain('action="/rules/130126/versions/2/activate"');
    const reader = ruleSetPage(as('auditor'), '130126', versions, diff).value;
    expect(reader).not.toContain('/activate"');
    expect(reader).toContain('只有本地区的规则管理员');
  });

  it('the index lists each rule set with its active versions and drafts', () => {
    const page = indexPage(
      as('rule_admin'),
      [{ id: '130126', regionName: '灵寿县', extends: 'CN', versions: [version(1, 'active'), version(2, 'draft')] }],
      [],
    ).value;
    expect(page).toContain(
      '<tr data-rule-set="130126"><td><a href="/rules/130126">130126</a></td><td>灵寿县</td><td>CN</td><td>v1（全部年度） </td><td><strong>v2</strong></td></tr>',
    );
    expect(page).toContain('暂无');
  });
});
