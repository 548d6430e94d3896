import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from './support/browser';
import { documentForm, http } from './support/http';
import { SEEDS } from './support/seeds';
import { startSystem, type TestSystem, waitFor } from './support/system';

const SCRIPT = '<script>window.__pwned = 1</script>';

/** Posts a workspace form as a browser would (urlencoded, with the session cookie); does not follow redirects. */
async function post(url: string, cookie: string | null, fields: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'text/html',
      ...(cookie ? { cookie } : {}),
    },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

async function get(url: string, cookie: string | null) {
  const res = await fetch(url, { redirect: 'manual', headers: { accept: 'text/html', ...(cookie ? { cookie } : {}) } });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const formField = (page: string, name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(page)?.[1];

/** The reviewers' workspace at /review in a real headless Chromium, on the whole running system. */
describe('review workspace', () => {
  let sys: TestSystem;
  let browser: Browser;
  let planted: string; // 盐池's form as JSON, with markup planted in its text
  let lingshou: string;
  const state = async (id: string) =>
    (await http('GET', `${sys.url}/evaluations/${id}`, { token: sys.token('auditor', ['CN']) })).body?.state;

  async function cookieFor(token: string): Promise<string> {
    const res = await post(`${sys.url}/session/sign-in`, null, { token });
    expect(res.status).toBe(303);
    return res.headers.get('set-cookie')!.split(';')[0];
  }

  beforeAll(async () => {
    sys = await startSystem({ db: 'sqlite' });
    const yanchi = JSON.parse(readFileSync(join(__dirname, '../../rules/golden/yanchi-2022.input.json'), 'utf8'));
    const form = yanchi.evaluations?.[0] ?? yanchi;
    const withMarkup = {
      ...form,
      projectName: `${form.projectName}${SCRIPT}`,
      indicators: form.indicators.map((i: { name: string }, n: number) =>
        n === 0 ? { ...i, name: `${i.name}"><img src=x onerror="window.__pwned=2">` } : i,
      ),
    };
    const sent = await http('POST', `${sys.url}/evaluations`, {
      token: sys.token('submitter', ['640323']),
      json: withMarkup,
    });
    expect(sent.status, sent.text).toBe(201);
    planted = sent.body.evaluationIds[0];
    const doc = await http('POST', `${sys.url}/documents`, {
      token: sys.token('submitter', ['130126']),
      form: documentForm(SEEDS.lingshou.file),
    });
    expect(doc.status, doc.text).toBe(201);
    lingshou = doc.body.evaluationIds[0];
    for (const id of [planted, lingshou])
      await waitFor(`${id} in review`, async () => (await state(id)) === 'in_review');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('a reviewer signs in, finds what waits in the worklist, reads an evaluation and approves it; it is published and the trail says who', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, sys.url, sys.token('reviewer', ['640000', '130000']), '/review');
    const rows = page.getByTestId('worklist').locator('tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await page.getByTestId('count').textContent()).toBe('第 1–2 条，共 2 条');
    // how the work stands, at a glance: both wait for a reviewer (the list shown), nothing else yet
    const progress = page.getByTestId('progress');
    expect(await progress.locator('[data-state="in_review"]').textContent()).toBe('待审核 2');
    expect(await progress.locator('[data-state="all"]').textContent()).toBe('2');
    expect(await progress.textContent()).toContain('等级：');
    // newest first, or the order they arrived in
    const order = () =>
      page
        .getByTestId('worklist')
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-evaluation-id')));
    expect(await order()).toEqual([lingshou, planted]);
    await page.selectOption('select[name="sort"]', 'oldest');
    await page.getByRole('button', { name: '筛选' }).click();
    await page.waitForURL(/sort=oldest/);
    expect(await order()).toEqual([planted, lingshou]);
    // the worklist as filtered, as a workbook: numbers as numbers, text from the forms as text
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export').click()]);
    expect(download.suggestedFilename()).toBe('绩效自评表（待审核）.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await download.path())!);
    const sheet = book.getWorksheet('自评表')!;
    expect(sheet.rowCount).toBe(3);
    const exported = [2, 3].map((n) => sheet.getRow(n));
    expect(exported.map((r) => r.getCell(1).value).sort()).toEqual([planted, lingshou].sort());
    const yanchi = exported.find((r) => r.getCell(1).value === planted)!;
    expect(yanchi.getCell(5).value).toBe(`${'政务新媒体运行维护费'}${SCRIPT}`);
    expect(yanchi.getCell(8).value).toBe(99.5);
    expect(yanchi.getCell(7).value).toBe('待审核');
    await page.locator(`tr[data-evaluation-id="${planted}"] a`).click();
    await page.waitForURL(`${sys.url}/review/evaluations/${planted}`);
    // why it waits for a reviewer, each indicator's two scores and their difference, the findings
    expect(await page.getByTestId('routing').textContent()).toContain('存在需要复核的问题');
    const satisfaction = page.getByTestId('indicators').locator('tr', { hasText: '群众满意度' });
    expect((await satisfaction.locator('td').allInnerTexts()).slice(3, 9)).toEqual([
      '100%',
      '95%',
      '10',
      '6',
      '9.5',
      '-3.5',
    ]);
    expect(await page.getByTestId('findings').textContent()).toContain('SCORE_DIFFERS_FROM_RULE');
    // sent as JSON (naming the document it was once read from): no document was stored, and the link says so
    expect((await http('GET', `${sys.url}/documents/${planted}`, { token: sys.token('auditor', ['CN']) })).status).toBe(
      404,
    );
    const document = await context.newPage();
    expect(
      (await document.goto(`${sys.url}${await page.getByTestId('document').getAttribute('href')}`))?.status(),
    ).toBe(404);
    expect(await document.getByTestId('error').textContent()).toContain(
      `没有原始文件：自评表 ${planted} 是以 JSON 数据提交的，没有上传原始文件`,
    );
    await document.close();
    // text from the form is shown as text: nothing planted runs
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.textContent('h1')).toContain(SCRIPT);

    await page.fill('#comment', '已电话核实满意度调查结果');
    await page.getByRole('button', { name: '通过' }).click();
    await page.waitForURL(`${sys.url}/review/evaluations/${planted}?done=approved`);
    expect(await page.getByTestId('flash').textContent()).toContain('已审核通过');
    expect(await page.locator('h1 [data-state]').getAttribute('data-state')).toBe('approved');
    expect(await page.getByTestId('decisions').count()).toBe(0); // nothing left to decide
    // on to the one that has waited longest (灵寿's, the only other one in review)
    await page.getByTestId('after-decision').getByRole('link', { name: '审核下一份 →' }).click();
    await page.waitForURL(`${sys.url}/review/evaluations/${lingshou}`);
    // taken from the queue: held for this reviewer, whom other reviewers' queues now pass over
    expect(await page.getByTestId('hold').textContent()).toContain('您已认领这一份');
    // the worklist leads back to it
    await page.goto(`${sys.url}/review`);
    expect(await page.getByTestId('mine').locator('a').getAttribute('href')).toBe(`/review/evaluations/${lingshou}`);
    await page.goto(`${sys.url}/review/evaluations/${planted}`);
    await waitFor('published', async () => (await state(planted)) === 'published');
    await page.reload();
    expect(await page.locator('h1 [data-state]').getAttribute('data-state')).toBe('published');
    const approval = page.getByTestId('history').locator('tr', { hasText: '审核通过' });
    expect(await approval.textContent()).toContain('reviewer-640000-130000');
    expect(await approval.textContent()).toContain('已电话核实满意度调查结果');
    expect(await page.locator('a', { hasText: '公开页面' }).getAttribute('href')).toBe(
      `/public/evaluations/${planted}`,
    );
    await context.close();
  });

  it('a reviewer returns one with a reason; the unit, signed in, sees why and cannot decide', async () => {
    const reviewer = await browser.newContext();
    const page = await reviewer.newPage();
    await signIn(page, sys.url, sys.token('reviewer', ['130000']), '/review');
    await page.goto(`${sys.url}/review/evaluations/${lingshou}`);
    // the first reviewer took it from the queue: this one is told, and may still decide
    expect(await page.getByTestId('hold').textContent()).toContain('reviewer-640000-130000 正在审核这一份');
    // 灵寿's department report lists its 16 projects, not indicators: the reviewer sees each as the report wrote it
    expect(await page.getByTestId('indicators').textContent()).toContain(
      '未读到逐项绩效指标（部门整体自评报告按项目列示',
    );
    const projects = page.getByTestId('projects').locator('tbody tr');
    expect(await projects.count()).toBe(16);
    expect(await projects.first().textContent()).toContain('网络安全和信息化工作经费');
    expect(await projects.first().textContent()).toContain('21.66');
    // the findings to name for the unit: project 16's spending beyond its budget is ticked
    const overspent = page
      .getByTestId('flag-findings')
      .locator('input[value="EXECUTED_EXCEEDS_BUDGET|国有建设用地使用权出让业务公证费"]');
    await overspent.check();
    await page.fill('#reason', '项目支出明细缺失，请补全后重新提交');
    await page.getByRole('button', { name: '退回' }).click();
    await page.waitForURL(`${sys.url}/review/evaluations/${lingshou}?done=returned`);
    expect(await page.getByTestId('flash').textContent()).toContain('已退回单位');
    expect(await state(lingshou)).toBe('returned');
    // nothing else waits in this reviewer's regions: the worklist says so
    await page.getByRole('link', { name: '审核下一份 →' }).click();
    await page.waitForURL(/\/review\?state=in_review&done=none/);
    expect(await page.getByTestId('flash').textContent()).toBe('没有等待审核的自评表了。');
    await reviewer.close();

    const unit = await browser.newContext();
    const own = await unit.newPage();
    await signIn(own, sys.url, sys.token('submitter', ['130126']), '/review');
    await own.goto(`${sys.url}/review`); // a unit starts from everything it may read, not the reviewers' queue
    expect(await own.textContent('h1')).toBe('本地区自评表');
    // the unit's own progress: one returned to it, a link to it
    await own.getByTestId('progress').locator('[data-state="returned"]').click();
    await own.waitForURL(/state=returned/);
    expect(await own.textContent('h1')).toBe('已退回');
    expect(await own.getByTestId('count').textContent()).toBe('第 1–1 条，共 1 条');
    await own.goto(`${sys.url}/review`);
    // only its own region's: 盐池's is not listed
    expect(
      await own
        .getByTestId('worklist')
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-evaluation-id'))),
    ).toEqual([lingshou]);
    await own.locator(`tr[data-evaluation-id="${lingshou}"] a`).click();
    expect(await own.getByTestId('last-reason').textContent()).toContain('项目支出明细缺失，请补全后重新提交');
    // and the finding the reviewer named, as the unit must correct it
    const named = own.getByTestId('returned-findings').locator('li');
    expect(await named.count()).toBe(1);
    expect(await named.textContent()).toContain('实际支出 28 超过预算 5');
    expect(await own.getByTestId('decisions').count()).toBe(0);
    await own.goto(`${sys.url}/review/evaluations/${planted}`);
    expect(await own.textContent('h1')).toBe('无权查看');
    await unit.close();
  });

  it('refuses, in words, a forged or stale form, an empty reason, a bad token; the API never takes the cookie', async () => {
    const yanchi = await http('POST', `${sys.url}/documents`, {
      token: sys.token('submitter', ['640323']),
      form: documentForm(SEEDS.yanchi.file),
    });
    const id = yanchi.body.evaluationIds[0];
    await waitFor('in review', async () => (await state(id)) === 'in_review');
    const cookie = await cookieFor(sys.token('reviewer', ['640000']));
    const path = `${sys.url}/review/evaluations/${id}`;
    const shown = await get(path, cookie);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('content-security-policy')).toContain("form-action 'self'");
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const csrf = formField(shown.text, 'csrf')!;
    const revision = formField(shown.text, 'revision')!;

    // a form that did not come from the workspace's pages (no token, or another session's)
    expect((await post(`${path}/approve`, cookie, { revision })).status).toBe(403);
    const other = await cookieFor(sys.token('reviewer', ['640000', '130000']));
    const forged = await post(`${path}/approve`, other, { csrf, revision });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('此表单不是从本系统的页面提交的');
    // an empty reason; a revision the case has moved past
    const empty = await post(`${path}/return`, cookie, { csrf, revision, reason: '  ' });
    expect(empty.status).toBe(400);
    expect(empty.text).toContain('请填写退回理由');
    const stale = await post(`${path}/approve`, cookie, {
      csrf,
      revision: String(Number(revision) - 1),
      comment: '同意',
    });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain('操作未执行');
    expect(stale.text).toContain(`打开时为第 ${Number(revision) - 1} 次修订，现为第 ${revision} 次修订（待审核`);
    expect(stale.text).toContain('>同意</textarea>'); // what the reviewer typed is kept
    expect(await state(id)).toBe('in_review');
    // not signed in, or a token that is not valid
    const anonymous = await post(`${path}/approve`, null, { csrf, revision });
    expect(anonymous.status).toBe(401);
    expect(anonymous.text).toContain('name="next" value="/review/evaluations/');
    const bad = await post(`${sys.url}/session/sign-in`, null, { token: 'not-a-token' });
    expect(bad.status).toBe(401);
    expect(bad.text).toContain('令牌无效');
    // a sign-in posted from another site's page is refused (it would sign the browser in as someone else)
    const elsewhere = await fetch(`${sys.url}/session/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://example.com' },
      body: new URLSearchParams({ token: sys.token('reviewer', ['640000']) }).toString(),
    });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.headers.get('set-cookie')).toBeNull();
    // sign-in goes on only to a workspace page
    const away = await post(`${sys.url}/session/sign-in`, null, {
      token: sys.token('reviewer', ['640000']),
      next: 'https://example.com/',
    });
    expect(away.headers.get('location')).toBe('/review');
    // a filter that cannot be used is dropped, saying why
    const filtered = await get(`${sys.url}/review?region=灵寿县`, cookie);
    expect(filtered.status).toBe(400);
    expect(filtered.text).toContain('筛选条件有误，已忽略：地区请填写 6 位行政区划代码');
    // the JSON API wants its bearer header: the workspace's cookie alone is no credential there
    expect((await get(`${sys.url}/evaluations/${id}`, cookie)).status).toBe(401);

    const done = await post(`${path}/return`, cookie, { csrf, revision, reason: '执行率与预算执行数不一致' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe(`/review/evaluations/${id}?done=returned`);
    expect(await state(id)).toBe('returned');
    const history = await http('GET', `${sys.url}/evaluations/${id}/history`, { token: sys.token('auditor', ['CN']) });
    expect(history.body.items.at(-1)).toMatchObject({
      action: 'return',
      reason: '执行率与预算执行数不一致',
      actor: { user: 'reviewer-640000', role: 'reviewer' },
    });
    // signing out ends the session
    const out = await post(`${sys.url}/session/sign-out`, cookie, { csrf });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/jixiao_session=;/);
  });

  it('the roster: a reviewer pastes the units expected to submit and sees who has not; a unit may not read it', async () => {
    const reviewer = await browser.newContext();
    const page = await reviewer.newPage();
    await signIn(page, sys.url, sys.token('reviewer', ['130126']), '/review');
    // from the worklist of a county and year, to its units
    await page.goto(`${sys.url}/review?state=all&region=130126&year=2022`);
    await page.getByTestId('roster-link').click();
    await page.waitForURL(/\/review\/roster\?region=130126&year=2022/);
    expect(await page.getByTestId('standing').textContent()).toContain('尚未设置应提交单位名单');
    expect(await page.getByTestId('unlisted').textContent()).toContain('灵寿县人民政府办公室');
    // pasted from a spreadsheet: a running number and a header come along
    await page.fill('#units', '序号\t单位名称\n1\t灵寿县人民政府办公室\n2\t灵寿县财政局');
    await page.getByRole('button', { name: '保存名单' }).click();
    await page.waitForURL(/done=roster/);
    expect(await page.getByTestId('flash').textContent()).toContain('名单已保存');
    expect(await page.locator('[data-field="submitted"]').textContent()).toBe('1');
    expect(await page.getByTestId('missing').locator('li').allTextContents()).toEqual(['灵寿县财政局']);
    expect(await page.getByTestId('roster').locator('tbody tr').count()).toBe(2);
    expect(await page.getByTestId('unlisted').count()).toBe(0);
    // with a deadline that has passed: the unit that submitted is late, the other overdue
    await page.fill('#deadline', '2020-01-01');
    await page.getByRole('button', { name: '保存名单' }).click();
    await page.waitForURL(/done=roster/);
    expect(await page.getByTestId('deadline').textContent()).toBe('截止日期 2020-01-01（已过）；逾期提交 1 个');
    expect(await page.getByTestId('missing').locator('strong').first().textContent()).toBe(
      '已过截止日期仍未提交的单位（1）',
    );
    expect(await page.getByTestId('roster').locator('[data-late]').count()).toBe(1);
    // the roster as a workbook, for the reminders
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('roster-export').click()]);
    expect(download.suggestedFilename()).toBe('单位填报情况-130126-2022.xlsx');
    // both times it was set, newest first, from the audit trail
    expect(await page.getByTestId('roster-changes').locator('tbody tr').allTextContents()).toEqual([
      expect.stringContaining('填报单位名单：2 个单位（此前 2 个），截止日期 2020-01-01'),
      expect.stringContaining('填报单位名单：2 个单位（此前 0 个）'),
    ]);
    // from a unit to its forms: the worklist searched by its name, whose progress strip says how the roster stands
    await page.getByTestId('roster').getByRole('link', { name: '灵寿县人民政府办公室' }).click();
    await page.waitForURL(/\/review\?state=all&region=130126&year=2022&q=/);
    expect(await page.getByTestId('roster-link').textContent()).toBe('单位填报情况：名单 2 个单位，逾期未提交 1 个');
    expect(
      await page
        .getByTestId('worklist')
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-evaluation-id'))),
    ).toEqual([lingshou]);
    await page.goto(`${sys.url}/review/roster?region=130126&year=2022`);
    // an empty roster is refused on the page, the one set is kept
    await page.fill('#units', '\n  \n');
    await page.getByRole('button', { name: '保存名单' }).click();
    expect(await page.getByTestId('error').textContent()).toContain('名单中没有任何单位名称');
    await page.goto(`${sys.url}/review/roster?region=130126&year=2022`);
    expect(await page.getByTestId('missing').locator('li').allTextContents()).toEqual(['灵寿县财政局']);
    await reviewer.close();

    const unit = await browser.newContext();
    const own = await unit.newPage();
    await signIn(own, sys.url, sys.token('submitter', ['130126']), '/review');
    const refused = await own.goto(`${sys.url}/review/roster?region=130126&year=2022`);
    expect(refused?.status()).toBe(403);
    expect(await own.getByTestId('error').textContent()).toContain('填报单位名单只供财政部门工作人员查看');
    expect(await own.getByTestId('roster').count()).toBe(0);
    await unit.close();
  });

  it('the results by region: a province’s reviewer reads each county’s forms and averages from the nav, and exports them', async () => {
    const page = await (await browser.newContext()).newPage();
    await signIn(page, sys.url, sys.token('reviewer', ['130000', '640000']), '/review');
    await page.getByRole('link', { name: '结果汇总' }).click();
    await page.waitForURL(`${sys.url}/review/summary`);
    await page.fill('input[name="year"]', '2022');
    await page.getByRole('button', { name: '汇总' }).click();
    await page.waitForURL(/\/review\/summary\?region=&year=2022/);
    const regions = await page
      .getByTestId('summary')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-region')));
    expect(regions).toEqual(['130126', '640323']);
    const lingshouRow = page.locator('tr[data-region="130126"]');
    expect(await lingshouRow.locator('[data-field="total"]').textContent()).toBe('1');
    // the total row adds up the regions' (盐池 has two forms by now: the planted one and the document)
    const totals = await page.locator('tbody [data-field="total"]').allTextContents();
    expect(totals.length).toBe(2);
    expect(await page.locator('tr[data-region="all"] [data-field="total"]').textContent()).toBe(
      String(totals.reduce((n, t) => n + Number(t), 0)),
    );
    // the kinds of problem found, each leading to the forms with it (the worklist filtered by it)
    const differs = page.locator('tr[data-finding="SCORE_DIFFERS_FROM_RULE"]');
    expect(await differs.locator('td').nth(0).textContent()).toBe('自评得分与评分规则不符');
    const withIt = Number(await differs.locator('td').nth(1).textContent());
    expect(withIt).toBeGreaterThan(0);
    await differs.getByRole('link').click();
    await page.waitForURL(/finding=SCORE_DIFFERS_FROM_RULE/);
    expect(await page.getByTestId('worklist').locator('tbody tr').count()).toBe(withIt);
    expect(await page.locator('select[name="finding"]').inputValue()).toBe('SCORE_DIFFERS_FROM_RULE');
    await page.goBack();
    // each region leads to its forms
    await lingshouRow.getByRole('link', { name: '130126' }).click();
    await page.waitForURL(/\/review\?state=all&region=130126&year=2022/);
    expect(await page.getByTestId('worklist').locator('tbody tr').count()).toBe(1);
    const xlsx = await fetch(`${sys.url}/review/summary.xlsx?year=2022`, {
      headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') },
    });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    expect(book.getWorksheet('汇总')!.getColumn(1).values.slice(2)).toEqual(['130126', '640323', '合计']);
    // a unit is sent to its own list
    const unit = await (await browser.newContext()).newPage();
    await signIn(unit, sys.url, sys.token('submitter', ['130126']), '/review');
    const refused = await unit.goto(`${sys.url}/review/summary`);
    expect(refused?.status()).toBe(403);
    await unit.close();
    await page.close();
  });
});
