import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from './support/browser';
import { http } from './support/http';
import { form, lingshou90 } from './support/lingshou-forms';
import { startSystem, type TestSystem, waitFor } from './support/system';

/**
 * A rule admin changes 灵寿's 优秀 cutoff from 85 to 90 in a browser (/rules): uploads the draft, reads what it
 * changes, previews the impact (exactly the evaluation between 85 and 90 changes grade), activates it with a reason
 * and watches the re-scoring run complete.
 */
describe('rule-set pages', () => {
  let sys: TestSystem;
  let browser: Browser;
  const ids: Record<number, string> = {};
  const auditor = () => sys.token('auditor', ['CN']);
  const evaluation = async (id: string) =>
    (await http('GET', `${sys.url}/evaluations/${id}`, { token: auditor() })).body;

  /** The run page reloads itself while the run goes on (a Refresh header); wait for it to say it completed. */
  async function completed(page: Page): Promise<void> {
    await waitFor('the run to complete', async () => {
      await page.reload();
      return (await page.locator('h1 [data-status]').getAttribute('data-status')) === 'completed';
    });
  }

  beforeAll(async () => {
    sys = await startSystem({ db: 'sqlite' });
    for (const [n, total] of [87, 92, 80].entries()) {
      const res = await http('POST', `${sys.url}/evaluations`, {
        token: sys.token('submitter', ['130126']),
        json: form(total, n),
      });
      expect(res.status, res.text).toBe(201);
      ids[total] = res.body.evaluationIds[0];
    }
    for (const id of Object.values(ids))
      await waitFor(`${id} scored`, async () => (await evaluation(id))?.score?.grade);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('upload a draft, read its change, preview its impact, activate it with a reason; only the 85–90 evaluation changes grade', async () => {
    expect((await evaluation(ids[87])).score.grade).toBe('优秀');
    const page = await (await browser.newContext()).newPage();
    await signIn(page, sys.url, sys.token('rule_admin', ['130126']), '/rules');
    expect(await page.locator('tr[data-rule-set="130126"]').textContent()).toContain('灵寿县');
    await page.click('a[href="/rules/130126"]');

    await page.setInputFiles('input[type=file]', {
      name: '130126.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(lingshou90())),
    });
    await page.getByRole('button', { name: '上传' }).click();
    await page.waitForURL(`${sys.url}/rules/130126?to=2`);
    expect(await page.locator('tr[data-version="2"] [data-status]').getAttribute('data-status')).toBe('draft');
    const band = page.getByTestId('diff').locator('li[data-kind="band"]').first();
    expect(await band.textContent()).toMatch(/优秀.*85.*90/);

    await page.getByRole('button', { name: '预览' }).click();
    await page.waitForURL(/\/rules\/runs\/run_[^/?]+\?done=impact$/);
    await completed(page);
    expect(await page.locator('[data-field="rescored"]').textContent()).toBe('3');
    const changed = await page
      .getByTestId('changed')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-evaluation-id')));
    expect(changed).toEqual([ids[87]]);
    expect(await page.getByTestId('changed').textContent()).toContain('优秀 → 良好');
    expect((await evaluation(ids[87])).score.grade).toBe('优秀'); // a preview writes nothing

    await page.goto(`${sys.url}/rules/130126`);
    await page.fill('#reason', '优秀 from 90 (灵财〔2024〕1号)');
    await page.getByRole('button', { name: '启用' }).click();
    await page.waitForURL(/\/rules\/runs\/run_[^/?]+\?done=activated$/);
    await completed(page);
    expect(await page.locator('.meta').textContent()).toContain('优秀 from 90 (灵财〔2024〕1号)');
    await waitFor('re-scored', async () => (await evaluation(ids[87])).score.grade === '良好');
    expect((await evaluation(ids[92])).score.grade).toBe('优秀');
    expect((await evaluation(ids[80])).score.grade).toBe('良好');
    await page.goto(`${sys.url}/rules/130126`);
    expect(await page.locator('tr[data-version="2"] [data-status]').getAttribute('data-status')).toBe('active');
    expect(await page.locator('tr[data-version="1"] [data-status]').getAttribute('data-status')).toBe('retired');
  });

  it('refuses a draft with errors, naming where, and what the caller may not do', async () => {
    const admin = await (await browser.newContext()).newPage();
    await signIn(admin, sys.url, sys.token('rule_admin', ['130126']), '/rules/130126');
    const upload = async (name: string, content: string) => {
      await admin.setInputFiles('input[type=file]', {
        name,
        mimeType: 'application/json',
        buffer: Buffer.from(content),
      });
      const [response] = await Promise.all([
        admin.waitForResponse((r) => r.request().method() === 'POST'),
        admin.getByRole('button', { name: '上传' }).click(),
      ]);
      await admin.waitForLoadState();
      return response.status();
    };
    expect(await upload('130126.json', '{ "id": "130126", ')).toBe(422);
    expect(await admin.getByTestId('error').textContent()).toContain('不是有效的 JSON');
    const bad = lingshou90();
    bad.grades[0].conditions.all[0].value = 'ninety';
    expect(await upload('130126.json', JSON.stringify(bad))).toBe(422);
    // each problem where it is (JSON path, line) and what, in Chinese
    const issues = await admin.getByTestId('issues').textContent();
    expect(issues).toMatch(
      /\$\.grades\[0\]\.conditions\.all\[0\]\.value（第 \d+ 行）：运算符 “greaterThanInclusive” 的值须为数字/,
    );
    expect(issues).not.toContain('expected');
    // over the size limit: refused before it is read, as a page
    expect(await upload('130126.json', ' '.repeat(1100 * 1024))).toBe(413);
    expect(await admin.getByTestId('error').textContent()).toContain('KB，未保存');
    await admin.goto(`${sys.url}/rules/130126`);
    expect(await admin.locator('tr[data-version]').count()).toBe(2); // nothing stored

    // a reviewer reads the rules without forms; a unit does not see them; another region's admin cannot change them
    const reviewer = await (await browser.newContext()).newPage();
    await signIn(reviewer, sys.url, sys.token('reviewer', ['130126']), '/rules/130126');
    expect(await reviewer.locator('form[enctype]').count()).toBe(0);
    expect(await reviewer.textContent('main')).toContain('只有本地区的规则管理员');
    const unit = await (await browser.newContext()).newPage();
    await signIn(unit, sys.url, sys.token('submitter', ['130126']), '/rules');
    expect(await unit.textContent('h1')).toBe('无权查看');
    const other = await (await browser.newContext()).newPage();
    await signIn(other, sys.url, sys.token('rule_admin', ['341522']), '/rules/130126');
    await other.setInputFiles('input[type=file]', {
      name: '130126.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(lingshou90())),
    });
    await other.getByRole('button', { name: '上传' }).click();
    await other.waitForLoadState();
    expect(await other.getByTestId('error').textContent()).toContain('无权执行此操作');
  });

  it('a rule admin moves a grade cutoff with numbers, not JSON: a draft whose change reads 优秀 90 → 88; a cutoff out of order is refused', async () => {
    const admin = await (await browser.newContext()).newPage();
    await signIn(admin, sys.url, sys.token('rule_admin', ['130126']), '/rules/130126');
    const form = admin.getByTestId('cutoffs-form');
    // the bands in force (v2 made 优秀 start at 90), best first; the lowest has no cutoff to set
    expect(
      await form
        .locator('input[data-grade]')
        .evaluateAll((inputs) =>
          inputs.map((i) => [i.getAttribute('data-grade'), (i as unknown as { value: string }).value]),
        ),
    ).toEqual([
      ['优秀', '90'],
      ['良好', '75'],
      ['一般', '60'],
    ]);
    // out of order: refused, saying which, what was typed kept, nothing stored
    await form.locator('input[data-grade="良好"]').fill('95');
    await form.getByRole('button', { name: '保存为草稿' }).click();
    await admin.waitForLoadState();
    expect(await admin.getByTestId('issues').textContent()).toContain('良好的分数线（95）须低于优秀（90）');
    expect(await admin.getByTestId('cutoffs-form').locator('input[data-grade="良好"]').inputValue()).toBe('95');
    expect(await admin.locator('tr[data-version]').count()).toBe(2);
    // 优秀 from 88: a draft, its change in the domain's terms
    await admin.getByTestId('cutoffs-form').locator('input[data-grade="良好"]').fill('75');
    await admin.getByTestId('cutoffs-form').locator('input[data-grade="优秀"]').fill('88');
    await admin.getByTestId('cutoffs-form').getByRole('button', { name: '保存为草稿' }).click();
    await admin.waitForURL(`${sys.url}/rules/130126?to=3`);
    expect(await admin.locator('tr[data-version="3"] [data-status]').getAttribute('data-status')).toBe('draft');
    const band = admin.getByTestId('diff').locator('li[data-kind="band"]').first();
    expect(await band.textContent()).toMatch(/优秀.*90.*88/);
    // adjusting again edits that draft rather than adding another
    await admin.getByTestId('cutoffs-form').locator('input[data-grade="优秀"]').fill('87');
    await admin.getByTestId('cutoffs-form').getByRole('button', { name: '保存为草稿' }).click();
    await admin.waitForURL(`${sys.url}/rules/130126?to=3`);
    expect(await admin.locator('tr[data-version]').count()).toBe(3);
    expect(await admin.getByTestId('diff').locator('li[data-kind="band"]').first().textContent()).toMatch(
      /优秀.*90.*87/,
    );
    // the qualitative tiers the same way (as 盐池 has them: 部分达成 from 50%, defaults 65% and 25%), into the same draft
    const tiers = admin.getByTestId('tiers-form');
    expect(await tiers.locator('[data-tier="partly-achieved"] input[data-field="from"]').inputValue()).toBe('60');
    await tiers.locator('[data-tier="partly-achieved"] input[data-field="default"]').fill('90');
    await tiers.getByRole('button', { name: '保存为草稿' }).click();
    await admin.waitForLoadState();
    expect(await admin.getByTestId('issues').textContent()).toContain('默认得分率 90% 不在本档 60%–80% 之内');
    const again = admin.getByTestId('tiers-form');
    expect(await again.locator('[data-tier="partly-achieved"] input[data-field="default"]').inputValue()).toBe('90');
    await again.locator('[data-tier="partly-achieved"] input[data-field="from"]').fill('50');
    await again.locator('[data-tier="partly-achieved"] input[data-field="default"]').fill('65');
    await again.locator('[data-tier="not-achieved"] input[data-field="default"]').fill('25');
    await again.getByRole('button', { name: '保存为草稿' }).click();
    await admin.waitForURL(`${sys.url}/rules/130126?to=3`);
    expect(await admin.locator('tr[data-version]').count()).toBe(3);
    const tierChanges = await admin.getByTestId('diff').locator('li[data-kind="tier"]').allTextContents();
    expect(tierChanges.join('\n')).toMatch(/部分达成预期指标并具有一定效果/);
    expect(tierChanges.join('\n')).toMatch(/50/);
    // a reviewer is not offered the forms
    const reviewer = await (await browser.newContext()).newPage();
    await signIn(reviewer, sys.url, sys.token('reviewer', ['130126']), '/rules/130126');
    expect(await reviewer.getByTestId('cutoffs-form').count()).toBe(0);
    expect(await reviewer.getByTestId('tiers-form').count()).toBe(0);
  });
});
