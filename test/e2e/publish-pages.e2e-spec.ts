import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, signIn } from './support/browser';
import { http } from './support/http';
import { startSystem, type TestSystem, waitFor } from './support/system';

/**
 * 公开管理 in a browser: a reviewer finds a published evaluation from its page in the workspace, retracts its
 * publication with a reason, and the retraction reaches the public pages (publication) and the case (review, through
 * the queue).
 */
describe('publication management pages', () => {
  let sys: TestSystem;
  let browser: Browser;
  let ids: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the golden input, sent as it is
  let json: any;
  const auditor = () => sys.token('auditor', ['CN']);

  beforeAll(async () => {
    sys = await startSystem({ db: 'sqlite' });
    json = JSON.parse(readFileSync(join(__dirname, '../../rules/golden/huoqiu-2022.input.json'), 'utf8'));
    const res = await http('POST', `${sys.url}/evaluations`, { token: sys.token('submitter', ['341522']), json });
    expect(res.status, res.text).toBe(201);
    ids = res.body.evaluationIds;
    await waitFor(
      'both published',
      async () => (await http('GET', `${sys.url}/public/341522/2022.json`)).body?.evaluations?.length === 2,
    );
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('a reviewer retracts a publication from the workspace; the public page and the case say 已撤回', async () => {
    const [id, other] = ids;
    await waitFor(
      'the case published',
      async () => (await http('GET', `${sys.url}/evaluations/${id}`, { token: auditor() })).body?.state === 'published',
    );
    const page = await (await browser.newContext()).newPage();
    await signIn(page, sys.url, sys.token('reviewer', ['341522']), `/review/evaluations/${id}`);
    await page.getByTestId('publish-link').click();
    await page.waitForURL(`${sys.url}/publish/evaluations/${id}`);
    expect(await page.locator('h1 [data-status]').getAttribute('data-status')).toBe('已发布');

    // the browser keeps an empty reason from being sent (required); the server refuses one of spaces too
    const posted: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') posted.push(r.url());
    });
    await page.getByRole('button', { name: '撤回公开' }).click();
    expect(
      await page
        .locator('#reason')
        .evaluate((el) => (el as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing),
    ).toBe(true);
    expect(posted).toEqual([]);
    await page.fill('#reason', '   ');
    await page.getByRole('button', { name: '撤回公开' }).click();
    await page.waitForLoadState();
    expect(await page.getByTestId('error').textContent()).toContain('请填写撤回理由');

    await page.fill('#reason', '项目绩效目标填报有误，待单位更正后重新公开');
    await page.getByRole('button', { name: '撤回公开' }).click();
    await page.waitForURL(`${sys.url}/publish/evaluations/${id}?done=retracted`);
    expect(await page.getByTestId('flash').textContent()).toContain('已撤回公开');
    expect(await page.getByTestId('retraction').textContent()).toContain('项目绩效目标填报有误');
    expect(await page.getByTestId('retract-form').count()).toBe(0);

    // the list: one retracted, one in force
    await page.goto(`${sys.url}/publish?region=341522`);
    expect(await page.locator(`tr[data-evaluation-id="${id}"] [data-status]`).getAttribute('data-status')).toBe(
      '已撤回',
    );
    expect(await page.locator(`tr[data-evaluation-id="${other}"] [data-status]`).getAttribute('data-status')).toBe(
      '已发布',
    );
    expect(await page.locator('[data-count="retracted"] strong').textContent()).toBe('1');

    // the public page, and the case in review (the retraction crossed the queue)
    await page.getByTestId('publish-counts').locator('[data-count="retracted"]').click();
    await page.locator(`tr[data-evaluation-id="${id}"] a[href^="/publish/evaluations/"]`).click();
    await page.getByTestId('public-link').click();
    expect(await page.getByTestId('retraction').textContent()).toContain('项目绩效目标填报有误');
    await waitFor(
      'the case retracted',
      async () => (await http('GET', `${sys.url}/evaluations/${id}`, { token: auditor() })).body?.state === 'retracted',
    );
    await page.goto(`${sys.url}/review/evaluations/${id}`);
    expect(await page.locator('h1').textContent()).toContain('已撤回');
    expect(await page.getByTestId('last-reason').textContent()).toContain('撤回理由：项目绩效目标填报有误');
    await page.close();

    // the unit reads why on its page and sends the corrected form from there; once approved it is published as the
    // form in force, and the withdrawn one's public page leads to it
    const unit = await (await browser.newContext()).newPage();
    await signIn(unit, sys.url, sys.token('submitter', ['341522']), `/review/evaluations/${id}`);
    expect(await unit.getByTestId('last-reason').textContent()).toContain('项目绩效目标填报有误');
    await unit.getByTestId('correct').getByRole('link', { name: '提交更正版本' }).click();
    await unit.waitForURL(`${sys.url}/submit?corrects=${id}`);
    const [first] = json.evaluations ?? [json];
    await unit.setInputFiles('#file', {
      name: 'corrected.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(first)),
    });
    await unit.getByRole('button', { name: '提交' }).click();
    await unit.waitForLoadState();
    const corrected = await unit.locator('[data-evaluation-id]').first().getAttribute('data-evaluation-id');
    expect(corrected).toMatch(/^ev_/);
    expect(corrected).not.toBe(id);
    await waitFor(
      'the corrected version published',
      async () =>
        (await http('GET', `${sys.url}/evaluations/${corrected}`, { token: auditor() })).body?.state === 'published',
    );
    await unit.goto(`${sys.url}/public/evaluations/${id}`);
    await unit.getByTestId('replaced-by').click();
    await unit.waitForURL(`${sys.url}/public/evaluations/${corrected}`);
    expect(await unit.locator('h1 [data-status]').getAttribute('data-status')).toBe('已发布');
    const region = await http('GET', `${sys.url}/public/341522/2022.json`);
    const inForce = region.body.evaluations.filter((e: { status: string }) => e.status === 'published');
    expect(inForce.map((e: { evaluationId: string }) => e.evaluationId).sort()).toEqual([corrected, other].sort());
    await unit.close();
  });
});
