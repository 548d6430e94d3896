import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { fakeServerPerTest } from '../server/__fixtures__/fake-server';
import { jixiao } from './__test__/run-cli';
import { nextPageCommand } from './review.command';

const server = fakeServerPerTest();

const summary = (n: number, over: Record<string, unknown> = {}) => ({
  evaluationId: `ev_${String(n).padStart(32, '0')}`,
  submissionId: `sub_${n}`,
  version: 1,
  region: '640323',
  fiscalYear: 2022,
  formType: 'project',
  unitName: '盐池县人民政府办公室',
  projectName: `项目 ${n}`,
  state: 'in_review',
  total: 99.5,
  grade: '优',
  executionRate: 1,
  findingCounts: { error: 1, warning: 2, info: 0 },
  routing: { decision: 'manual-review', reasons: ['存在需要复核的问题'] },
  createdAt: '2026-12-07T10:00:00Z',
  updatedAt: '2026-12-07T10:00:01Z',
  ...over,
});

const detail = (over: Record<string, unknown> = {}) => ({
  ...summary(1),
  previousVersionId: null,
  revision: 3,
  receivedAt: '2026-12-07T10:00:00Z',
  lastReason: '存在需要复核的问题',
  publicPath: null,
  evaluation: { indicators: [] },
  score: {
    resultId: 'res_1',
    scoredAt: '2026-12-07T10:00:01Z',
    ruleSet: { id: '640323', version: 1, hash: 'sha256:6bbb7b66dabd63f2869025e4b2f282f86bf6f7dba05e9261c5431' },
    total: 99.5,
    grade: '优',
    breakdown: {
      current: true,
      reported: { total: 96, grade: null, executionScore: 10 },
      execution: { rate: 1, score: 10, weight: 10, method: 'linear-capped', explanation: '执行率 100.00%' },
      sections: [],
      indicators: [
        {
          name: '群众满意度',
          weight: 10,
          reportedScore: 6,
          score: 9.5,
          method: 'ratio',
          explanation: '按 B/A×分值 = 9.50',
        },
      ],
      findings: [
        {
          code: 'SCORE_DIFFERS_FROM_RULE',
          severity: 'warning',
          subject: '群众满意度',
          message: '自评 6 分，按规则应得 9.5 分',
          key: 'SCORE_DIFFERS_FROM_RULE|群众满意度',
        },
        {
          code: 'EXECUTION_RATE_MISMATCH',
          severity: 'error',
          subject: null,
          message: '执行率与填报不一致',
          key: 'EXECUTION_RATE_MISMATCH',
        },
      ],
    },
  },
  ...over,
});

