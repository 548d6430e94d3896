import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from './support/browser';
import { http } from './support/http';
import { SEEDS } from './support/seeds';
import { startSystem, type TestSystem, waitFor } from './support/system';

const UNIT = '灵寿县人民政府办公室';

/** The units' submission page (/submit) in a real headless Chromium: submit, follow, be returned, correct. */
describe('submission page', () => {
  let sys: TestSystem;
  let browser: Browser;
  const auditor = () => sys.token('auditor', ['CN']);
  const state = async (id: string) =>
    (await http('GET', `${sys.url}/evaluations/${id}`, { token: auditor() })).body?.state;
  const stored = async () =>
    (await http('GET', `${sys.url}/evaluations?pageSize=100`, { token: auditor() })).body.total as number;

  /** Uploads through the page's form, as a person would. */
  async function upload(
    page: Page,
    file: { name: string; buffer: Buffer },
    fields: { region?: string; year?: string } = {},
  ) {
    await page.setInputFiles('#file', { name: file.name, mimeType: 'application/octet-stream', buffer: file.buffer });
    if (fields.region) await page.fill('#region', fields.region);
    if (fields.year) await page.fill('#year', fields.year);
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST'),
      page.getByRole('button', { name: '提交' }).click(),
    ]);
    await page.waitForLoadState();
    return response.status();
  }

  beforeAll(async () => {
    sys = await startSystem({ db: 'sqlite' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('a unit submits its document, is returned, and submits the corrected version from the returned one’s page', async () => {
    const unit = await (await browser.newContext()).newPage();
    await signIn(unit, sys.url, sys.token('submitter', ['130126'], UNIT), '/submit');
    const seed = readFileSync(SEEDS.lingshou.file);
    expect(await upload(unit, { name: '灵寿县2022年度部门整体绩效自评.txt', buffer: seed })).toBe(201);
    expect(await unit.getByTestId('flash').textContent()).toContain(
      '已收到 灵寿县2022年度部门整体绩效自评.txt 中的 1 张自评表',
    );
    const row = unit.getByTestId('received').locator('tbody tr');
    expect(await row.count()).toBe(1);
    const id = (await row.getAttribute('data-evaluation-id'))!;
    expect(await row.textContent()).toContain(UNIT);
    expect(await row.textContent()).toContain('130126');
    // the reader's notes, in the unit's words (the region was not given: it was read from the text)
    const notes = await unit.getByTestId('diagnostics').textContent();
    expect(notes).toContain('从文中识别出地区：灵寿县（130126）');
    expect(notes).not.toContain('recognised');
    await waitFor('in review', async () => (await state(id)) === 'in_review');

    // the reviewer returns it (in the workspace, through its form)
    const reviewer = await (await browser.newContext()).newPage();
    await signIn(reviewer, sys.url, sys.token('reviewer', ['130126']), '/review');
    await reviewer.goto(`${sys.url}/review/evaluations/${id}`);
    await reviewer.fill('#reason', '项目支出明细缺失，请补全后重新提交');
    await reviewer.getByRole('button', { name: '退回' }).click();
    await reviewer.waitForURL(/done=returned/);

    // the unit follows the link from what it submitted, reads why, and corrects it from there
    await unit.click(`a[href="/review/evaluations/${id}"]`);
    await unit.waitForURL(`${sys.url}/review/evaluations/${id}`);
    expect(await unit.getByTestId('last-reason').textContent()).toContain('项目支出明细缺失');
    // the document as it was uploaded, from the evaluation's page (and through the API, for readers of the region)
    const [download] = await Promise.all([unit.waitForEvent('download'), unit.getByTestId('document').click()]);
    expect(download.suggestedFilename()).toBe('灵寿县2022年度部门整体绩效自评.txt');
    expect(readFileSync((await download.path())!)).toEqual(seed);
    const api = await fetch(`${sys.url}/documents/${id}`, {
      headers: { authorization: `Bearer ${sys.token('reviewer', ['130000'])}` },
    });
    expect(api.status).toBe(200);
    expect(api.headers.get('content-disposition')).toContain("filename*=UTF-8''");
    expect(Buffer.from(await api.arrayBuffer())).toEqual(seed);
    const elsewhere = await fetch(`${sys.url}/documents/${id}`, {
      headers: { authorization: `Bearer ${sys.token('reviewer', ['640000'])}` },
    });
    expect(elsewhere.status).toBe(403);
    await unit.getByRole('link', { name: '提交更正版本' }).click();
    await unit.waitForURL(`${sys.url}/submit?corrects=${id}`);
    expect(await unit.getByTestId('corrects').textContent()).toContain(id);
    expect(await upload(unit, { name: '灵寿县2022年度部门整体绩效自评（更正）.txt', buffer: seed })).toBe(201);
    const corrected = unit.getByTestId('received').locator('tbody tr');
    expect(await corrected.textContent()).toContain(`2（更正 ${id}）`);
    const v2 = (await corrected.getAttribute('data-evaluation-id'))!;
    await waitFor('the corrected version in review', async () => (await state(v2)) === 'in_review');
    // the reviewer sees first that the unit sent the same form again
    await reviewer.goto(`${sys.url}/review/evaluations/${v2}`);
    expect(await reviewer.getByTestId('changes').textContent()).toContain(
      '单位填写的内容与第 1 版完全相同，未作任何改动',
    );
    const versions = await http('GET', `${sys.url}/evaluations/${v2}`, { token: auditor() });
    expect(versions.body).toMatchObject({ version: 2, previousVersionId: id });
    await unit.goto(`${sys.url}/review/evaluations/${id}`);
    expect(await unit.getByTestId('versions').textContent()).toContain('第 2 版');
    expect(await unit.getByTestId('correct').count()).toBe(0); // corrected already
  });

  it('refuses what cannot be stored, saying what and where, and stores nothing', async () => {
    const unit = await (await browser.newContext()).newPage();
    await signIn(unit, sys.url, sys.token('submitter', ['130126']), '/submit');
    const before = await stored();
    expect(await upload(unit, { name: 'notes.txt', buffer: Buffer.from('会议纪要\n今天天气很好。\n') })).toBe(422);
    // in the unit's words throughout: what was looked for, and nothing in English
    const unreadable = await unit.getByTestId('error').textContent();
    expect(unreadable).toContain('未能从文件中读出自评表，未保存任何内容：notes.txt：未找到项目支出绩效自评表');
    expect(unreadable).not.toMatch(/[a-z]{4,} [a-z]{2,}/);
    expect(await upload(unit, { name: 'scan.pdf', buffer: Buffer.from('%PDF-1.4') })).toBe(400);
    expect(await unit.getByTestId('error').textContent()).toContain('scan.pdf：不支持这种文件类型');
    // what was typed stays in the form
    expect(
      await upload(unit, { name: 'notes.txt', buffer: Buffer.from('x') }, { region: '灵寿县', year: '2022' }),
    ).toBe(422);
    expect(await unit.inputValue('#region')).toBe('灵寿县');
    expect(await unit.inputValue('#year')).toBe('2022');
    // another region's form (the fields left empty: its region is read from it): the policy's refusal
    await unit.goto(`${sys.url}/submit`);
    expect(await upload(unit, { name: 'yanchi.txt', buffer: readFileSync(SEEDS.yanchi.file) })).toBe(403);
    expect(await unit.getByTestId('error').textContent()).toContain(
      '无权提交：本账号是地区 130126 的填报单位，不能为地区 640323 提交或查看',
    );
    // over the size limit: refused before it is read, shown as a page, not JSON
    const big = await upload(unit, { name: 'big.txt', buffer: Buffer.alloc(11 * 1024 * 1024, 'a') });
    expect(big).toBe(413);
    expect(await unit.getByTestId('error').textContent()).toContain('MB，未保存');
    expect(await stored()).toBe(before);
  });

  it('the same form posted twice (a double click, a refreshed page) stores the forms once', async () => {
    const unit = await (await browser.newContext()).newPage();
    await signIn(unit, sys.url, sys.token('submitter', ['341522']), '/submit');
    const cookie = (await unit.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const field = (name: string) => unit.inputValue(`input[name="${name}"]`);
    const [csrf, formKey] = [await field('csrf'), await field('formKey')];
    expect(formKey).toMatch(/^[0-9a-f-]{36}$/);
    const post = async (file: Buffer, fields: Record<string, string> = {}) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ csrf, formKey, ...fields })) form.append(k, v);
      form.append('file', new Blob([file]), 'huoqiu.txt');
      const res = await fetch(`${sys.url}/submit`, { method: 'POST', headers: { cookie }, body: form });
      const page = await res.text();
      return { status: res.status, ids: [...page.matchAll(/data-evaluation-id="([^"]+)"/g)].map((m) => m[1]), page };
    };
    const before = await stored();
    const seed = readFileSync(SEEDS.huoqiu.file);
    const [first, second] = await Promise.all([post(seed), post(seed)]);
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(first.ids).toHaveLength(2); // 霍邱's document holds two forms
    expect(second.ids).toEqual(first.ids);
    // one of the two says it stored nothing this time
    expect([first.page, second.page].filter((p) => p.includes('data-testid="replayed"'))).toHaveLength(1);
    const again = await post(seed);
    expect(again.ids).toEqual(first.ids);
    expect(again.page).toContain('这次没有重复保存');
    await waitFor('both forms listed', async () => (await stored()) === before + 2);
    // another file sent from the same form (back, then another file) is a submission of its own
    const other = await post(Buffer.concat([seed, Buffer.from('\n')]));
    expect(other.status).toBe(201);
    expect(other.ids).not.toEqual(first.ids);
    expect(other.page).not.toContain('data-testid="replayed"');
    await waitFor('four forms listed', async () => (await stored()) === before + 4);
    // the same file with other fields filled in (back, change the year, send): a submission of its own too
    const refilled = await post(seed, { year: '2022' });
    expect(refilled.status).toBe(201);
    expect(refilled.page).not.toContain('data-testid="replayed"');
    expect(refilled.ids).not.toEqual(first.ids);
    // a form key that is not one the page made is not used as a key (the post is taken, unprotected)
    const odd = new FormData();
    for (const [k, v] of Object.entries({ csrf, formKey: 'x'.repeat(300) })) odd.append(k, v);
    odd.append('file', new Blob([seed]), 'huoqiu.txt');
    expect((await fetch(`${sys.url}/submit`, { method: 'POST', headers: { cookie }, body: odd })).status).toBe(201);
  });

  it('only units see the form; a form posted from elsewhere is refused', async () => {
    const reviewer = await (await browser.newContext()).newPage();
    await signIn(reviewer, sys.url, sys.token('reviewer', ['130126']), '/submit');
    expect(await reviewer.getByTestId('not-submitter').textContent()).toContain('只有填报单位可以提交');
    // one session signs in for both areas: the unit signed in at /submit reads the workspace without signing in again
    const cookie = (
      await fetch(`${sys.url}/session/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: sys.token('submitter', ['130126']) }).toString(),
      })
    ).headers
      .get('set-cookie')!
      .split(';')[0];
    expect((await fetch(`${sys.url}/review?state=all`, { headers: { cookie } })).status).toBe(200);
    const form = new FormData();
    form.append('file', new Blob([readFileSync(SEEDS.lingshou.file)]), 'lingshou.txt');
    const forged = await fetch(`${sys.url}/submit`, { method: 'POST', headers: { cookie }, body: form });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('此表单不是从本系统的页面提交的');
  });
});
