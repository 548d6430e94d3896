import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken, type Principal } from '@jixiao/auth';
import { QUEUES } from '@jixiao/contracts';
import { enqueueEvents, messagingMigrations, OutboxRelay, type MessagingLogger } from '@jixiao/messaging';
import { jobEvents } from '@jixiao/messaging/testing/job-events';
import { deletePrefix, TEST_REDIS_URL, testPrefix, waitFor } from '@jixiao/messaging/testing/test-redis';
import { runMigrations, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DATABASE_URL, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import { freePort, type RunningSystem, startServices } from '@jixiao/runtime';
import { PublicationModule } from '../src/publication.module';
import { PublicationOneVersionInForce } from '../src/persistence/rescoring-columns.migration';
import { PUBLICATION_DATA_SOURCE } from '../src/publication.tokens';
import { approval, type ApprovalSpec, parseCsv, reopenedChunk, tableRows } from './approvals.fixture';

const quiet: MessagingLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const JWT_SECRET = 'publication-int-spec-secret-0123456789';
const redis = new URL(TEST_REDIS_URL);
const redisConnection = { host: redis.hostname, port: Number(redis.port || 6379) };

const token = (p: Principal) => `Bearer ${signToken(p, JWT_SECRET)}`;

describe.each(TEST_DIALECTS)('publication service on %s', (dialect) => {
  let system: RunningSystem;
  let ds: DataSource;
  let review: TestDatabase;
  let relay: OutboxRelay;
  let prefix: string;
  let dataDir: string;
  const schema = `t_publication_${randomBytes(5).toString('hex')}`;
  const queues: Queue[] = [];
  const queue = (name: string) => {
    const q = new Queue(name, { connection: redisConnection, prefix });
    queues.push(q);
    return q;
  };

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${system.url}${path}`, { headers });
  const text = async (path: string) => {
    const res = await get(path);
    expect(res.status, path).toBe(200);
    return res.text();
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field below
  const json = async (path: string): Promise<any> => (await get(path)).json();
  const retract = (id: string, body: unknown, auth?: string) =>
    fetch(`${system.url}/disclosures/${id}/retract`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) },
      body: JSON.stringify(body),
    });
  const count = async (sql: string) => Number((await ds.query(sql))[0].n);
  const processed = () => count('SELECT COUNT(*) AS n FROM publication_inbox');

  /** Review's side of the wire, as in production: its outbox, relayed to BullMQ by the real relay. */
  async function approve(...specs: ApprovalSpec[]) {
    const before = await processed();
    await withTransaction(review.dataSource, (m) =>
      enqueueEvents(m, 'review', specs.map((s) => ({ name: 'review.evaluation.approved.v1' as const, payload: approval(s) }))),
    );
    relay.nudge();
    await waitFor(`${specs.length} approvals processed`, async () => (await processed()) === before + specs.length);
  }

  async function publishedEvents(): Promise<Array<{ name: string; payload: Record<string, unknown> }>> {
    const jobs = await queue(QUEUES.reviewInbox).getJobs(['waiting', 'delayed', 'completed', 'active']);
    return (jobEvents(jobs) as Array<{ id: string; name: string; payload: Record<string, unknown> }>).sort((a, b) =>
      a.id.localeCompare(b.id, 'en', { numeric: true }),
    );
  }

  beforeAll(async () => {
    prefix = testPrefix();
    dataDir = mkdtempSync(join(tmpdir(), 'jixiao-publication-'));
    const env: NodeJS.ProcessEnv = {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      QUEUE_PREFIX: prefix,
      REDIS_URL: TEST_REDIS_URL,
      JWT_SECRET,
      LOG_LEVEL: 'silent',
      SERVICE: 'publication',
      ...(dialect === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema } : {}),
    };
    system = await startServices([(ctx) => PublicationModule.forRoot(ctx)], { title: 'publication test', env });
    ds = system.app.get<DataSource>(PUBLICATION_DATA_SOURCE, { strict: false });
    review = await openTestDatabase('sqlite', {
      name: 'review',
      entities: [],
      migrations: [...messagingMigrations('review')],
    });
    await runMigrations(review.dataSource);
    relay = new OutboxRelay({ service: 'review', dataSource: review.dataSource, connection: TEST_REDIS_URL, prefix, logger: quiet, pollIntervalMs: 50 });
    relay.start();
  });

  afterAll(async () => {
    await relay?.stop();
    for (const q of queues) await q.close();
    await system?.close();
    await review?.close();
    if (dialect === 'postgres') {
      const client = new Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
    await deletePrefix(prefix);
  });

  it('runs on the configured database', async () => {
    expect(ds.options.type).toBe(dialect === 'postgres' ? 'postgres' : 'better-sqlite3');
    if (dialect === 'postgres') {
      // Other runs may hold tables of the same name in their own schemas: ours must be in ours, and found first.
      const rows = await ds.query(
        `SELECT n.nspname AS found FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass('publication_disclosures')`,
      );
      expect(rows).toEqual([{ found: schema }]);
    }
  });

  it('shows 404 pages while nothing is published', async () => {
    const page = await get('/public/341522/2023');
    expect(page.status).toBe(404);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toContain('暂无公开的绩效自评结果');
    expect((await get('/public/341522/2023.json')).status).toBe(404);
    expect((await get('/public/341522/2023.csv')).status).toBe(404);
    expect((await get('/public/evaluations/ev_nothing')).status).toBe(404);
    expect((await get('/public/not-a-region/2023')).status).toBe(404);
  });

  it('publishes approvals: the page lists total, grade and rate; JSON and CSV say the same; the breakdown is public', async () => {
    await approve(
      { evaluationId: 'ev_farm', total: 92.5, grade: '优', executionRate: 0.98 },
      { evaluationId: 'ev_dept', formType: 'department', projectName: null, unitName: '霍邱县财政局', total: 78, grade: '中', executionRate: 0.9977 },
    );
    const page = await text('/public/341522/2023');
    expect(page).toContain('data-testid="results-table"');
    expect(page).toContain('data-testid="grade-chart"');
    expect(page).toContain('霍邱县（341522） 2023年度');
    const rows = tableRows(page);
    expect(rows.get('ev_farm')).toEqual(['霍邱县农业农村局', '高标准农田建设项目', '项目支出', '92.5', '优', '98.00%', '已发布']);
    expect(rows.get('ev_dept')).toEqual(['霍邱县财政局', '（部门整体）', '部门整体支出', '78', '中', '99.77%', '已发布']);
    expect(page).toContain('data-grade="优" data-count="1"');
    expect(page).toContain('data-grade="中" data-count="1"');

    const data = await json('/public/341522/2023.json');
    expect(data.region).toEqual({ code: '341522', name: '霍邱县' });
    expect(data.gradeDistribution).toEqual([{ grade: '优', count: 1 }, { grade: '中', count: 1 }]);
    for (const e of data.evaluations) {
      const cells = rows.get(e.evaluationId)!;
      expect([String(e.total), e.grade, `${(e.executionRate * 100).toFixed(2)}%`, e.statusLabel]).toEqual([cells[3], cells[4], cells[5], cells[6]]);
    }

    const csvRes = await get('/public/341522/2023.csv');
    expect(csvRes.headers.get('content-type')).toMatch(/text\/csv; charset=utf-8/);
    const bytes = new Uint8Array(await csvRes.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csv = parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes).slice(1));
    expect(csv[0].slice(0, 8)).toEqual(['评价编号', '单位', '项目', '表类型', '总分', '等级', '执行率', '状态']);
    expect(csv).toHaveLength(3);
    for (const line of csv.slice(1)) {
      const cells = rows.get(line[0])!;
      expect([line[1], line[3], line[4], line[5], line[6], line[7]]).toEqual([cells[0], cells[2], cells[3], cells[4], cells[5], cells[6]]);
    }

    const detail = await text('/public/evaluations/ev_farm');
    expect(detail).toContain('data-testid="indicators-table"');
    expect(detail).toContain('<td>建设面积</td><td class="num">20</td><td class="num">18.5</td><td class="num">20</td><td>实际 0.925万亩 低于目标 1万亩：0.925 ÷ 1 × 20 = 18.5</td>');
    expect(detail).toContain('自评 20 分，按规则应得 18.5 分');
    expect(detail).toContain('data-revision="1"');

    const events = (await publishedEvents()).filter((e) => e.name === 'publication.evaluation.published.v1');
    // Two approvals of different evaluations may be handled in either order: which events, not their order, is the contract.
    const published = events.map((e) => [e.payload.evaluationId, e.payload.revision, e.payload.path]).sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(published).toEqual([
      ['ev_dept', 1, '/public/evaluations/ev_dept'],
      ['ev_farm', 1, '/public/evaluations/ev_farm'],
    ]);
  });

  it('a later approval with a changed total adds revision 2, shown revised with its history; an unchanged one adds nothing', async () => {
    await approve({ evaluationId: 'ev_farm', total: 85, grade: '良', ruleSetVersion: 2, approvedAt: '2024-04-01T00:00:02.000Z' });
    const rows = tableRows(await text('/public/341522/2023'));
    expect(rows.get('ev_farm')).toEqual(['霍邱县农业农村局', '高标准农田建设项目', '项目支出', '85', '良', '98.00%', '已修订']);
    const detail = await text('/public/evaluations/ev_farm');
    expect(detail).toContain('data-revision="2"');
    expect(detail).toContain('data-revision="1"');
    expect(detail).toContain('重新评分：总分 92.5 → 85；等级 优 → 良；规则集 CN v1 → CN v2');
    expect(await count(`SELECT COUNT(*) AS n FROM publication_disclosure_revisions WHERE evaluation_id = 'ev_farm'`)).toBe(2);
    const [first] = await ds.query(`SELECT total, grade FROM publication_disclosure_revisions WHERE evaluation_id = 'ev_farm' AND revision = 1`);
    expect([Number(first.total), first.grade]).toEqual([92.5, '优']);
    const data = await json('/public/341522/2023.json');
    expect(data.evaluations.find((e: { evaluationId: string }) => e.evaluationId === 'ev_farm')).toMatchObject({ revision: 2, revised: true, total: 85 });

    await approve({ evaluationId: 'ev_farm', total: 85, grade: '良', ruleSetVersion: 3, approvedAt: '2024-05-01T00:00:02.000Z' });
    expect(await count(`SELECT COUNT(*) AS n FROM publication_disclosure_revisions WHERE evaluation_id = 'ev_farm'`)).toBe(2);
    await waitFor('published events relayed', async () => (await publishedEvents()).length === 4);
    const revisions = (await publishedEvents()).filter((e) => e.payload.evaluationId === 'ev_farm').map((e) => e.payload.revision);
    expect(revisions).toEqual([1, 2, 2]);
  });

  it('a redelivered approval changes nothing: same rows, same audit records, no new events', async () => {
    const snapshot = async () => ({
      disclosures: await ds.query('SELECT * FROM publication_disclosures ORDER BY id'),
      revisions: await ds.query('SELECT * FROM publication_disclosure_revisions ORDER BY disclosure_id, revision'),
      audit: await ds.query('SELECT * FROM publication_audit ORDER BY seq'),
      outbox: await count('SELECT COUNT(*) AS n FROM publication_outbox'),
      inbox: await processed(),
    });
    const before = await snapshot();
    const inbox = queue(QUEUES.publicationInbox);
    const originals = await inbox.getJobs(['completed']);
    expect(jobEvents(originals)).toHaveLength(before.inbox);
    for (const job of originals) {
      await job.remove();
      await inbox.add(job.name, job.data, { jobId: job.id });
      await inbox.add(job.name, job.data, { jobId: `${job.id}-again` });
    }
    await waitFor('redelivered jobs done', async () => (await inbox.getJobCounts('completed')).completed === originals.length * 2);
    expect((await inbox.getJobCounts('failed')).failed).toBe(0);
    expect(await snapshot()).toEqual(before);
  });

  it('retraction: only a reviewer of the region, with a reason; the page keeps it as 已撤回 with reason and history', async () => {
    const reviewer = token({ sub: 'reviewer-huoqiu', role: 'reviewer', regions: ['341522'] });
    expect((await retract('ev_farm', { reason: 'x' })).status).toBe(401);
    expect((await retract('ev_farm', { reason: 'x' }, token({ sub: 's', role: 'submitter', regions: ['341522'] }))).status).toBe(403);
    expect((await retract('ev_farm', { reason: 'x' }, token({ sub: 'r', role: 'reviewer', regions: ['410105'] }))).status).toBe(403);
    const empty = await retract('ev_farm', { reason: '  ' }, reviewer);
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { message: string }).message).toMatch(/reason/);
    expect((await retract('ev_unknown', { reason: 'x' }, reviewer)).status).toBe(404);

    const ok = await retract('ev_farm', { reason: '项目资金审计发现问题，待复核' }, token({ sub: 'reviewer-anhui', role: 'reviewer', regions: ['340000'] }));
    expect(ok.status).toBe(200);
    expect((await ok.json()) as unknown).toMatchObject({ status: 'retracted', retractionReason: '项目资金审计发现问题，待复核' });
    expect((await retract('ev_farm', { reason: 'again' }, reviewer)).status).toBe(409);

    const page = await text('/public/341522/2023');
    expect(tableRows(page).get('ev_farm')?.[6]).toBe('已撤回');
    expect(page).not.toContain('data-grade="良"'); // no longer counted in the distribution
    const detail = await text('/public/evaluations/ev_farm');
    expect(detail).toContain('data-testid="retraction"');
    expect(detail).toContain('项目资金审计发现问题，待复核');
    expect(detail).toContain('data-revision="2"');
    expect(detail).toContain('data-revision="1"');
    const data = await json('/public/341522/2023.json');
    expect(data.evaluations.find((e: { evaluationId: string }) => e.evaluationId === 'ev_farm')).toMatchObject({
      status: 'retracted',
      statusLabel: '已撤回',
      retractionReason: '项目资金审计发现问题，待复核',
    });
    await waitFor('retracted event relayed', async () => (await publishedEvents()).some((e) => e.name === 'publication.evaluation.retracted.v1'));
    const retracted = (await publishedEvents()).find((e) => e.name === 'publication.evaluation.retracted.v1')!;
    expect(retracted.payload).toMatchObject({ evaluationId: 'ev_farm', reason: '项目资金审计发现问题，待复核', actor: { user: 'reviewer-anhui', role: 'reviewer' } });
  });

  it('escapes a <script> planted in a project name and an indicator name; the CSV neutralises formulas', async () => {
    await approve({
      evaluationId: 'ev_evil',
      projectName: '<script>alert("project")</script>农田',
      unitName: '=HYPERLINK("http://evil.example","点击")',
      indicatorName: '<img src=x onerror=alert(1)><script>alert("indicator")</script>',
      total: 91,
      grade: '优',
    });
    const page = await text('/public/341522/2023');
    expect(page).not.toMatch(/<script|<img/i);
    expect(page).toContain('&lt;script&gt;alert(&quot;project&quot;)&lt;/script&gt;农田');
    const detail = await text('/public/evaluations/ev_evil');
    expect(detail).not.toMatch(/<script|<img/i);
    expect(detail).toContain('&lt;script&gt;alert(&quot;indicator&quot;)&lt;/script&gt;');
    const res = await get('/public/evaluations/ev_evil');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-powered-by')).toBeNull(); // no framework banner

    const csv = parseCsv((await text('/public/341522/2023.csv')).replace(/^\uFEFF/, ''));
    const evil = csv.find((line) => line[0] === 'ev_evil')!;
    expect(evil[1]).toBe(`'=HYPERLINK("http://evil.example","点击")`);
    expect(evil[2]).toBe('<script>alert("project")</script>农田');
  });

  it('registers its health check and its audit chain, which verifies', async () => {
    const health = await json('/health');
    expect(health.info.publication).toMatchObject({
      status: 'up',
      database: { status: 'up', dialect: dialect === 'postgres' ? 'postgres' : 'sqlite' },
      redis: { status: 'up' },
      queues: { 'publication-inbox': { waiting: expect.any(Number) } },
    });
    const verify = await get('/audit/verify', { authorization: token({ sub: 'auditor', role: 'auditor', regions: ['CN'] }) });
    const body = await verify.json();
    // publish ×2, revise, confirm, publish (evil), retract
    expect(body).toEqual({ ok: true, records: 6, chains: { publication: { ok: true, records: 6 } } });
    const actions = await ds.query(`SELECT action FROM publication_audit WHERE entity_id = 'ev_farm' ORDER BY seq`);
    expect(actions.map((a: { action: string }) => a.action)).toEqual(['publish', 'revise', 'confirm', 'retract']);
  });
  it('approvals of one evaluation processed concurrently leave one gap-free history ending at the latest approval', async () => {
    const specs = [88, 91, 79, 95, 83, 90].map((total, i) => ({
      evaluationId: 'ev_race',
      total,
      grade: total >= 90 ? '优' : total >= 80 ? '良' : '中',
      approvedAt: `2024-06-0${i + 1}T00:00:00.000Z`,
    }));
    await approve(...specs); // one outbox transaction: relayed together, handled in parallel on PostgreSQL
    const revisions: Array<{ revision: number; total: number }> = await ds.query(
      `SELECT revision, total FROM publication_disclosure_revisions WHERE evaluation_id = 'ev_race' ORDER BY revision`,
    );
    expect(revisions.map((r) => Number(r.revision))).toEqual(revisions.map((_, i) => i + 1));
    const [d] = await ds.query(`SELECT revision, total, grade FROM publication_disclosures WHERE evaluation_id = 'ev_race'`);
    expect(Number(d.revision)).toBe(revisions.length);
    expect([Number(d.total), d.grade]).toEqual([90, '优']);
    expect(Number(revisions.at(-1)!.total)).toBe(90);
    const verify = await get('/audit/verify', { authorization: token({ sub: 'auditor', role: 'auditor', regions: ['CN'] }) });
    expect(await verify.json()).toMatchObject({ ok: true });
  });
  it('a new approval after a retraction publishes again as a new revision that names the retraction', async () => {
    await approve({ evaluationId: 'ev_farm', total: 86, grade: '良', ruleSetVersion: 3, approvedAt: '2024-07-01T00:00:00.000Z' });
    const rows = tableRows(await text('/public/341522/2023'));
    expect(rows.get('ev_farm')?.slice(3)).toEqual(['86', '良', '98.00%', '已修订']);
    const detail = await text('/public/evaluations/ev_farm');
    expect(detail).not.toContain('data-testid="retraction"');
    expect(detail).toMatch(/data-revision="3"[\s\S]*撤回后重新审核通过（\d{4}-\d{2}-\d{2} 撤回，理由：项目资金审计发现问题，待复核）；总分 85 → 86/);
    const actions = await ds.query(`SELECT action, from_state, to_state FROM publication_audit WHERE entity_id = 'ev_farm' ORDER BY seq`);
    expect(actions.at(-1)).toEqual({ action: 'republish', from_state: 'retracted', to_state: 'published' });
  });
  /** Review's side: what it passes on of one chunk of a re-scoring run, relayed to publication's inbox. */
  async function rescore(
    items: Array<{ evaluationId: string; total: number; grade: string; resultId?: string }>,
    run: { runId?: string; scoredAt?: string } = {},
  ) {
    const before = await processed();
    const payload = reopenedChunk(items, run);
    await withTransaction(review.dataSource, (m) => enqueueEvents(m, 'review', [{ name: 'review.evaluations.reopened.v1', payload }]));
    relay.nudge();
    await waitFor('the chunk processed', async () => (await processed()) === before + 1);
  }

  it('a re-scoring chunk revises published evaluations whose figures changed (marked under review, history kept); others are ignored; redelivery changes nothing', async () => {
    await approve(
      { evaluationId: 'ev_rs_changed', total: 92, grade: '优' },
      { evaluationId: 'ev_rs_same', total: 88, grade: '良' },
      { evaluationId: 'ev_rs_retracted', total: 80, grade: '良' },
    );
    const reviewer = token({ sub: 'r', role: 'reviewer', regions: ['341522'] });
    expect((await retract('ev_rs_retracted', { reason: '撤回' }, reviewer)).status).toBe(200);
    const revisionsBefore = await count('SELECT COUNT(*) AS n FROM publication_disclosure_revisions');
    const auditBefore = await count('SELECT COUNT(*) AS n FROM publication_audit');

    await rescore([
      { evaluationId: 'ev_rs_changed', total: 84, grade: '良' },
      { evaluationId: 'ev_rs_same', total: 88, grade: '良' }, // same figures under the new rules
      { evaluationId: 'ev_rs_retracted', total: 60, grade: '差' }, // not in force: ignored
      { evaluationId: 'ev_rs_unpublished', total: 70, grade: '中' }, // never published: ignored
    ]);
    expect(await count('SELECT COUNT(*) AS n FROM publication_disclosure_revisions')).toBe(revisionsBefore + 1);
    expect(await count("SELECT COUNT(*) AS n FROM publication_disclosures WHERE evaluation_id = 'ev_rs_unpublished'")).toBe(0);

    const page = await text('/public/evaluations/ev_rs_changed');
    expect(page).toContain('data-testid="under-review"');
    expect(page).toMatch(/data-field="total">84</);
    expect(page).toMatch(/data-revision="2"[\s\S]*重新评分（规则集 341522 第 2 版，重新评分批次 run_pub）：总分 92 → 84；等级 优 → 良[\s\S]*data-rescoring-run="run_pub"[\s\S]*data-revision="1"[\s\S]*首次发布/);
    const rows = tableRows(await text('/public/341522/2023'));
    expect(rows.get('ev_rs_changed')?.slice(3)).toEqual(['84', '良', '98.00%', '已修订 复核中']);
    expect(rows.get('ev_rs_same')?.slice(3)).toEqual(['88', '良', '98.00%', '已发布']);
    expect(rows.get('ev_rs_retracted')?.slice(3, 5)).toEqual(['80', '良']);
    const listed = (await json('/public/341522/2023.json')).evaluations.find((e: { evaluationId: string }) => e.evaluationId === 'ev_rs_changed');
    expect(listed).toMatchObject({ total: 84, grade: '良', revision: 2, revised: true, underReview: true });
    const [audit] = await ds.query(`SELECT action, actor_user, reason FROM publication_audit WHERE entity_id = 'ev_rs_changed' ORDER BY seq DESC LIMIT 1`);
    expect(audit).toMatchObject({ action: 'rescore', actor_user: 'review' });

    // the same job delivered again (a relay that re-added it after a crash): the inbox absorbs it
    const [job] = (await queue(QUEUES.publicationInbox).getJobs(['completed'])).filter((j) => j.data.name === 'review.evaluations.reopened.v1');
    const again = await queue(QUEUES.publicationInbox).add(job.name!, job.data, { jobId: `${job.id}-again` });
    await waitFor('the redelivered chunk handled', async () => (await again.getState()) === 'completed');
    expect(await count('SELECT COUNT(*) AS n FROM publication_disclosure_revisions')).toBe(revisionsBefore + 1);
    expect(await count('SELECT COUNT(*) AS n FROM publication_audit')).toBe(auditBefore + 1);

    // review sends it back; the reviewer approves the new figures: the normal approval path, no longer under review
    await approve({ evaluationId: 'ev_rs_changed', total: 84, grade: '良', ruleSetVersion: 2, approvedAt: '2024-04-02T00:00:00.000Z' });
    const approved = await text('/public/evaluations/ev_rs_changed');
    expect(approved).not.toContain('data-testid="under-review"');
    expect(tableRows(await text('/public/341522/2023')).get('ev_rs_changed')?.slice(3)).toEqual(['84', '良', '98.00%', '已修订']);
  });

  it('公开管理: GET /disclosures lists what was published within the caller’s regions, counted by status; its pages list, show and retract', async () => {
    await approve(
      { evaluationId: 'ev_pm_a', region: '130126', regionName: '灵寿县', unitName: '灵寿县交通运输局', projectName: '农村公路养护', total: 91, grade: '优' },
      { evaluationId: 'ev_pm_b', region: '130126', regionName: '灵寿县', unitName: '灵寿县教育局', projectName: '营养改善计划', total: 78, grade: '中' },
      { evaluationId: 'ev_pm_c', region: '130131', regionName: '平山县', unitName: '平山县水利局', projectName: '农村饮水安全', total: 86, grade: '良' },
      { evaluationId: 'ev_pm_x', region: '110101', regionName: '东城区', unitName: '东城区交通委员会', projectName: '农村公路养护', total: 90, grade: '优' },
    );
    await rescore([{ evaluationId: 'ev_pm_b', total: 70, grade: '中' }], { runId: 'run_pm' });
    const city = token({ sub: 'reviewer-sjz', role: 'reviewer', regions: ['130100'] });
    const auditor = token({ sub: 'auditor-1', role: 'auditor', regions: ['CN'] });
    const list = async (query: string, auth = city) => {
      const res = await get(`/disclosures${query}`, { authorization: auth });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- checked field by field below
      const body: any = await res.json();
      return { status: res.status, body, ids: (body.items ?? []).map((i: { evaluationId: string }) => i.evaluationId).sort() };
    };

    const all = await list('');
    expect(all.status).toBe(200);
    expect(all.ids).toEqual(['ev_pm_a', 'ev_pm_b', 'ev_pm_c']); // 110101 is not the city's
    expect(all.body.counts).toEqual({ total: 3, published: 3, retracted: 0, revised: 1, underReview: 1 });
    expect((await list('?region=130126&status=under_review')).ids).toEqual(['ev_pm_b']);
    expect((await list('?region=130126&status=revised')).ids).toEqual(['ev_pm_b']);
    expect((await list('?region=130131')).ids).toEqual(['ev_pm_c']);
    expect((await list(`?q=${encodeURIComponent('公路 交通')}`)).ids).toEqual(['ev_pm_a']);
    expect((await list(`?q=${encodeURIComponent('公路')}`, auditor)).ids).toEqual(['ev_pm_a', 'ev_pm_x']);
    const paged = await list('?pageSize=2&page=2');
    expect(paged.body).toMatchObject({ total: 3, page: 2, pageSize: 2 });
    expect(paged.ids).toHaveLength(1);
    expect((await list('?region=110101')).status).toBe(403);
    expect((await list('', token({ sub: 'u', role: 'submitter', regions: ['130126'] }))).status).toBe(403);
    const bad = await list('?status=gone&year=20x');
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.stringMatching(/^query\.year: /), expect.stringMatching(/^query\.status: /)]);
    expect((await get('/disclosures')).status).toBe(401);

    const one = await get('/disclosures/ev_pm_b', { authorization: city });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({ disclosure: { evaluationId: 'ev_pm_b', revision: 2, underReviewRunId: 'run_pm' }, retractedBy: null, revisions: [{ revision: 1 }, { revision: 2, rescoringRunId: 'run_pm' }] });
    expect((await get('/disclosures/ev_pm_x', { authorization: city })).status).toBe(403);
    expect((await get('/disclosures/ev_pm_none', { authorization: city })).status).toBe(404);

    // the pages: one sign-in, the list, one evaluation's page with the form to retract it
    const signIn = async (bearer: string) => {
      const res = await fetch(`${system.url}/session/sign-in`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: bearer.slice('Bearer '.length), next: '/publish' }).toString(),
      });
      expect(res.status).toBe(303);
      return res.headers.get('set-cookie')!.split(';')[0];
    };
    const cookie = await signIn(city);
    const page = async (path: string, as = cookie) => {
      const res = await fetch(`${system.url}${path}`, { headers: { cookie: as }, redirect: 'manual' });
      return { status: res.status, text: await res.text() };
    };
    const post = (path: string, form: Record<string, string>) =>
      fetch(`${system.url}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
      });
    const listed = await page('/publish');
    expect(listed.status).toBe(200);
    expect(listed.text).toContain('<h1>公开管理</h1>');
    expect([...listed.text.matchAll(/<tr data-evaluation-id="([^"]+)"/g)].map((m) => m[1]).sort()).toEqual(['ev_pm_a', 'ev_pm_b', 'ev_pm_c']);
    expect(listed.text).toMatch(/data-count="under_review">其中复核中 <strong>1<\/strong>/);
    expect((await page('/publish?region=130126&status=under_review')).text).toMatch(/data-evaluation-id="ev_pm_b"[\s\S]*复核中/);
    const refused = await page('/publish?region=110101');
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('无权执行此操作');

    const shown = await page('/publish/evaluations/ev_pm_a');
    expect(shown.status).toBe(200);
    expect(shown.text).toContain('data-testid="retract-form"');
    const csrf = /name="csrf" value="([^"]+)"/.exec(shown.text)![1];
    const forged = await post('/publish/evaluations/ev_pm_a/retract', { reason: '伪造' });
    expect(forged.status).toBe(403);
    const empty = await post('/publish/evaluations/ev_pm_a/retract', { csrf, reason: '   ' });
    expect(empty.status).toBe(400);
    expect(await empty.text()).toContain('请填写撤回理由');
    expect((await ds.query("SELECT status FROM publication_disclosures WHERE evaluation_id = 'ev_pm_a'"))[0].status).toBe('published');

    const done = await post('/publish/evaluations/ev_pm_a/retract', { csrf, reason: '单位报送数据有误，待更正后重新公开' });
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/publish/evaluations/ev_pm_a?done=retracted');
    const after = await page('/publish/evaluations/ev_pm_a?done=retracted');
    expect(after.text).toContain('已撤回公开');
    expect(after.text).toMatch(/data-testid="retraction"[\s\S]*reviewer-sjz[\s\S]*单位报送数据有误，待更正后重新公开/);
    expect(after.text).not.toContain('data-testid="retract-form"');
    const twice = await post('/publish/evaluations/ev_pm_a/retract', { csrf, reason: '再次撤回' });
    expect(twice.status).toBe(409);
    expect(await twice.text()).toMatch(/操作未执行：该评价的公开已于 .* 北京时间 撤回/);
    expect((await list('?region=130126')).body.counts).toEqual({ total: 2, published: 1, retracted: 1, revised: 1, underReview: 1 });
    expect(tableRows(await text('/public/130126/2023')).get('ev_pm_a')?.[6]).toBe('已撤回');
    const [audit] = await ds.query("SELECT action, actor_user, reason FROM publication_audit WHERE entity_id = 'ev_pm_a' ORDER BY seq DESC LIMIT 1");
    expect(audit).toEqual({ action: 'retract', actor_user: 'reviewer-sjz', reason: '单位报送数据有误，待更正后重新公开' });

    // others read, and only a reviewer of the region is offered the form
    const auditorPage = await page('/publish/evaluations/ev_pm_c', await signIn(auditor));
    expect(auditorPage.status).toBe(200);
    expect(auditorPage.text).not.toContain('data-testid="retract-form"');
    const unit = await page('/publish', await signIn(token({ sub: 'u', role: 'submitter', regions: ['130126'] })));
    expect(unit.status).toBe(403);
    expect(unit.text).toContain('公开管理供财政部门工作人员使用');
    expect((await page('/publish/evaluations/ev_pm_none')).status).toBe(404);
  });

  it('a corrected version published replaces the one in force: withdrawn, naming it, audited and announced; an older version approved last is the one withdrawn', async () => {
    const inForce = async () =>
      (await ds.query("SELECT evaluation_id FROM publication_disclosures WHERE submission_id = 'sub_cv' AND status = 'published' ORDER BY evaluation_id")).map(
        (r: { evaluation_id: string }) => r.evaluation_id,
      );
    await approve({ evaluationId: 'ev_cv1', total: 70, grade: '中', submissionId: 'sub_cv', submissionVersion: 1 });
    expect(await inForce()).toEqual(['ev_cv1']);
    await approve({ evaluationId: 'ev_cv2', total: 86, grade: '良', submissionId: 'sub_cv', submissionVersion: 2, approvedAt: '2024-03-05T08:00:00.000Z' });
    expect(await inForce()).toEqual(['ev_cv2']);
    const rows = tableRows(await text('/public/341522/2023'));
    expect(rows.get('ev_cv1')?.[6]).toBe('已撤回');
    expect(rows.get('ev_cv2')?.[6]).toBe('已发布');
    const [withdrawn] = await ds.query("SELECT retraction_reason, retracted_by FROM publication_disclosures WHERE evaluation_id = 'ev_cv1'");
    expect(withdrawn).toEqual({ retraction_reason: '已由更正后的第 2 版替代（评价 ev_cv2）', retracted_by: 'publication' });
    const [audit] = await ds.query("SELECT action, actor_user, actor_role, from_state, to_state FROM publication_audit WHERE entity_id = 'ev_cv1' ORDER BY seq DESC LIMIT 1");
    expect(audit).toEqual({ action: 'supersede', actor_user: 'publication', actor_role: 'system', from_state: 'published', to_state: 'retracted' });
    await waitFor('the withdrawal announced', async () =>
      (await publishedEvents()).some((e) => e.name === 'publication.evaluation.retracted.v1' && e.payload.evaluationId === 'ev_cv1'),
    );
    const announced = (await publishedEvents()).find((e) => e.name === 'publication.evaluation.retracted.v1' && e.payload.evaluationId === 'ev_cv1')!;
    expect(announced.payload).toMatchObject({ reason: '已由更正后的第 2 版替代（评价 ev_cv2）', actor: { user: 'publication', role: 'system' } });
    expect(await text('/public/evaluations/ev_cv1')).toContain('<a href="/public/evaluations/ev_cv2" data-testid="replaced-by">');
    const reviewer = token({ sub: 'r', role: 'reviewer', regions: ['341522'] });
    const staff = await (await get('/disclosures/ev_cv1', { authorization: reviewer })).json();
    expect(staff).toMatchObject({ replacedBy: 'ev_cv2', retractedBy: 'publication' });

    // version 4 is published before version 3's approval arrives: 3 is withdrawn at once, 4 stays in force
    await approve({ evaluationId: 'ev_cv4', total: 92, grade: '优', submissionId: 'sub_cv', submissionVersion: 4, approvedAt: '2024-03-07T08:00:00.000Z' });
    await approve({ evaluationId: 'ev_cv3', total: 80, grade: '良', submissionId: 'sub_cv', submissionVersion: 3, approvedAt: '2024-03-06T08:00:00.000Z' });
    expect(await inForce()).toEqual(['ev_cv4']);
    expect((await ds.query("SELECT retraction_reason FROM publication_disclosures WHERE evaluation_id = 'ev_cv3'"))[0].retraction_reason).toBe(
      '已由更正后的第 4 版替代（评价 ev_cv4）',
    );
    // the region's distribution counts the form once
    expect(tableRows(await text('/public/341522/2023')).get('ev_cv4')?.[6]).toBe('已发布');
    const auditOk = await (await get('/audit/verify', { authorization: token({ sub: 'a', role: 'auditor', regions: ['CN'] }) })).json();
    expect(auditOk).toMatchObject({ ok: true });
  });

  it('an older version approved after the latest was published and then retracted is withdrawn too; a withdrawn one leads only to a later version in force', async () => {
    const reviewer = token({ sub: 'reviewer-huoqiu', role: 'reviewer', regions: ['341522'] });
    await approve({ evaluationId: 'ev_lv2', total: 86, grade: '良', submissionId: 'sub_lv', submissionVersion: 2, approvedAt: '2024-03-05T08:00:00.000Z' });
    expect((await retract('ev_lv2', { reason: '待核实' }, reviewer)).status).toBe(200);
    await approve({ evaluationId: 'ev_lv1', total: 70, grade: '中', submissionId: 'sub_lv', submissionVersion: 1, approvedAt: '2024-03-06T08:00:00.000Z' });
    const rows = await ds.query("SELECT evaluation_id, status, retraction_reason, retracted_by FROM publication_disclosures WHERE submission_id = 'sub_lv' ORDER BY evaluation_id");
    expect(rows).toEqual([
      { evaluation_id: 'ev_lv1', status: 'retracted', retraction_reason: '已由更正后的第 2 版替代（评价 ev_lv2）', retracted_by: 'publication' },
      { evaluation_id: 'ev_lv2', status: 'retracted', retraction_reason: '待核实', retracted_by: 'reviewer-huoqiu' }, // the reviewer's, as left
    ]);
    // neither leads to the other: no later version is in force
    for (const id of ['ev_lv1', 'ev_lv2']) expect(await text(`/public/evaluations/${id}`)).not.toContain('data-testid="replaced-by"');
  });

  it('a migration withdraws the earlier versions of forms published twice before one version was kept in force', async () => {
    await approve(
      { evaluationId: 'ev_dup1', total: 70, grade: '中', submissionId: 'sub_dup', submissionVersion: 1 },
      { evaluationId: 'ev_solo', total: 80, grade: '良' },
    );
    // as an earlier release left it: version 2 published beside version 1, both in force
    const [v1] = await ds.query("SELECT * FROM publication_disclosures WHERE evaluation_id = 'ev_dup1'");
    const [r1] = await ds.query(`SELECT * FROM publication_disclosure_revisions WHERE disclosure_id = '${v1.id}'`);
    const insert = async (table: string, row: Record<string, unknown>) => {
      const cols = Object.keys(row);
      const marks = cols.map((_, i) => (dialect === 'postgres' ? `$${i + 1}` : '?'));
      await ds.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${marks.join(', ')})`, Object.values(row));
    };
    await insert('publication_disclosures', { ...v1, id: 'disc_dup2', evaluation_id: 'ev_dup2', total: 85, grade: '良' });
    await insert('publication_disclosure_revisions', { ...r1, disclosure_id: 'disc_dup2', evaluation_id: 'ev_dup2', submission_version: 2, total: 85, grade: '良' });
    const inForce = async () =>
      (await ds.query("SELECT evaluation_id FROM publication_disclosures WHERE submission_id = 'sub_dup' AND status = 'published'")).map(
        (r: { evaluation_id: string }) => r.evaluation_id,
      );
    expect((await inForce()).sort()).toEqual(['ev_dup1', 'ev_dup2']);
    const runner = ds.createQueryRunner();
    try {
      await runner.startTransaction(); // as runMigrations runs each migration
      await new PublicationOneVersionInForce().up(runner);
      await runner.commitTransaction();
    } finally {
      await runner.release();
    }
    expect(await inForce()).toEqual(['ev_dup2']);
    const [audit] = await ds.query("SELECT action, reason FROM publication_audit WHERE entity_id = 'ev_dup1' ORDER BY seq DESC LIMIT 1");
    expect(audit).toEqual({ action: 'supersede', reason: '已由更正后的第 2 版替代（评价 ev_dup2）' });
    expect((await ds.query("SELECT status FROM publication_disclosures WHERE evaluation_id = 'ev_solo'"))[0].status).toBe('published');
    await waitFor('the withdrawal announced', async () =>
      (await publishedEvents()).some((e) => e.name === 'publication.evaluation.retracted.v1' && e.payload.evaluationId === 'ev_dup1'),
    );
  });

  it('a late chunk of an earlier run (scored before the result in force) changes nothing', async () => {
    await approve({ evaluationId: 'ev_rs_late', total: 92, grade: '优', scoredAt: '2024-03-01T08:00:01.000Z' });
    const revisions = () => count("SELECT COUNT(*) AS n FROM publication_disclosure_revisions WHERE evaluation_id = 'ev_rs_late'");
    await rescore([{ evaluationId: 'ev_rs_late', total: 84, grade: '良' }], { runId: 'run_later', scoredAt: '2024-04-03T00:00:00.000Z' });
    expect(await revisions()).toBe(2);
    // the earlier run's chunk arrives last: its result is older than the one in force
    await rescore([{ evaluationId: 'ev_rs_late', total: 70, grade: '中' }], { runId: 'run_earlier', scoredAt: '2024-04-02T00:00:00.000Z' });
    expect(await revisions()).toBe(2);
    expect(tableRows(await text('/public/341522/2023')).get('ev_rs_late')?.slice(3, 5)).toEqual(['84', '良']);
    const [latest] = await ds.query(
      "SELECT revision, total, scored_at, rescoring_run_id FROM publication_disclosure_revisions WHERE evaluation_id = 'ev_rs_late' ORDER BY revision DESC LIMIT 1",
    );
    expect(latest).toMatchObject({ revision: 2, total: 84, scored_at: '2024-04-03T00:00:00.000Z', rescoring_run_id: 'run_later' });
    const [first] = await ds.query("SELECT scored_at FROM publication_disclosure_revisions WHERE evaluation_id = 'ev_rs_late' AND revision = 1");
    expect(first.scored_at).toBe('2024-03-01T08:00:01.000Z');
  });
});