describe('jixiao review (server)', () => {
  it('list: the evaluations in review by default, a line each, and the command for the next page', async () => {
    const { flags, calls, url } = await server({
      'GET /evaluations?region=640000&state=in_review&pageSize=2': () => ({
        status: 200,
        body: {
          items: [summary(1), summary(2, { total: null, grade: null, findingCounts: null })],
          page: 1,
          pageSize: 2,
          total: 3,
        },
      }),
    });
    const r = await jixiao('review', 'list', '--region', '640000', '--page-size', '2', ...flags);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(calls[0].authorization).toBe('Bearer tok');
    expect(r.stdout).toMatch(
      /^ev_0+1\s+640323\s+2022\s+盐池县人民政府办公室 \/ 项目 1\s+待审核\s+99\.50\s+优\s+1 错误 2 警告\s+存在需要复核的问题$/m,
    );
    expect(r.stdout).toMatch(/^ev_0+2\s+640323\s+2022\s+.*待审核\s+—\s+—\s+—\s/m);
    expect(r.stdout).toContain(
      `第 1–2 条，共 3 条；下一页：jixiao review list --url ${url} --region 640000 --page-size 2 --page 2`,
    );
    expect(r.stdout).not.toContain('tok');
  });

  it('list --state all --json: no state filter, the page as the server sent it', async () => {
    const page = { items: [summary(1, { state: 'published' })], page: 1, pageSize: 20, total: 1 };
    const { flags } = await server({ 'GET /evaluations?year=2022': () => ({ status: 200, body: page }) });
    const r = await jixiao('review', 'list', '--state', 'all', '--year', '2022', '--json', ...flags);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(page);
  });

  it('list: an empty page says so; a bad state or number is refused before any request (exit 2)', async () => {
    const { flags, calls } = await server({
      'GET /evaluations?state=returned': () => ({ status: 200, body: { items: [], page: 1, pageSize: 20, total: 0 } }),
    });
    expect((await jixiao('review', 'list', '--state', 'returned', ...flags)).stdout).toBe('没有符合条件的绩效自评。\n');
    const bad = await jixiao('review', 'list', '--state', 'done', ...flags);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--state done: expected one of submitted, scored, in_review');
    const mars = await jixiao('review', 'list', '--region', '火星县', ...flags);
    expect(mars.code).toBe(2);
    expect(mars.stderr).toContain('--region 火星县: no rule set names the region "火星县"');
    const page = await jixiao('review', 'list', '--page', '0', ...flags);
    expect(page.code).toBe(2);
    expect(page.stderr).toContain('--page 0: expected a whole number of at least 1');
    const finding = await jixiao('review', 'list', '--finding', 'TYPO', ...flags);
    expect(finding.code).toBe(2);
    expect(finding.stderr).toContain('--finding TYPO: expected one of REPORTED_TOTAL_MISMATCH');
    expect(calls).toHaveLength(1);
  });

  it('list --finding: only those whose score found that kind of problem; the next page keeps it', async () => {
    const page = { items: [summary(1), summary(2)], page: 1, pageSize: 2, total: 3 };
    const { flags, calls } = await server({
      'GET /evaluations?state=in_review&finding=SUM_MISMATCH&pageSize=2': () => ({ status: 200, body: page }),
    });
    const r = await jixiao('review', 'list', '--finding', 'SUM_MISMATCH', '--page-size', '2', ...flags);
    expect(r.stderr).toBe('');
    expect(calls).toHaveLength(1);
    expect(r.stdout).toContain('--finding SUM_MISMATCH --page-size 2 --page 2');
  });

  it('progress: the current versions by state and grade, for the region and year asked', async () => {
    const progress = {
      region: '130000',
      fiscalYear: 2023,
      total: 95,
      byState: { submitted: 0, scored: 1, in_review: 12, approved: 5, returned: 3, published: 74, retracted: 0 },
      byGrade: [
        { grade: '优', count: 60 },
        { grade: '良', count: 30 },
        { grade: null, count: 5 },
      ],
    };
    const { flags, calls } = await server({
      'GET /evaluations/progress?region=130000&year=2023': () => ({ status: 200, body: progress }),
    });
    const r = await jixiao('review', 'progress', '--region', '130000', '--year', '2023', ...flags);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(calls).toHaveLength(1);
    expect(r.stdout).toMatch(/^地区 130000，2023 年度：共 95 张（每张表只计最新版本）$/m);
    expect(r.stdout).toMatch(/^待审核 \(in_review\)\s+12$/m);
    expect(r.stdout).toMatch(/^已公开 \(published\)\s+74$/m);
    expect(r.stdout).toContain('等级：优 60 · 良 30 · 未评分 5');
    const json = await jixiao('review', 'progress', '--region', '130000', '--year', '2023', '--json', ...flags);
    // the list that matches the counts: only current versions
    const current = await server({
      'GET /evaluations?state=returned&current=true': () => ({
        status: 200,
        body: { items: [summary(1, { state: 'returned' })], page: 1, pageSize: 1, total: 2 },
      }),
    });
    const listed = await jixiao('review', 'list', '--state', 'returned', '--current', ...current.flags);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('下一页：jixiao review list --url');
    expect(listed.stdout).toMatch(/--state returned --current --page 2$/m);
    expect(JSON.parse(json.stdout)).toEqual(progress);
    expect((await jixiao('review', 'progress', '--year', 'x', ...flags)).code).toBe(2);
  });

  it('progress --by-region: the averages, and a line per region with the states watched and each grade', async () => {
    const figures = (total: number, inReview: number, grades: Array<[string | null, number]>, average: number) => ({
      total,
      byState: {
        submitted: 0,
        scored: 0,
        in_review: inReview,
        approved: 0,
        returned: 0,
        published: total - inReview,
        retracted: 0,
      },
      byGrade: grades.map(([grade, count]) => ({ grade, count })),
      averageTotal: average,
      averageExecutionRate: 0.9731,
    });
    const body = {
      region: '130100',
      fiscalYear: 2023,
      ...figures(
        7,
        3,
        [
          ['优', 5],
          ['良', 2],
        ],
        90.12,
      ),
      regions: [
        { region: '130125', ...figures(3, 1, [['优', 3]], 92) },
        {
          region: '130126',
          ...figures(
            4,
            2,
            [
              ['优', 2],
              ['良', 2],
            ],
            88.7,
          ),
        },
      ],
    };
    const { flags, calls } = await server({
      'GET /evaluations/progress?region=130100&year=2023&by=region': () => ({ status: 200, body }),
    });
    const r = await jixiao('review', 'progress', '--region', '130100', '--year', '2023', '--by-region', ...flags);
    expect(r.stderr).toBe('');
    expect(calls).toHaveLength(1);
    expect(r.stdout).toContain('平均总分 90.12，平均执行率 97.31%（已评分的）');
    expect(r.stdout).toMatch(/^地区\s+张数\s+待审核\s+已退回\s+已公开\s+优\s+良\s+平均总分\s+平均执行率$/m);
    expect(r.stdout).toMatch(/^130126\s+4\s+2\s+0\s+2\s+2\s+2\s+88\.70\s+97\.31%$/m);
  });

  it('show: the score indicator by indicator, the findings, the routing and what a reviewer can do next', async () => {
    const { flags } = await server({ 'GET /evaluations/ev_1': () => ({ status: 200, body: detail() }) });
    const r = await jixiao('review', 'show', 'ev_1', ...flags);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('项目 1（盐池县人民政府办公室）');
    expect(r.stdout).toContain('状态 待审核 (in_review) · 修订 3 · 第 1 版 · 规则 640323 v1 sha256:6bbb7b66dabd');
    expect(r.stdout).toMatch(/^群众满意度\s+10\s+6\.00\s+9\.50\s+-3\.50\s+按 B\/A×分值 = 9\.50$/m);
    // numbered: what `review return --finding` takes
    expect(r.stdout).toContain('  1. [warning] SCORE_DIFFERS_FROM_RULE · 群众满意度: 自评 6 分，按规则应得 9.5 分');
    expect(r.stdout).toContain('  2. [error] EXECUTION_RATE_MISMATCH: 执行率与填报不一致');
    expect(r.stdout).toContain(
      '自评总分 96.00  自评等级 —\n规则总分 99.50  规则等级 优\n处理：人工审核（存在需要复核的问题）',
    );
    expect(r.stdout).toContain(`通过：jixiao review approve ev_${'0'.repeat(31)}1 --revision 3`);
    expect(r.stdout).toContain(
      `退回：jixiao review return ev_${'0'.repeat(31)}1 --revision 3 --reason "…" [--finding <上列问题的序号>]…`,
    );
  });

  it('show: an evaluation not yet scored, or decided, has no next step', async () => {
    const { flags } = await server({
      'GET /evaluations/ev_2': () => ({
        status: 200,
        body: detail({ state: 'submitted', score: null, routing: null }),
      }),
    });
    const r = await jixiao('review', 'show', 'ev_2', ...flags);
    expect(r.stdout).toContain('尚未评分。');
    expect(r.stdout).not.toContain('通过：');
  });

  it('show: a corrected version says what it changed against the one it corrects', async () => {
    const changes = {
      previousVersionId: 'ev_1',
      previousVersion: 1,
      form: [{ field: 'funds.executed', label: '执行数', from: 9, to: 13 }],
      indicators: [
        {
          kind: 'changed',
          level1: '产出指标',
          level2: null,
          name: '满意度',
          changes: [{ field: 'actual', label: '实际完成值', from: null, to: '95%' }],
        },
        { kind: 'removed', level1: null, level2: null, name: '受益人数', changes: [] },
      ],
      projects: [],
      score: [{ field: 'grade', label: '复核等级', from: '良', to: '优' }],
      unchanged: false,
    };
    const { flags } = await server({
      'GET /evaluations/ev_2': () => ({
        status: 200,
        body: detail({ version: 2, previousVersionId: 'ev_1', changesFromPrevious: changes }),
      }),
      'GET /evaluations/ev_3': () => ({
        status: 200,
        body: detail({
          version: 2,
          changesFromPrevious: { ...changes, form: [], indicators: [], score: [], unchanged: true },
        }),
      }),
    });
    const r = await jixiao('review', 'show', 'ev_2', ...flags);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      [
        '与第 1 版（ev_1）相比的改动：',
        '  执行数 9 → 13',
        '  修改指标 满意度：实际完成值 （空） → 95%',
        '  删除指标 受益人数',
        '  复核等级 良 → 优',
      ].join('\n'),
    );
    const same = await jixiao('review', 'show', 'ev_3', ...flags);
    expect(same.stdout).toContain('与第 1 版（ev_1）相比：单位填写的内容完全相同，未作改动');
  });

  it('approve and return: the decision sent, the new state printed; a refusal gives the server’s reason (exit 1)', async () => {
    const { flags, calls } = await server({
      'POST /evaluations/ev_1/approve': () => ({
        status: 200,
        body: { evaluationId: 'ev_1', state: 'approved', revision: 4 },
      }),
      'POST /evaluations/ev_2/return': () => ({
        status: 200,
        body: { evaluationId: 'ev_2', state: 'returned', revision: 4 },
      }),
      'POST /evaluations/ev_3/approve': () => ({
        status: 409,
        body: { statusCode: 409, message: 'evaluation ev_3: cannot approve an evaluation that is published' },
      }),
    });
    const ok = await jixiao('review', 'approve', 'ev_1', '--comment', '同意', ...flags);
    expect(ok.stdout).toBe('ev_1 → 已通过 (approved)\n');
    expect(JSON.parse(calls[0].body)).toEqual({ comment: '同意' });
    const back = await jixiao(
      'review',
      'return',
      'ev_2',
      '--reason',
      ' 执行率与执行数不一致 ',
      '--revision',
      '4',
      ...flags,
    );
    expect(back.stdout).toBe('ev_2 → 已退回 (returned): 执行率与执行数不一致\n');
    expect(JSON.parse(calls[1].body)).toEqual({ reason: '执行率与执行数不一致', revision: 4 });
    const refused = await jixiao('review', 'approve', 'ev_3', ...flags);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      '409 Conflict from POST /evaluations/ev_3/approve: evaluation ev_3: cannot approve an evaluation that is published',
    );
    expect(JSON.parse(calls[2].body)).toEqual({});
    const empty = await jixiao('review', 'return', 'ev_2', '--reason', ' ', ...flags);
    expect(empty.code).toBe(2);
    expect((await jixiao('review', 'approve', 'ev_1', '--revision', 'latest', ...flags)).code).toBe(2);
    expect(calls).toHaveLength(3);
  });

  it('return --finding: the findings named by their number in show (at the revision read) or key; a reason may be left out', async () => {
    const { flags, calls } = await server({
      'GET /evaluations/ev_1': () => ({ status: 200, body: detail() }),
      'POST /evaluations/ev_1/return': () => ({
        status: 200,
        body: { evaluationId: 'ev_1', state: 'returned', revision: 4 },
      }),
    });
    const r = await jixiao('review', 'return', 'ev_1', '--finding', '2', '--finding', 'SUM_MISMATCH|合计', ...flags);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ev_1 → 已退回 (returned)（指出 2 个问题）\n');
    // the numbers mean what show listed at revision 3: the return says so, and is refused if it moved on
    expect(JSON.parse(calls[1].body)).toEqual({
      revision: 3,
      findings: ['EXECUTION_RATE_MISMATCH', 'SUM_MISMATCH|合计'],
    });
    const withReason = await jixiao(
      'review',
      'return',
      'ev_1',
      '--finding',
      '1',
      '--reason',
      '请核实',
      '--revision',
      '3',
      ...flags,
    );
    expect(withReason.stdout).toBe('ev_1 → 已退回 (returned): 请核实（指出 1 个问题）\n');
    expect(JSON.parse(calls[3].body)).toEqual({
      reason: '请核实',
      revision: 3,
      findings: ['SCORE_DIFFERS_FROM_RULE|群众满意度'],
    });
    const beyond = await jixiao('review', 'return', 'ev_1', '--finding', '3', ...flags);
    expect(beyond.code).toBe(2);
    expect(beyond.stderr).toContain("--finding 3: the evaluation's score lists 2 finding(s)");
    const nothing = await jixiao('review', 'return', 'ev_1', ...flags);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('--reason or at least one --finding is needed');
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(2);
  });

  it('show: a returned version lists the findings named; a corrected one, each resolved or still there', async () => {
    const named = {
      key: 'SUM_MISMATCH|合计',
      code: 'SUM_MISMATCH',
      severity: 'error',
      subject: '合计',
      message: '合计 100 与各项之和 96 不一致',
    };
    const by = { at: '2026-12-07T10:05:00Z', actor: { user: 'li', role: 'reviewer' }, reason: '请核实' };
    const { flags } = await server({
      'GET /evaluations/ev_1': () => ({
        status: 200,
        body: detail({ state: 'returned', lastReason: '请核实', lastReturn: { ...by, findings: [named] } }),
      }),
      'GET /evaluations/ev_2': () => ({
        status: 200,
        body: detail({
          version: 2,
          previousVersionId: 'ev_1',
          previousReturn: {
            ...by,
            evaluationId: 'ev_1',
            findings: [
              { ...named, status: 'remaining', now: '合计 98 与各项之和 96 不一致' },
              { ...named, key: 'X', subject: null, message: '分值合计 95', status: 'resolved', now: null },
            ],
          },
        }),
      }),
    });
    const returned = await jixiao('review', 'show', 'ev_1', ...flags);
    expect(returned.stdout).toContain('退回时指出需要修改的问题（1）：\n  [error] 合计：合计 100 与各项之和 96 不一致');
    const corrected = await jixiao('review', 'show', 'ev_2', ...flags);
    expect(corrected.stdout).toContain(
      [
        '上一版（ev_1）的退回：已解决 1 项，仍存在 1 项',
        '  退回理由（li，2026-12-07 18:05 北京时间）：请核实',
        '  仍存在  [error] 合计：合计 100 与各项之和 96 不一致 → 现在：合计 98 与各项之和 96 不一致',
        '  已解决  [error] 分值合计 95',
      ].join('\n'),
    );
  });

  it('roster: who of the roster has not submitted; --set sends the units of a text, CSV or Excel file', async () => {
    const standing = (units: string[], deadline?: string) => ({
      region: '130126',
      fiscalYear: 2022,
      setAt: '2026-12-07T10:00:00.000Z',
      setBy: 'li',
      expected: units.length,
      submitted: 1,
      deadline: deadline ?? null,
      overdue: Boolean(deadline),
      late: deadline ? 1 : 0,
      units: units.map((u, i) => ({
        unitName: u,
        evaluations: i === 0 ? 2 : 0,
        byState: i === 0 ? { in_review: 1, published: 1 } : {},
        firstAt: null,
        lastAt: null,
        late: Boolean(deadline) && i === 0,
      })),
      missing: units.slice(1),
      unlisted: [
        {
          unitName: '灵寿县水利局',
          evaluations: 1,
          byState: { returned: 1 },
          firstAt: null,
          lastAt: null,
          late: false,
        },
      ],
    });
    const { flags, calls } = await server({
      'GET /rosters/130126/2022': () => ({ status: 200, body: standing(['灵寿县人民政府办公室', '灵寿县财政局']) }),
      'PUT /rosters/130126/2022': (req) => {
        const { units, deadline } = JSON.parse(req.body);
        return { status: 200, body: standing(units, deadline) };
      },
    });
    const r = await jixiao('review', 'roster', '灵寿县', '--year', '2022', ...flags);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      '地区 130126，2022 年度：名单 2 个单位，已提交 1 个，未提交 1 个（名单由 li 于 2026-12-07 18:00 北京时间 设置）',
    );
    expect(r.stdout).toContain('尚未提交（1）：\n  1. 灵寿县财政局');
    expect(r.stdout).toMatch(/^灵寿县人民政府办公室\s+2\s+待审核 1 · 已公开 1$/m);
    expect(r.stdout).toContain('不在名单中的提交单位（1）：');

    const dir = mkdtempSync(join(tmpdir(), 'jixiao-roster-'));
    const csv = join(dir, 'units.csv');
    writeFileSync(csv, '序号,单位名称\n1,灵寿县人民政府办公室\n2,灵寿县财政局\n');
    expect((await jixiao('review', 'roster', '130126', '--year', '2022', '--set', csv, ...flags)).code).toBe(0);
    expect(JSON.parse(calls.at(-1)!.body)).toEqual({ units: ['灵寿县人民政府办公室', '灵寿县财政局'] });
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('名单');
    ws.addRows([
      ['序号', '单位名称', '是否提交'],
      [1, '灵寿县人民政府办公室', '已提交'],
      [2, '灵寿县教育局', '未提交'],
    ]);
    // a workbook with more sheets (as the roster page exports it): only the first is the roster
    wb.addWorksheet('说明').addRows([
      ['地区', '130126'],
      ['截止日期', '2023-03-31'],
    ]);
    const xlsx = join(dir, 'units.xlsx');
    await wb.xlsx.writeFile(xlsx);
    const fromExcel = await jixiao(
      'review',
      'roster',
      '130126',
      '--year',
      '2022',
      '--set',
      xlsx,
      '--deadline',
      '2023-03-31',
      ...flags,
    );
    expect(fromExcel.code).toBe(0);
    expect(JSON.parse(calls.at(-1)!.body)).toEqual({
      units: ['灵寿县人民政府办公室', '灵寿县教育局'],
      deadline: '2023-03-31',
    });
    expect(fromExcel.stdout).toContain('截止日期 2023-03-31（已过）；逾期提交 1 个');
    expect(fromExcel.stdout).toContain('已过截止日期仍未提交（1）：\n  1. 灵寿县教育局');
    expect(fromExcel.stdout).toMatch(/^灵寿县人民政府办公室\s+2\s+待审核 1 · 已公开 1（逾期提交）$/m);
    // a deadline is for the roster set with it
    expect(
      (await jixiao('review', 'roster', '130126', '--year', '2022', '--deadline', '2023-03-31', ...flags)).code,
    ).toBe(2);

    // a file without a unit, or not a spreadsheet, is refused before any request (exit 2)
    const blank = join(dir, 'blank.txt');
    writeFileSync(blank, '\n1\n');
    const none = await jixiao('review', 'roster', '130126', '--year', '2022', '--set', blank, ...flags);
    expect(none).toMatchObject({ code: 2 });
    expect(none.stderr).toContain('no unit name found');
    const fake = join(dir, 'fake.xlsx');
    writeFileSync(fake, 'not a workbook');
    expect((await jixiao('review', 'roster', '130126', '--year', '2022', '--set', fake, ...flags)).code).toBe(2);
    expect((await jixiao('review', 'roster', '130126', ...flags)).code).toBe(2); // --year is needed
    expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(2);
  });

  it('roster --under: the rosters set under a city, a line each, with the totals', async () => {
    const { flags, calls } = await server({
      'GET /rosters?region=130100&year=2023': () => ({
        status: 200,
        body: {
          region: '130100',
          fiscalYear: 2023,
          rosters: [
            { region: '130125', deadline: null, overdue: false, expected: 10, submitted: 10, missing: 0, late: 0 },
            {
              region: '130126',
              deadline: '2024-03-31',
              overdue: true,
              expected: 16,
              submitted: 12,
              missing: 4,
              late: 3,
            },
          ],
        },
      }),
      'GET /rosters?region=130000&year=2023': () => ({
        status: 200,
        body: { region: '130000', fiscalYear: 2023, rosters: [] },
      }),
    });
    const r = await jixiao('review', 'roster', '130100', '--year', '2023', '--under', ...flags);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('地区 130100 及其下级地区，2023 年度：2 份名单');
    expect(r.stdout).toMatch(/^130126\s+16\s+12\s+4（逾期）\s+3\s+2024-03-31（已过）$/m);
    expect(r.stdout).toMatch(/^合计\s+26\s+22\s+4\s+3\s*$/m);
    expect((await jixiao('review', 'roster', '130000', '--year', '2023', '--under', ...flags)).stdout).toBe(
      '地区 130000 及其下级地区 2023 年度尚未设置名单。\n',
    );
    const both = await jixiao('review', 'roster', '130100', '--year', '2023', '--under', '--set', 'x.csv', ...flags);
    expect(both.code).toBe(2);
    expect(calls).toHaveLength(2);
  });

  it('next: takes the oldest nobody holds and shows it, held for the reviewer; exit 3 when none is left', async () => {
    let left = 1;
    const { flags, calls } = await server({
      'POST /evaluations/next?region=130126': () => ({
        status: 200,
        body: {
          taken: left-- > 0 ? { evaluationId: 'ev_1', heldBy: 'li', heldUntil: '2026-12-07T10:30:00.000Z' } : null,
        },
      }),
      'GET /evaluations/ev_1': () => ({
        status: 200,
        body: detail({ hold: { by: 'li', until: '2026-12-07T10:30:00.000Z' } }),
      }),
    });
    const r = await jixiao('review', 'next', '--region', '130126', ...flags);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('li 审核中（认领至 2026-12-07 18:30 北京时间）');
    expect(r.stdout).toContain(`通过：jixiao review approve ev_${'0'.repeat(31)}1 --revision 3`);
    const none = await jixiao('review', 'next', '--region', '130126', ...flags);
    expect(none).toMatchObject({ code: 3, stdout: '' });
    expect(none.stderr).toContain('没有等待审核的自评表了');
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /evaluations/next?region=130126',
      'GET /evaluations/ev_1',
      'POST /evaluations/next?region=130126',
    ]);
  });

  it('history: a line per change, oldest first, with who, the states and why', async () => {
    const item = (
      at: string,
      user: string,
      role: string,
      action: string,
      from: string | null,
      to: string,
      reason: string | null,
    ) => ({
      at,
      actor: { user, role },
      action,
      fromState: from,
      toState: to,
      reason,
      source: 'review',
      audit: { seq: 1, hash: 'sha256:x' },
    });
    const { flags } = await server({
      'GET /evaluations/ev_1/history': () => ({
        status: 200,
        body: {
          evaluationId: 'ev_1',
          state: 'returned',
          items: [
            item('2026-12-07T10:00:00.123Z', 'unit-7', 'submitter', 'receive', null, 'submitted', null),
            item(
              '2026-12-07T10:05:00.000Z',
              'li',
              'reviewer',
              'return',
              'in_review',
              'returned',
              '执行率与执行数不一致',
            ),
          ],
        },
      }),
    });
    const r = await jixiao('review', 'history', 'ev_1', ...flags);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('ev_1 · 当前状态 已退回 (returned)');
    expect(r.stdout).toMatch(/^2026-12-07 18:00 北京时间\s+unit-7 \(submitter\)\s+receive\s+— → submitted$/m);
    expect(r.stdout).toMatch(
      /^2026-12-07 18:05 北京时间\s+li \(reviewer\)\s+return\s+in_review → returned\s+执行率与执行数不一致$/m,
    );
  });

  it('nextPageCommand quotes what the shell would split and leaves the default state out', () => {
    expect(nextPageCommand({ state: 'in_review', grade: '良 好', url: 'http://h:1' }, 3)).toBe(
      "jixiao review list --url http://h:1 --grade '良 好' --page 3",
    );
    expect(nextPageCommand({ state: 'all', grade: "it's" }, 2)).toBe(
      `jixiao review list --state all --grade 'it'\\''s' --page 2`,
    );
    expect(nextPageCommand({ state: 'all', search: '财政局 办公室' }, 2)).toBe(
      `jixiao review list --state all --search '财政局 办公室' --page 2`,
    );
  });

  it('list --search: the words go to the server as q', async () => {
    const { flags, calls } = await server({
      'GET /evaluations?state=in_review&q=%E8%B4%A2%E6%94%BF%E5%B1%80': () => ({
        status: 200,
        body: { items: [summary(1)], page: 1, pageSize: 20, total: 1 },
      }),
    });
    const r = await jixiao('review', 'list', '--search', '财政局', ...flags);
    expect(r.code).toBe(0);
    expect(calls).toHaveLength(1);
  });
});
