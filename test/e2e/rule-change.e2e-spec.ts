import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample } from '@jixiao/runtime/testing/prometheus-text';
import { http } from './support/http';
import { form, lingshou90 } from './support/lingshou-forms';
import { startSystem, type TestSystem, waitFor } from './support/system';

/**
 * A bureau changes its rules on the running system: the consequences flow through the normal pipeline. A published
 * evaluation whose grade changes goes back to review with the reason and is marked revised on the public pages; the
 * others stay as they were.
 */
describe.each(['sqlite', 'postgres'] as const)('a rule change on the running system (%s)', (db) => {
  let sys: TestSystem;
  const ids: Record<number, string> = {};
  const TOTALS = [87, 92, 80];
  const auditor = () => sys.token('auditor', ['CN']);
  const admin = () => sys.token('rule_admin', ['130126']);
  const stateOf = async (id: string) => (await http('GET', `${sys.url}/evaluations/${id}`, { token: auditor() })).body?.state;

  beforeAll(async () => {
    sys = await startSystem({ db });
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('publishes three 灵寿 evaluations a reviewer approved', async () => {
    for (const [n, total] of TOTALS.entries()) {
      const res = await http('POST', `${sys.url}/evaluations`, { token: sys.token('submitter', ['130126']), json: form(total, n) });
      expect(res.status, res.text).toBe(201);
      ids[total] = res.body.evaluationIds[0];
    }
    for (const total of TOTALS) {
      const id = ids[total];
      await waitFor(`${total} in review`, async () => (await stateOf(id)) === 'in_review');
      const res = await http('POST', `${sys.url}/evaluations/${id}/approve`, { token: sys.token('reviewer', ['130126']), json: {} });
      expect(res.status, res.text).toBe(200);
      await waitFor(`${total} published`, async () => (await stateOf(id)) === 'published');
    }
    const page = await http('GET', `${sys.url}/public/130126/2023.json`);
    const grades = Object.fromEntries(page.body.evaluations.map((e: { total: number; grade: string }) => [e.total, e.grade]));
    expect(grades).toEqual({ 87: '优秀', 92: '优秀', 80: '良好' });
  });

  it('previews, then activates 优秀 ≥ 90: only the 87 goes back to review, with why, and is marked revised', async () => {
    const draft = await http('POST', `${sys.url}/rule-sets/130126/versions`, { token: admin(), json: lingshou90() });
    expect(draft.status, draft.text).toBe(201);
    const v = draft.body.version;
    const rescored = async (kind: string) => sample((await http('GET', `${sys.url}/metrics`)).text, 'jixiao_rescore_evaluations_total', { kind }) ?? 0;
    const before = { impact: await rescored('impact'), activation: await rescored('activation') };
    const impact = await http('POST', `${sys.url}/rule-sets/130126/versions/${v}/impact`, { token: admin() });
    const report = await waitFor('the impact report', async () => {
      const run = (await http('GET', `${sys.url}/rescoring-runs/${impact.body.runId}`, { token: auditor() })).body;
      return run.status === 'completed' && run.report;
    });
    expect(report.changed.map((c: { evaluationId: string }) => c.evaluationId)).toEqual([ids[87]]);

    const act = await http('POST', `${sys.url}/rule-sets/130126/versions/${v}/activate`, { token: admin(), json: { reason: '灵财〔2024〕1号: 优秀 ≥ 90' } });
    expect(act.status, act.text).toBe(202);
    await waitFor('the run to complete', async () => (await http('GET', `${sys.url}/rescoring-runs/${act.body.runId}`, { token: auditor() })).body.status === 'completed');
    // /metrics counts what the two runs re-scored
    const runs = await Promise.all(
      [impact.body.runId, act.body.runId].map(async (id) => (await http('GET', `${sys.url}/rescoring-runs/${id}`, { token: auditor() })).body),
    );
    expect(runs.map((r) => r.done)).toEqual([expect.any(Number), expect.any(Number)]);
    expect(runs[1].done).toBeGreaterThan(0);
    expect((await rescored('impact')) - before.impact).toBe(runs[0].done);
    expect((await rescored('activation')) - before.activation).toBe(runs[1].done);

    await waitFor('87 back in review', async () => (await stateOf(ids[87])) === 'in_review');
    const history = await http('GET', `${sys.url}/evaluations/${ids[87]}/history`, { token: auditor() });
    expect(history.text).toContain('优秀 → 良好');
    const detail = (await http('GET', `${sys.url}/evaluations/${ids[87]}`, { token: auditor() })).body;
    expect(JSON.stringify(detail)).toContain('良好');

    // the page shows the re-scored grade as a revision, with the earlier one kept
    await waitFor('the public page revised', async () => {
      const page = await http('GET', `${sys.url}/public/evaluations/${ids[87]}`);
      return page.status === 200 && page.text.includes('良好') && page.text.includes('优秀') && page.text.includes('重新评分');
    });
    expect(await stateOf(ids[92])).toBe('published');
    expect(await stateOf(ids[80])).toBe('published');

    // a reviewer approves the new grade: it is published again
    const approve = await http('POST', `${sys.url}/evaluations/${ids[87]}/approve`, { token: sys.token('reviewer', ['130126']), json: {} });
    expect(approve.status, approve.text).toBe(200);
    await waitFor('87 published again', async () => (await stateOf(ids[87])) === 'published');
    const page = await http('GET', `${sys.url}/public/130126/2023.json`);
    const grades = Object.fromEntries(page.body.evaluations.map((e: { total: number; grade: string }) => [e.total, e.grade]));
    expect(grades).toEqual({ 87: '良好', 92: '优秀', 80: '良好' });
    const verify = await http('GET', `${sys.url}/audit/verify`, { token: auditor() });
    expect(verify.body.ok, verify.text).toBe(true);
  });
});
