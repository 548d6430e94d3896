import { describe, expect, it } from 'vitest';
import type { Principal } from '@jixiao/auth';
import { areaOf, safeNext, signInPage } from '@jixiao/runtime/workspace';
import { detailPage, type EvaluationDetail, type HistoryItem, listPage, type Viewer } from './workspace-pages';
import { progressView } from '../queries/evaluation.views';

const reviewer: Viewer = { principal: { sub: 'wang', role: 'reviewer', regions: ['130000'] }, csrf: 'csrf-token-1' };
const as = (role: Principal['role']): Viewer => ({ ...reviewer, principal: { ...reviewer.principal, role } });

function detail(over: Partial<EvaluationDetail> = {}): EvaluationDetail {
  const base = {
    evaluationId: 'ev_1',
    version: 1,
    revision: 4,
    region: '130126',
    fiscalYear: 2022,
    formType: 'project',
    unitName: '灵寿县<b>办公室</b>',
    projectName: '政务服务',
    state: 'in_review',
    lastReason: null,
    publicPath: null,
    routing: { decision: 'manual-review', reasons: ['存在需要复核的问题'] },
    versions: { previous: null, next: [] },
    evaluation: {
      formType: 'project',
      funds: { adjustedBudget: 13, executed: 13, unit: '万元', reportedRate: '100%' },
      indicators: [
        { name: '满意度', target: '≥90%', actual: '95%', sources: { name: { line: 92, cell: 2, sheet: '表<1>' } } },
      ],
    },
    score: {
      resultId: 'res_1',
      scoredAt: '2026-12-01T08:00:00.000Z',
      ruleSet: { id: '130126', version: 2, hash: 'sha256:00' },
      total: 96,
      grade: '优',
      executionRate: 1,
      breakdown: {
        resultId: 'res_1',
        current: true,
        reported: { total: 92, grade: '优', executionScore: 10 },
        execution: { rate: 1, score: 10, weight: 10, method: 'linear-capped', explanation: '执行率 100%' },
        sections: [],
        indicators: [
          {
            name: '满意度',
            level1: '效益指标',
            level2: '满意度指标',
            section: null,
            weight: 10,
            reportedScore: 6,
            score: 9.5,
            method: 'quantitative-positive',
            explanation: '达到 95%',
          },
        ],
        findings: [
          {
            key: 'SCORE_DIFFERS_FROM_RULE|满意度',
            code: 'SCORE_DIFFERS_FROM_RULE',
            severity: 'warning',
            subject: '满意度',
            message: '自评 6 分，规则 9.5 分',
          },
          {
            key: 'SUM_MISMATCH|<合计>',
            code: 'SUM_MISMATCH',
            severity: 'error',
            subject: '<合计>',
            message: '合计 100 与各项之和 96 不一致',
          },
        ],
      },
    },
  };
  return { ...base, ...over } as unknown as EvaluationDetail;
}

const history: HistoryItem[] = [
  {
    at: '2026-12-01T08:00:00.000Z',
    actor: { user: 'scoring', role: 'system' },
    action: 'route-to-review',
    fromState: 'scored',
    toState: 'in_review',
    reason: null,
  } as unknown as HistoryItem,
];

