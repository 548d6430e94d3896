import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentForm, http } from './support/http';
import { SEEDS } from './support/seeds';
import { dropAuditGuards, withServiceDb } from './support/sql';
import { startSystem, type TestSystem, waitFor } from './support/system';

/** The audit trail is append-only and any change made directly in the database is found and named. */
describe.each(['sqlite', 'postgres'] as const)('audit trail on %s', (db) => {
  let sys: TestSystem;
  const verify = async () => (await http('GET', `${sys.url}/audit/verify`, { token: sys.token('auditor', ['CN']) })).body;
  /** The same check as an auditor's page (/audit), signed in with the staff's session. */
  const page = async (role: 'auditor' | 'reviewer' = 'auditor') => {
    const signIn = await fetch(`${sys.url}/session/sign-in`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: sys.token(role, ['CN']) }).toString(),
    });
    const res = await fetch(`${sys.url}/audit`, { headers: { cookie: signIn.headers.get('set-cookie')!.split(';')[0] } });
    return { status: res.status, text: await res.text() };
  };

  beforeAll(async () => {
    sys = await startSystem({ db });
    for (const seed of [SEEDS.huoqiu, SEEDS.yanchi]) {
      const res = await http('POST', `${sys.url}/documents`, { token: sys.token('submitter', [seed.region]), form: documentForm(seed.file) });
      expect(res.status, res.text).toBe(201);
    }
    await waitFor('two 霍邱 forms published', async () => {
      const page = await http('GET', `${sys.url}/public/341522/2022.json`);
      return page.status === 200 && page.body.evaluations?.length === 2;
    });
    await waitFor('盐池 in review', async () => {
      const list = await http('GET', `${sys.url}/evaluations?region=640323&state=in_review`, { token: sys.token('auditor', ['CN']) });
      return list.body.total === 1;
    });
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('verifies every chain and shows an evaluation its full trail', async () => {
    const result = await verify();
    expect(result.ok).toBe(true);
    for (const svc of ['intake', 'scoring', 'review', 'publication']) expect(result.chains[svc].records).toBeGreaterThan(0);
    const shown = await page();
    expect(shown.status).toBe(200);
    expect(shown.text).toContain(`全部 ${result.records.toLocaleString('zh-CN')} 条审计记录完整`);
    expect(shown.text.match(/data-ok="true"/g)).toHaveLength(4);
    expect((await page('reviewer')).status).toBe(403);
    const list = await http('GET', `${sys.url}/evaluations?region=341522`, { token: sys.token('auditor', ['CN']) });
    const history = await http('GET', `${sys.url}/evaluations/${list.body.items[0].evaluationId ?? list.body.items[0].id}/history`, {
      token: sys.token('auditor', ['CN']),
    });
    const text = JSON.stringify(history.body);
    for (const step of ['submitted', 'scored', 'approved', 'published']) expect(text).toContain(step);
  });

  it('refuses UPDATE and DELETE on an audit table', async () => {
    await withServiceDb(sys, 'review', async (q) => {
      await expect(q(`UPDATE review_audit SET reason = 'x' WHERE seq = 1`)).rejects.toThrow();
      await expect(q(`DELETE FROM review_audit WHERE seq = 1`)).rejects.toThrow();
    });
    expect((await verify()).ok).toBe(true);
  });

  it('names the first modified, deleted, reordered and inserted record', async () => {
    await withServiceDb(sys, 'review', async (q, dialect) => {
      await dropAuditGuards(q, dialect, 'review_audit');
      await q(`UPDATE review_audit SET reason = ? WHERE seq = 2`, ['改过的理由']);
    });
    await withServiceDb(sys, 'scoring', async (q, dialect) => {
      await dropAuditGuards(q, dialect, 'scoring_audit');
      await q(`DELETE FROM scoring_audit WHERE seq = 3`);
    });
    await withServiceDb(sys, 'intake', async (q, dialect) => {
      await dropAuditGuards(q, dialect, 'intake_audit');
      // swap records 1 and 2 (everything but their sequence numbers)
      const [a, b] = await q(`SELECT * FROM intake_audit WHERE seq IN (1, 2) ORDER BY seq`);
      const cols = Object.keys(a).filter((c) => c !== 'seq');
      const set = cols.map((c) => `${c} = ?`).join(', ');
      await q(`UPDATE intake_audit SET ${set} WHERE seq = 1`, cols.map((c) => b[c]));
      await q(`UPDATE intake_audit SET ${set} WHERE seq = 2`, cols.map((c) => a[c]));
    });
    await withServiceDb(sys, 'publication', async (q) => {
      const [last] = await q(`SELECT * FROM publication_audit ORDER BY seq DESC LIMIT 1`);
      const forged = { ...last, seq: Number(last.seq) + 1, reason: '伪造的记录', prev_hash: last.hash };
      const cols = Object.keys(forged);
      await q(`INSERT INTO publication_audit (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`, cols.map((c) => forged[c]));
    });

    const result = await verify();
    expect(result.ok).toBe(false);
    expect(result.chains.review).toMatchObject({ ok: false, firstBad: { seq: 2, reason: 'modified' } });
    expect(result.chains.scoring).toMatchObject({ ok: false, firstBad: { seq: 3, reason: 'deleted' } });
    expect(result.chains.intake).toMatchObject({ ok: false, firstBad: { seq: 1, reason: 'reordered' } });
    expect(result.chains.publication.ok).toBe(false);
    expect(result.chains.publication.firstBad.reason).toBe('inserted');
    const shown = await page();
    expect(shown.text).toContain('审计记录不完整');
    expect(shown.text).toMatch(/data-service="review" data-ok="false">.*第 2 条记录被修改/);
    expect(shown.text).toMatch(/data-service="scoring" data-ok="false">.*第 3 条记录被删除/);
  });
});
