import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentForm, http } from './support/http';
import { SEEDS } from './support/seeds';
import { dropAuditGuards, withServiceDb } from './support/sql';
import { jixiao } from '../../apps/jixiao/src/commands/__test__/run-cli';
import { PG_URL, startSystem, type TestSystem, waitFor } from './support/system';

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

  it('searches a service’s log: by action, entity, actor and day, newest first, a page at a time; as an auditor’s page too', async () => {
    const auditor = sys.token('auditor', ['CN']);
    const records = async (query: string, token = auditor) => http('GET', `${sys.url}/audit/records?${query}`, { token });
    const published = await records('service=publication&action=publish');
    expect(published.status).toBe(200);
    expect([...published.body.services].sort()).toEqual(['intake', 'publication', 'review', 'scoring']);
    expect(published.body.records).toHaveLength(2);
    for (const r of published.body.records) expect(r).toMatchObject({ action: 'publish', entityType: 'disclosure', toState: 'published' });
    const id = published.body.records[0].entityId;

    const trail = await records(`service=review&entityType=evaluation&entityId=${id}`);
    const seqs = trail.body.records.map((r: { seq: number }) => r.seq);
    expect(seqs.length).toBeGreaterThanOrEqual(4);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a)); // newest first
    expect(trail.body.records.map((r: { action: string }) => r.action).reverse().slice(0, 2)).toEqual(['receive', 'score']);
    // a page at a time: the next page starts before the last one shown, and the pages put together are the whole
    const first = await records(`service=review&entityType=evaluation&entityId=${id}&limit=2`);
    expect(first.body.records.map((r: { seq: number }) => r.seq)).toEqual(seqs.slice(0, 2));
    expect(first.body.next).toBe(seqs[1]);
    const rest = await records(`service=review&entityType=evaluation&entityId=${id}&before=${first.body.next}&limit=100`);
    expect(rest.body.records.map((r: { seq: number }) => r.seq)).toEqual(seqs.slice(2));
    expect(rest.body.next).toBeNull();

    const byActor = await records(`service=intake&actor=${encodeURIComponent(trail.body.records.at(-1).actorUser)}`);
    expect(byActor.body.records.length).toBeGreaterThan(0);
    // days are Beijing's: the days of the trail's first and last records hold all of it, the day after none
    const day = (at: string) => new Date(Date.parse(at) + 8 * 3_600_000).toISOString().slice(0, 10);
    const [firstDay, lastDay] = [day(trail.body.records.at(-1).at), day(trail.body.records[0].at)];
    const days = await records(`service=review&entityType=evaluation&entityId=${id}&since=${firstDay}&until=${lastDay}`);
    expect(days.body.records.map((r: { seq: number }) => r.seq)).toEqual(seqs);
    const after = new Date(Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    expect((await records(`service=review&entityId=${id}&since=${after}`)).body.records).toEqual([]);
    expect((await records('service=review&since=2999-01-01')).body.records).toEqual([]);
    expect((await records('service=review&since=2024-03-02&until=2024-03-01')).status).toBe(400);
    expect((await records('service=review&since=yesterday')).status).toBe(400);
    expect((await records('service=billing')).status).toBe(404);
    expect((await records('service=review', sys.token('reviewer', ['CN']))).status).toBe(403);

    // the page: signed in as an auditor, the same search
    const signIn = async (role: 'auditor' | 'reviewer') => {
      const res = await fetch(`${sys.url}/session/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: sys.token(role, ['CN']) }).toString(),
      });
      return res.headers.get('set-cookie')!.split(';')[0];
    };
    const cookie = await signIn('auditor');
    const log = await fetch(`${sys.url}/audit/log?service=review&entityType=evaluation&entityId=${id}`, { headers: { cookie } });
    expect(log.status).toBe(200);
    const html = await log.text();
    expect([...html.matchAll(/<tr data-seq="(\d+)">/g)].map((m) => Number(m[1]))).toEqual(seqs);
    expect(html).toContain(`<a href="/review/evaluations/${id}"><code>${id}</code></a>`);
    expect(html).toContain('<td data-action="receive">收到自评表</td>');
    const bad = await fetch(`${sys.url}/audit/log?service=review&since=2024-13-45`, { headers: { cookie } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('请检查查询条件');
    expect((await fetch(`${sys.url}/audit/log`, { headers: { cookie: await signIn('reviewer') } })).status).toBe(403);

    // the operator's CLI reads the same records from the databases, every service merged by time
    const env = { DATA_DIR: sys.dataDir, DATABASE_URL: sys.schema ? PG_URL : undefined, DATABASE_SCHEMA: sys.schema ?? undefined };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete process.env[k];
    try {
      const cli = await jixiao('audit', 'log', '--entity-id', id, '--json');
      expect(cli.code, cli.stderr).toBe(0);
      const services = new Set(JSON.parse(cli.stdout).records.map((r: { service: string }) => r.service));
      expect([...services].sort()).toEqual(['intake', 'publication', 'review', 'scoring']); // the evaluation's steps in each
      const text = await jixiao('audit', 'log', '--service', 'review', '--entity-id', id, '--limit', '2');
      expect(text.stdout).toMatch(/^review\s+\d+\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2} 北京时间\s+/m);
      expect(text.stdout).toContain(`2 条；更早的记录：--before ${seqs[1]}`);
      const soon = await jixiao('audit', 'log', '--since', 'soon', '--entity-type', 'x'.repeat(101));
      expect(soon.code).toBe(2);
      expect(soon.stderr).toMatch(/--entity-type: .*; --since: expected a day/);
      expect((await jixiao('audit', 'log', '--before', '3')).stderr).toContain('--before goes with --service');
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
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