describe('workspace pages', () => {
  it('an evaluation in review, for a reviewer: both scores and their difference, the findings, both forms carrying the session token and the revision shown', () => {
    const page = detailPage(reviewer, detail(), history).value;
    expect(page).toContain('<tr class="differs">');
    expect(page).toMatch(/<td class="num diff">-3.5<\/td>/);
    expect(page).toContain('<td>≥90%</td><td>95%</td>'); // the target and actual as the form wrote them
    // where it was read in the document
    expect(page).toContain('<span class="muted" data-source-line="92">原文「表&lt;1&gt;」第 92 行</span>');
    expect(page).toContain('data-code="SCORE_DIFFERS_FROM_RULE"');
    expect(
      page.match(
        /<input type="hidden" name="csrf" value="csrf-token-1"><input type="hidden" name="revision" value="4">/g,
      ),
    ).toHaveLength(2);
    expect(page).toContain('action="/review/evaluations/ev_1/approve"');
    expect(page).toContain('action="/review/evaluations/ev_1/return"');
    expect(page).toContain('灵寿县&lt;b&gt;办公室&lt;/b&gt;');
    expect(page).toContain('已评分 → 待审核');
  });

  it('other roles read it without forms; decided evaluations have none', () => {
    for (const role of ['submitter', 'auditor', 'rule_admin'] as const) {
      const page = detailPage(as(role), detail(), history).value;
      expect(page).not.toContain('action="/review/evaluations/ev_1/approve"');
      expect(page).toContain('只能查看');
    }
    expect(detailPage(reviewer, detail({ state: 'approved' }), history).value).not.toContain('/approve"');
  });

  it('a retracted evaluation says why, and offers its unit a corrected version (not once one was sent)', () => {
    const retracted = detail({
      state: 'retracted',
      lastReason: '数据有误<script>',
      publicPath: '/public/evaluations/ev_1',
    });
    const unit = detailPage(as('submitter'), retracted, history).value;
    expect(unit).toContain('<strong>撤回理由：</strong>数据有误&lt;script&gt;');
    expect(unit).toContain('请按撤回理由修改后，<a href="/submit?corrects=ev_1">提交更正版本</a>');
    expect(unit).toContain('更正版本审核通过后另行公开');
    expect(detailPage(reviewer, retracted, history).value).not.toContain('data-testid="correct"');
    const corrected = detail({
      ...retracted,
      versions: { previous: null, next: [{ evaluationId: 'ev_2', version: 2 }] },
    } as never);
    expect(detailPage(as('submitter'), corrected, history).value).not.toContain('data-testid="correct"');
  });

  it('a published evaluation links its public page and, for the staff, its publication’s management (to retract it)', () => {
    const published = detail({ state: 'published', publicPath: '/public/evaluations/ev_1' });
    const page = detailPage(reviewer, published, history).value;
    expect(page).toContain('<a href="/public/evaluations/ev_1">公开页面</a>');
    expect(page).toContain('<a href="/publish/evaluations/ev_1" data-testid="publish-link">公开管理（撤回）</a>');
    expect(detailPage(as('auditor'), published, history).value).toContain('data-testid="publish-link">公开管理</a>');
    expect(detailPage(as('submitter'), published, history).value).not.toContain('data-testid="publish-link"');
    expect(detailPage(reviewer, detail(), history).value).not.toContain('data-testid="publish-link"');
  });

  it('says when there is no score yet, or when the breakdown belongs to an earlier score', () => {
    expect(detailPage(reviewer, detail({ score: null }), []).value).toContain('尚未评分');
    const old = detail();
    old.score!.breakdown!.current = false;
    expect(detailPage(reviewer, old, []).value).toContain('以下明细属于此前的一次评分');
  });

  it('a corrected version says first what the unit changed, escaped, or that it changed nothing', () => {
    expect(detailPage(reviewer, detail(), []).value).not.toContain('data-testid="changes"');
    const changed = detailPage(
      reviewer,
      detail({
        version: 2,
        changesFromPrevious: {
          previousVersionId: 'ev_0',
          previousVersion: 1,
          form: [{ field: 'funds.executed', label: '执行数', from: 9, to: 13 }],
          indicators: [
            {
              kind: 'changed',
              level1: '产出指标',
              level2: '数量指标',
              name: '<i>满意度</i>',
              changes: [{ field: 'actual', label: '实际完成值', from: null, to: '95%' }],
            },
            { kind: 'added', level1: '效益指标', level2: null, name: '受益人数', changes: [] },
          ],
          projects: [],
          score: [{ field: 'grade', label: '复核等级', from: '良', to: '优' }],
          otherChanges: false,
          unchanged: false,
        },
      }),
      [],
    ).value;
    expect(changed).toContain('<h2>与<a href="/review/evaluations/ev_0">第 1 版</a>相比的改动</h2>');
    expect(changed).toContain('<li>执行数：9 → 13</li>');
    expect(changed).toContain(
      '<tr data-kind="changed"><td>修改</td><td>产出指标 / 数量指标</td><td>&lt;i&gt;满意度&lt;/i&gt;</td><td>实际完成值：<span class="muted">（空）</span> → 95%</td></tr>',
    );
    expect(changed).toContain('<tr data-kind="added"><td>新增</td><td>效益指标</td><td>受益人数</td><td></td></tr>');
    expect(changed).toContain('<strong>复核结果：</strong>复核等级：良 → 优');
    const same = detailPage(
      reviewer,
      detail({
        changesFromPrevious: {
          previousVersionId: 'ev_0',
          previousVersion: 1,
          form: [],
          indicators: [],
          projects: [],
          score: [],
          otherChanges: false,
          unchanged: true,
        },
      }),
      [],
    ).value;
    expect(same).toContain('单位填写的内容与<a href="/review/evaluations/ev_0">第 1 版</a>完全相同，未作任何改动。');
  });

  it('keeps what the reviewer typed when a decision is refused, escaped', () => {
    const page = detailPage(reviewer, detail(), history, {
      error: '操作未执行',
      draft: { reason: '</textarea><script>x</script>' },
    }).value;
    expect(page).toContain('data-testid="error">操作未执行</div>');
    expect(page).toContain('&lt;/textarea&gt;&lt;script&gt;x&lt;/script&gt;</textarea>');
  });

  it('the return form lists the findings to tick for the unit, escaped; a refused return keeps them ticked', () => {
    const page = detailPage(reviewer, detail(), history).value;
    expect(page).toContain('data-testid="flag-findings"');
    expect(page).toContain('<input type="checkbox" name="findings" value="SCORE_DIFFERS_FROM_RULE|满意度">');
    expect(page).toContain('<input type="checkbox" name="findings" value="SUM_MISMATCH|&lt;合计&gt;">');
    expect(page).not.toContain(' checked');
    // the reason is not required by the browser: findings alone are a return
    expect(page).toMatch(/<textarea id="reason" name="reason" maxlength="2000">/);
    const refused = detailPage(reviewer, detail(), history, {
      error: '操作未执行',
      draft: { reason: '', findings: ['SUM_MISMATCH|<合计>'] },
    }).value;
    expect(refused).toContain('<input type="checkbox" name="findings" value="SUM_MISMATCH|&lt;合计&gt;" checked>');
    expect(refused).toContain('<input type="checkbox" name="findings" value="SCORE_DIFFERS_FROM_RULE|满意度">');
    // findings of an earlier score than the current one cannot be named
    const old = detail();
    old.score!.breakdown!.current = false;
    expect(detailPage(reviewer, old, history).value).not.toContain('data-testid="flag-findings"');
  });

  it('a returned version shows the unit the findings named with the reason; its correction, each resolved or not', () => {
    const named = {
      key: 'SUM_MISMATCH|<合计>',
      code: 'SUM_MISMATCH',
      severity: 'error',
      subject: '<合计>',
      message: '合计 100 与各项之和 96 不一致',
    };
    const returned = detailPage(
      as('submitter'),
      detail({
        state: 'returned',
        lastReason: '请核实\n合计行',
        lastReturn: {
          at: '2026-12-02T08:00:00.000Z',
          actor: { user: 'wang', role: 'reviewer' },
          reason: '请核实',
          findings: [named],
        },
      } as Partial<EvaluationDetail>),
      history,
    ).value;
    expect(returned).toContain(
      '<p data-testid="last-reason" class="reason"><strong>退回理由：</strong>请核实\n合计行</p>',
    );
    expect(returned).toContain('退回时指出需要修改的问题（1）');
    expect(returned).toContain(
      '<li data-key="SUM_MISMATCH|&lt;合计&gt;"><span class="badge error">错误</span> <strong>&lt;合计&gt;</strong>：合计 100 与各项之和 96 不一致</li>',
    );

    const corrected = detailPage(
      reviewer,
      detail({
        version: 2,
        previousReturn: {
          evaluationId: 'ev_0',
          at: '2026-12-02T08:00:00.000Z',
          actor: { user: 'wang', role: 'reviewer' },
          reason: '请核实',
          findings: [
            { ...named, status: 'remaining', now: '合计 98 与各项之和 96 不一致' },
            {
              ...named,
              key: 'WEIGHTS_NOT_100',
              code: 'WEIGHTS_NOT_100',
              subject: null,
              message: '分值合计 95',
              status: 'resolved',
              now: null,
            },
            { ...named, key: 'X', status: 'unknown', now: null },
          ],
        },
      } as Partial<EvaluationDetail>),
      history,
    ).value;
    expect(corrected).toContain(
      '<h2>上一版的退回：已解决 <strong data-field="resolved">1</strong> 项，仍存在 <strong data-field="remaining">1</strong> 项，1 项待评分后核对</h2>',
    );
    expect(corrected).toContain('<tr data-key="SUM_MISMATCH|&lt;合计&gt;" data-status="remaining">');
    expect(corrected).toContain('<span class="badge remaining">仍存在</span> 合计 98 与各项之和 96 不一致');
    expect(corrected).toContain('<tr data-key="WEIGHTS_NOT_100" data-status="resolved">');
    expect(corrected).toContain('<span class="badge resolved">已解决</span></td>');
    // a first version answers no return
    expect(detailPage(reviewer, detail(), history).value).not.toContain('data-testid="previous-return"');
  });

  it('says who works on an evaluation: another reviewer (a notice), the viewer (give it back), nobody (take it)', () => {
    const until = '2026-12-01T08:30:00.000Z';
    const other = detailPage(
      reviewer,
      detail({ hold: { by: 'li<b>', until } } as Partial<EvaluationDetail>),
      history,
    ).value;
    expect(other).toContain('<strong>li&lt;b&gt;</strong> 正在审核这一份（认领至 2026-12-01 16:30 北京时间）');
    expect(other).toContain('action="/review/evaluations/ev_1/approve"'); // it tells, it does not lock
    const mine = detailPage(reviewer, detail({ hold: { by: 'wang', until } } as Partial<EvaluationDetail>), history, {
      flash: '已认领',
    }).value;
    expect(mine).toContain(
      '<form method="post" action="/review/evaluations/ev_1/release" class="hold" data-testid="hold">',
    );
    expect(mine).toContain('<button type="submit">放回待审核队列</button>');
    expect(mine).not.toContain('data-testid="after-decision"'); // taking it is not a decision: no 审核下一份 link
    const free = detailPage(reviewer, detail({ hold: null } as Partial<EvaluationDetail>), history).value;
    expect(free).toContain('action="/review/evaluations/ev_1/hold"');
    expect(free).toContain('<input type="hidden" name="csrf" value="csrf-token-1">');
    // not a reviewer, or decided: nothing to take
    expect(detailPage(as('auditor'), detail({ hold: null } as Partial<EvaluationDetail>), history).value).not.toContain(
      'data-testid="hold"',
    );
  });

  it('the worklist keeps its filters in the pager links and in the form, escaped', () => {
    const items = [
      {
        evaluationId: 'ev_1',
        version: 2,
        region: '130126',
        fiscalYear: 2022,
        unitName: 'u',
        projectName: 'p',
        state: 'in_review',
        total: 80,
        grade: '良',
        findingCounts: { error: 1, warning: 0, info: 2 },
        routing: null,
        createdAt: '2026-12-01T08:00:00.000Z',
      },
    ];
    const progress = progressView({ region: '130126', year: 2022 }, [
      { state: 'in_review', grade: '良', n: 40 },
      { state: 'in_review', grade: null, n: '1' },
      { state: 'returned', grade: '差', n: 4 },
    ]);
    const page = listPage(
      reviewer,
      { items, page: 2, pageSize: 20, total: 45 } as never,
      progress,
      { region: '130126', year: 2022, grade: '"良', current: true, page: 2, pageSize: 20 },
      'in_review',
      null,
    ).value;
    expect(page).toContain('第 21–21 条，共 45 条');
    expect(page).toContain(
      'href="/review?state=in_review&amp;region=130126&amp;year=2022&amp;grade=%22%E8%89%AF" rel="prev"',
    );
    expect(page).toContain('&amp;page=3" rel="next"');
    expect(page).toContain('name="grade" value="&quot;良"');
    expect(page).toContain('<span class="badge error">1 错误</span>');
    // a name searched for stays in the form and the pager, escaped
    const searched = listPage(
      reviewer,
      { items, page: 2, pageSize: 20, total: 45 } as never,
      progress,
      { region: '130126', year: 2022, q: '财政局 <b>', current: true, page: 2, pageSize: 20 },
      'in_review',
      null,
    ).value;
    expect(searched).toContain('name="q" value="财政局 &lt;b&gt;"');
    expect(searched).toContain('&amp;q=%E8%B4%A2%E6%94%BF%E5%B1%80+%3Cb%3E&amp;page=3" rel="next"');
    expect(page).toContain('第 2 版');
    // how the work stands here: each state a link to its list (the grade filter dropped), the current one not
    expect(page).toContain(
      '<strong>地区 130126，2022 年度</strong>：共 <a href="/review?state=all&amp;region=130126&amp;year=2022" data-state="all">45</a> 张',
    );
    expect(page).toContain('<strong data-state="in_review">待审核 41</strong>');
    expect(page).toContain(
      '<a href="/review?state=returned&amp;region=130126&amp;year=2022" data-state="returned">已退回 4</a>',
    );
    expect(page).not.toContain('data-state="published"'); // none: not shown
    expect(page).toContain('等级：良 40 · 差 4 · 未评分 1');
    expect(page).toContain('<option value="current">最新版本</option><option value="all">全部版本');
    const empty = listPage(
      reviewer,
      { items: [], page: 1, pageSize: 20, total: 0 },
      progressView({}, []),
      { page: 1, pageSize: 20 },
      'all',
      null,
    ).value;
    expect(page).not.toContain('data-testid="to-correct"'); // a reviewer's list
    // a unit's list says first what waits for its correction
    const unit = listPage(
      as('submitter'),
      { items, page: 1, pageSize: 20, total: 45 } as never,
      progressView({}, [
        { state: 'returned', grade: '差', n: 2 },
        { state: 'retracted', grade: '良', n: 1 },
      ]),
      { page: 1, pageSize: 20 },
      'all',
      null,
    ).value;
    expect(unit).toContain(
      '<strong>待更正：</strong><a href="/review?state=returned" data-state="returned">2 份被退回</a>，<a href="/review?state=retracted" data-state="retracted">1 份公开后被撤回</a>',
    );
    expect(empty).toContain('没有符合条件的自评表');
    expect(empty).not.toContain('data-testid="to-correct"');
    expect(empty).not.toContain('data-testid="mine"');
    // what the reviewer holds, the way back to it, escaped
    const holding = listPage(
      reviewer,
      { items: [], page: 1, pageSize: 20, total: 0 },
      progressView({}, []),
      { page: 1, pageSize: 20 },
      'all',
      null,
      { mine: [{ ...items[0], projectName: '<p>', hold: { by: 'wang', until: '2026-12-01T08:30:00.000Z' } }] as never },
    ).value;
    expect(holding).toContain(
      '<strong>您正在审核：</strong><a href="/review/evaluations/ev_1">&lt;p&gt;</a>（认领至 2026-12-01 16:30 北京时间）',
    );
    expect(empty).not.toContain('rel="next"');
    // every version asked for: kept in the links, and selected in the form
    expect(empty).toContain('<option value="all" selected>全部版本');
    expect(empty).toContain('<strong data-state="all">0</strong>');
    expect(empty).toContain('<strong data-state="all">0</strong> 张');
    expect(empty).toContain('data-state="in_review">待审核 0</a>');
  });

  it('sign-in carries on only to a staff page: the one asked for, else the area', () => {
    expect(signInPage('/review', null, '/review/evaluations/ev_1').value).toContain(
      '<form method="post" action="/session/sign-in"><input type="hidden" name="next" value="/review/evaluations/ev_1">',
    );
    expect(signInPage('/rules', null).value).toContain('<input type="hidden" name="next" value="/rules">');
    expect(signInPage('/review', '令牌无效').value).toContain('role="alert"');
    for (const page of [
      '/review/evaluations/ev_1',
      '/submit',
      '/rules/510000@2023',
      '/publish/evaluations/ev_1',
      '/audit',
    ])
      expect(safeNext(page)).toBe(page);
    for (const away of [
      'https://example.com/',
      '//example.com/review',
      '/review/../queues',
      '/queues',
      '/review?x=1',
      42,
    ])
      expect(safeNext(away)).toBeNull();
    expect(areaOf(safeNext('/rules/130126'))).toBe('/rules');
    expect(areaOf(safeNext('/publish/evaluations/ev_1'))).toBe('/publish');
    expect(areaOf(null)).toBe('/review');
  });
});
