import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/browser';
import { http } from './support/http';
import { startSystem, type TestSystem, waitFor } from './support/system';

const SCRIPT = '<script>window.__pwned = 1</script>';

/** The public pages in a real headless Chromium, and the escaping of text that came from documents. */
describe('public pages', () => {
  let sys: TestSystem;
  let browser: Browser;
  let evaluationId: string;

  beforeAll(async () => {
    sys = await startSystem({ db: 'sqlite' });
    const json = JSON.parse(readFileSync(join(__dirname, '../../rules/golden/huoqiu-2022.input.json'), 'utf8'));
    const [first, second] = json.evaluations ?? [json];
    const planted = {
      ...first,
      projectName: `电子政务${SCRIPT}专项经费`,
      unitName: `"><img src=x onerror="window.__pwned=2">霍邱县人民政府办公室`,
      indicators: first.indicators.map((i: { name: string }, n: number) => (n === 0 ? { ...i, name: `${i.name}${SCRIPT}` } : i)),
    };
    const res = await http('POST', `${sys.url}/evaluations`, { token: sys.token('submitter', ['341522']), json: { evaluations: [planted, second] } });
    expect(res.status, res.text).toBe(201);
    evaluationId = res.body.evaluationIds[0];
    await waitFor('both published', async () => (await http('GET', `${sys.url}/public/341522/2022.json`)).body?.evaluations?.length === 2);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await sys?.close();
  });

  it('shows the results table and the grade chart in a browser', async () => {
    const page = await browser.newPage();
    await page.goto(`${sys.url}/public/341522/2022`);
    const table = page.getByTestId('results-table');
    await expect(table.isVisible()).resolves.toBe(true);
    const rows = await table.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(2);
    expect(rows.join('\n')).toContain('95.16');
    expect(rows.join('\n')).toContain('100');
    const chart = page.getByTestId('grade-chart');
    await expect(chart.isVisible()).resolves.toBe(true);
    expect(await chart.evaluate((el) => el.outerHTML)).toMatch(/<svg|<rect/);
    expect(await chart.textContent()).toContain('优');
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await page.close();
  });

  it('escapes planted markup on every page and in the data', async () => {
    for (const path of [`/public/341522/2022`, `/public/evaluations/${evaluationId}`]) {
      const res = await http('GET', `${sys.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain(SCRIPT);
      expect(res.text).not.toContain('<img src=x');
      expect(res.text).toContain('&lt;script&gt;');
    }
    const page = await browser.newPage();
    await page.goto(`${sys.url}/public/evaluations/${evaluationId}`);
    expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.textContent('body')).toContain(SCRIPT); // shown as text, not run
    await page.close();
    const json = await http('GET', `${sys.url}/public/341522/2022.json`);
    expect(JSON.stringify(json.body)).toContain('<script>'); // data stays data; JSON is not HTML
    const csv = await http('GET', `${sys.url}/public/341522/2022.csv`);
    expect(csv.status).toBe(200);
    expect(csv.text).toContain('95.16');
    // the workbook: the same rows as the JSON, the planted name as a plain string cell
    const xlsx = await fetch(`${sys.url}/public/341522/2022.xlsx`);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toMatch(/^application\/vnd\.openxmlformats-officedocument\.spreadsheetml\.sheet/);
    expect(xlsx.headers.get('content-disposition')).toBe('attachment; filename="341522-2022.xlsx"');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    const sheet = book.getWorksheet('评价结果')!;
    expect(sheet.rowCount - 1).toBe(json.body.evaluations.length);
    const cells = sheet.getSheetValues().flatMap((r) => (Array.isArray(r) ? r : []));
    expect(cells).toContain(95.16);
    expect(cells.some((c) => typeof c === 'string' && c.includes(SCRIPT))).toBe(true);
    expect((await http('GET', `${sys.url}/public/341522/1999.xlsx`)).status).toBe(404);
  });
});
