import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { QUEUES, SubmissionReceivedV1, type CanonicalEvaluation } from '@jixiao/contracts';
import { parseDocument, templateBuffer } from '@jixiao/forms';
import { jobEvents } from '@jixiao/messaging/testing/job-events';
import { TEST_REDIS_URL, waitFor } from '@jixiao/messaging/testing/test-redis';
import { verifyAudit } from '@jixiao/persistence';
import { TEST_DIALECTS } from '@jixiao/persistence/testing/test-database';
import type { RunningSystem } from '@jixiao/runtime';
import { INTAKE_DATA_SOURCE } from './infrastructure/intake.tokens';
import { IntakeModule } from './intake.module';
import { bearer, boot, dropStorage, newStorage, type Storage } from '@jixiao/runtime/testing/service-under-test';

const SEED = join(__dirname, '../../../test/fixtures/seeds/000_b0ba8ebbf4c4018d.txt');
const HUOQIU = '341522';
const submitter = { sub: 'u-huoqiu', role: 'submitter' as const, regions: [HUOQIU] };
const example = SubmissionReceivedV1.example.evaluation;
const evaluation = (extra: Partial<CanonicalEvaluation> = {}): CanonicalEvaluation => ({ ...example, ...extra });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
const json = (res: Response): Promise<any> => res.json();

describe.each(TEST_DIALECTS)('intake service on %s', (dialect) => {
  let storage: Storage;
  let system: RunningSystem;
  let ds: DataSource;
  let inbox: Queue;

  const url = (path: string) => `${system.url}${path}`;
  const postJson = (path: string, body: unknown, headers: Record<string, string> = bearer(submitter)) =>
    fetch(url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const upload = (
    content: Buffer | string,
    fileName: string,
    fields: Record<string, string> = {},
    headers = bearer(submitter),
  ) => {
    const form = new FormData();
    form.append('file', new Blob([typeof content === 'string' ? Buffer.from(content) : content]), fileName);
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    return fetch(url('/documents'), { method: 'POST', headers, body: form });
  };
  const count = async (table: string) => Number((await ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const counts = async () => ({
    submissions: await count('intake_submissions'),
    versions: await count('intake_versions'),
    documents: await count('intake_documents'),
    outbox: await count('intake_outbox'),
    audit: await count('intake_audit'),
  });

  beforeAll(async () => {
    storage = newStorage(dialect, 'intake');
    system = await boot([(ctx) => IntakeModule.forRoot(ctx)], storage);
    ds = system.app.get(INTAKE_DATA_SOURCE, { strict: false });
    inbox = new Queue(QUEUES.scoringInbox, { connection: { url: TEST_REDIS_URL }, prefix: storage.prefix });
  });
  afterAll(async () => {
    await inbox?.close();
    await system?.close();
    if (storage) await dropStorage(storage);
  });

  it('stores a JSON submission with its version, audit record and received event, and relays the event', async () => {
    const res = await postJson('/evaluations', evaluation());
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.evaluationIds).toHaveLength(1);
    expect(body.submissionIds).toHaveLength(1);
    const [evaluationId] = body.evaluationIds;

    const [version] = await ds.query(`SELECT * FROM intake_versions WHERE evaluation_id = '${evaluationId}'`);
    expect(version).toMatchObject({
      submission_id: body.submissionIds[0],
      previous_version_id: null,
      document_sha256: null,
    });
    expect(Number(version.version)).toBe(1);
    expect(JSON.parse(version.evaluation)).toMatchObject({ region: HUOQIU, projectName: example.projectName });

    const [event] = await ds.query(`SELECT id, name, payload FROM intake_outbox ORDER BY id DESC LIMIT 1`);
    expect(event.name).toBe('intake.submission.received.v1');
    expect(JSON.parse(event.payload)).toMatchObject({
      evaluationId,
      version: 1,
      region: HUOQIU,
      actor: { user: 'u-huoqiu', role: 'submitter' },
    });
    const jobId = `intake-${event.id}`;
    await waitFor('the received event on scoring-inbox', async () => !!(await inbox.getJob(jobId)));
    expect(jobEvents([(await inbox.getJob(jobId))!])[0]).toMatchObject({
      name: 'intake.submission.received.v1',
      payload: { evaluationId },
    });

    const audit = await ds.query(
      `SELECT action, entity_id, from_state, to_state, actor_user FROM intake_audit WHERE entity_id = '${evaluationId}'`,
    );
    expect(audit).toEqual([
      {
        action: 'submission stored',
        entity_id: evaluationId,
        from_state: null,
        to_state: 'submitted',
        actor_user: 'u-huoqiu',
      },
    ]);
  });

  it('stores N evaluations of one request as N submissions in one go', async () => {
    const before = await counts();
    const res = await postJson('/evaluations', {
      evaluations: [
        evaluation({ projectName: 'A' }),
        evaluation({ projectName: 'B' }),
        evaluation({ projectName: 'C' }),
      ],
    });
    expect(res.status).toBe(201);
    const { evaluationIds, submissionIds } = await json(res);
    expect(evaluationIds).toHaveLength(3);
    // time-ordered (UUID version 7): ids given later sort after earlier ones, so new rows go to the indexes' right edge
    const later = await json(await postJson('/evaluations', evaluation({ projectName: 'D' })));
    for (const [ids, next] of [
      [evaluationIds, later.evaluationIds[0]],
      [submissionIds, later.submissionIds[0]],
    ] as const) {
      for (const id of [...ids, next]) expect(id).toMatch(/^(ev|sub)_[0-9a-f]{12}7[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
      expect([...ids].sort()).toEqual(ids);
      expect(ids.every((id: string) => id < next)).toBe(true);
    }
    const after = await counts();
    expect(after).toEqual({
      ...before,
      submissions: before.submissions + 4,
      versions: before.versions + 4,
      outbox: before.outbox + 4,
      audit: before.audit + 4,
    });
  });

  it('concurrent requests share transactions yet each gets its own ids, rows, events and audit record', async () => {
    const before = await counts();
    const responses = await Promise.all(
      Array.from({ length: 30 }, (_, i) => postJson('/evaluations', evaluation({ projectName: `并发 ${i}` }))),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(30).fill(201));
    const ids = (await Promise.all(responses.map((r) => json(r)))).flatMap((b) => b.evaluationIds);
    expect(new Set(ids).size).toBe(30);
    expect(await counts()).toEqual({
      ...before,
      submissions: before.submissions + 30,
      versions: before.versions + 30,
      outbox: before.outbox + 30,
      audit: before.audit + 30,
    });
    expect(await verifyAudit(ds, 'intake_audit')).toMatchObject({ ok: true });
  });

  it.runIf(dialect === 'postgres')(
    'a request that fails in a shared transaction fails alone (PostgreSQL enforces varchar lengths)',
    async () => {
      const before = await counts();
      const tooLong = bearer({ sub: 'u'.repeat(250), role: 'submitter', regions: [HUOQIU] });
      const statuses = await Promise.all(
        [
          ...Array.from({ length: 8 }, () => postJson('/evaluations', evaluation())),
          postJson('/evaluations', evaluation(), tooLong),
        ].map((p) => p.then((r) => r.status)),
      );
      expect(statuses.slice(0, 8)).toEqual(Array(8).fill(201));
      expect(statuses[8]).toBe(500);
      expect(await counts()).toEqual({
        ...before,
        submissions: before.submissions + 8,
        versions: before.versions + 8,
        outbox: before.outbox + 8,
        audit: before.audit + 8,
      });
    },
  );

  it('parses an uploaded seed document: region recognised, two forms, document stored once', async () => {
    const content = readFileSync(SEED);
    const res = await upload(content, '霍邱县-自评.txt');
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.region).toBe(HUOQIU);
    expect(body.evaluationIds).toHaveLength(2);
    expect(body.diagnostics).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining('霍邱县 (341522) recognised') }),
    );

    const versions = await ds.query(
      `SELECT evaluation, document_name, document_sha256, document_form_index, document_media_type FROM intake_versions WHERE evaluation_id IN ('${body.evaluationIds.join("','")}') ORDER BY document_form_index`,
    );
    expect(versions.map((v: { document_name: string }) => v.document_name)).toEqual([
      '霍邱县-自评.txt',
      '霍邱县-自评.txt',
    ]);
    expect(versions.map((v: { document_form_index: unknown }) => Number(v.document_form_index))).toEqual([0, 1]);
    expect(versions[0].document_media_type).toBe('text/plain');
    expect(versions.map((v: { evaluation: string }) => JSON.parse(v.evaluation).projectName)).toEqual([
      '电子政务各项专项经费',
      '各项工作运转经费',
    ]);
    const docs = await ds.query(
      `SELECT size_bytes, content_text FROM intake_documents WHERE sha256 = '${versions[0].document_sha256}'`,
    );
    expect(docs).toHaveLength(1);
    expect(docs[0].content_text).toBe(content.toString('utf8'));

    const events = await ds.query(`SELECT payload FROM intake_outbox ORDER BY id DESC LIMIT 2`);
    expect(events.map((e: { payload: string }) => JSON.parse(e.payload).evaluationId).sort()).toEqual(
      [...body.evaluationIds].sort(),
    );
  });

  it('parses an uploaded spreadsheet and keeps its bytes', async () => {
    const { evaluations } = parseDocument({ content: readFileSync(SEED), fileName: 'seed.txt' }, { region: HUOQIU });
    const xlsx = await templateBuffer(evaluations[0]);
    const res = await upload(xlsx, '自评表.xlsx', { region: HUOQIU });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body.evaluationIds).toHaveLength(1);
    const [version] = await ds.query(
      `SELECT evaluation, document_sha256, document_media_type FROM intake_versions WHERE evaluation_id = '${body.evaluationIds[0]}'`,
    );
    expect(version.document_media_type).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(JSON.parse(version.evaluation)).toMatchObject({ projectName: evaluations[0].projectName, region: HUOQIU });
    const [doc] = await ds.query(
      `SELECT content_text, content_base64 FROM intake_documents WHERE sha256 = '${version.document_sha256}'`,
    );
    expect(doc.content_text).toBeNull();
    expect(Buffer.from(doc.content_base64, 'base64').equals(xlsx)).toBe(true);
  });

  it('needs a region for a document that names none it knows: 400 without, the given one (code or name) with', async () => {
    const anonymous = readFileSync(SEED, 'utf8').replaceAll('霍邱', '某某');
    const before = await counts();
    const refused = await upload(anonymous, 'anon.txt');
    expect(refused.status).toBe(400);
    expect((await json(refused)).message).toMatch(/no region and none was given or recognised/);
    expect(await counts()).toEqual(before);
    const byCode = await json(await upload(anonymous, 'anon.txt', { region: HUOQIU, year: '2023' }));
    expect(byCode).toMatchObject({ region: HUOQIU, evaluationIds: [expect.any(String), expect.any(String)] });
    const [stored] = await ds.query(
      `SELECT evaluation FROM intake_versions WHERE evaluation_id = '${byCode.evaluationIds[0]}'`,
    );
    expect(JSON.parse(stored.evaluation)).toMatchObject({ region: HUOQIU, fiscalYear: 2023 });
    const byName = await upload(anonymous, 'anon.txt', { region: '霍邱县' });
    expect((await json(byName)).region).toBe(HUOQIU);
    expect((await upload(anonymous, 'anon.txt', { region: '不存在县' })).status).toBe(400);
  });

  it('links a corrected version to its predecessor; only the latest version can be corrected', async () => {
    const first = await json(await postJson('/evaluations', evaluation({ projectName: '待更正项目' })));
    const v1 = first.evaluationIds[0];
    const res = await postJson(
      `/evaluations?previousVersionId=${v1}`,
      evaluation({ projectName: '待更正项目', funds: { executed: 99, adjustedBudget: 100 } }),
    );
    expect(res.status).toBe(201);
    const second = await json(res);
    expect(second.submissionIds).toEqual(first.submissionIds);
    expect(second.versions).toEqual([
      {
        evaluationId: second.evaluationIds[0],
        submissionId: first.submissionIds[0],
        version: 2,
        previousVersionId: v1,
      },
    ]);

    const view = await json(await fetch(url(`/submissions/${first.submissionIds[0]}`), { headers: bearer(submitter) }));
    expect(view).toMatchObject({
      id: first.submissionIds[0],
      region: HUOQIU,
      latestVersion: 2,
      latestEvaluationId: second.evaluationIds[0],
    });
    expect(
      view.versions.map((v: { evaluationId: string; version: number; previousVersionId: string | null }) => [
        v.evaluationId,
        v.version,
        v.previousVersionId,
      ]),
    ).toEqual([
      [v1, 1, null],
      [second.evaluationIds[0], 2, v1],
    ]);
    const [audit] = await ds.query(
      `SELECT action, reason FROM intake_audit WHERE entity_id = '${second.evaluationIds[0]}'`,
    );
    expect(audit).toMatchObject({ action: 'version added', reason: expect.stringContaining(v1) });

    const again = await postJson('/evaluations', { ...evaluation(), previousVersionId: v1 });
    expect(again.status).toBe(409);
    expect(await postJson('/evaluations?previousVersionId=ev_nope', evaluation()).then((r) => r.status)).toBe(404);
  });

  it('two corrections of the same version at once: one becomes version 2, the other gets 409', async () => {
    const first = await json(await postJson('/evaluations', evaluation({ projectName: '并发更正' })));
    const v1 = first.evaluationIds[0];
    const statuses = await Promise.all(
      [1, 2].map(() =>
        postJson(`/evaluations?previousVersionId=${v1}`, evaluation({ projectName: '并发更正' })).then((r) => r.status),
      ),
    );
    expect(statuses.sort()).toEqual([201, 409]);
    const view = await json(await fetch(url(`/submissions/${first.submissionIds[0]}`), { headers: bearer(submitter) }));
    expect(view.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
  });

  it('refuses an invalid evaluation with 400 naming the JSON path, storing nothing', async () => {
    const before = await counts();
    const res = await postJson('/evaluations', {
      evaluations: [evaluation(), { ...evaluation(), indicators: [{ name: 'x', weight: 'ten' }] }],
    });
    expect(res.status).toBe(400);
    expect((await json(res)).message).toMatch(/\$\.evaluations\[1\]\.indicators\[0\]\.weight/);
    const noRegion = await postJson('/evaluations', evaluation({ region: null }));
    expect(noRegion.status).toBe(400);
    expect((await json(noRegion)).message).toMatch(/no region/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a document without a form with 422 and the parser message, storing nothing', async () => {
    const before = await counts();
    const res = await upload('hello world\nnothing to see', 'notes.txt');
    expect(res.status).toBe(422);
    const said = (await json(res)) as Record<string, unknown>;
    expect(said).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity' });
    expect(said.message).toMatch(/notes\.txt: no 项目支出绩效自评表/);
    expect(said.messageZh).toMatch(/^notes\.txt：未找到项目支出绩效自评表/);
    // a header whose cells cannot be told apart: the line where reading stopped
    const runTogether = await upload('项目名称 某项目\n一级指标 二级指标 三级指标 指标值 实际完成值 分值 得分\n', 'flat.txt');
    expect(runTogether.status).toBe(422);
    expect(await json(runTogether)).toMatchObject({ line: 2, messageZh: expect.stringContaining('第 2 行') });
    const pdf = await upload('x', 'scan.pdf');
    expect(pdf.status).toBe(400);
    expect(await json(pdf)).toMatchObject({ message: expect.stringMatching(/unsupported file type/), messageZh: expect.stringMatching(/不支持这种文件类型/) });
    expect(await counts()).toEqual(before);
  });

  it('refuses a document over the size limit', async () => {
    const res = await upload(Buffer.alloc(10 * 1024 * 1024 + 1, 0x20), 'big.txt');
    expect(res.status).toBe(413);
  });

  it('authorises: 401 without token, 403 for a reviewer or another region or unit', async () => {
    expect((await postJson('/evaluations', evaluation(), {})).status).toBe(401);
    expect(
      (await postJson('/evaluations', evaluation(), bearer({ sub: 'r', role: 'reviewer', regions: [HUOQIU] }))).status,
    ).toBe(403);
    expect(
      (await postJson('/evaluations', evaluation(), bearer({ sub: 'u', role: 'submitter', regions: ['130126'] })))
        .status,
    ).toBe(403);
    const unitToken = bearer({ sub: 'u', role: 'submitter', regions: [HUOQIU], unit: '别的单位' });
    expect((await postJson('/evaluations', evaluation(), unitToken)).status).toBe(403);
    const ownUnit = bearer({ sub: 'u', role: 'submitter', regions: [HUOQIU], unit: example.unitName! });
    expect((await postJson('/evaluations', evaluation(), ownUnit)).status).toBe(201);
    expect(
      (await upload(readFileSync(SEED), 'seed.txt', {}, bearer({ sub: 'u', role: 'submitter', regions: ['130126'] })))
        .status,
    ).toBe(403);
    expect((await fetch(url('/submissions/whatever'))).status).toBe(401);
  });

  it('lets the submitter, covering reviewers and auditors read a submission; others get 403', async () => {
    const { submissionIds } = await json(await postJson('/evaluations', evaluation()));
    const get = (p: Parameters<typeof bearer>[0]) =>
      fetch(url(`/submissions/${submissionIds[0]}`), { headers: bearer(p) }).then((r) => r.status);
    expect(await get(submitter)).toBe(200);
    expect(await get({ sub: 'r', role: 'reviewer', regions: ['341500'] })).toBe(200);
    expect(await get({ sub: 'a', role: 'auditor', regions: ['CN'] })).toBe(200);
    expect(await get({ sub: 'ra', role: 'rule_admin', regions: ['340000'] })).toBe(200);
    expect(await get({ sub: 'r', role: 'reviewer', regions: ['130126'] })).toBe(403);
    expect(await get({ sub: 'u', role: 'submitter', regions: ['130126'] })).toBe(403);
    expect(await fetch(url('/submissions/sub_unknown'), { headers: bearer(submitter) }).then((r) => r.status)).toBe(
      404,
    );
  });

  it('documents its routes and the evaluation body in OpenAPI', async () => {
    const doc = await json(await fetch(url('/docs/openapi.json')));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/evaluations', '/documents', '/submissions/{id}']));
    const body = doc.paths['/evaluations'].post.requestBody.content['application/json'].schema;
    expect(body.oneOf[0].properties).toHaveProperty('indicators');
    expect(body.oneOf[0].properties).toHaveProperty('previousVersionId');
    expect(doc.paths['/evaluations'].post.parameters.map((p: { name: string }) => p.name)).toContain(
      'previousVersionId',
    );
    for (const route of ['/evaluations', '/documents'])
      expect(doc.paths[route].post.parameters).toContainEqual(
        expect.objectContaining({ name: 'Idempotency-Key', in: 'header', required: false }),
      );
  });

  describe('Idempotency-Key: a retry stores nothing twice', () => {
    const keyed = (key: string, who = submitter) => ({ ...bearer(who), 'idempotency-key': key });
    const uploadKeyed = (content: Buffer, key: string, fields: Record<string, string> = {}) =>
      upload(content, 'seed.txt', fields, keyed(key));

    it('answers a retry of a JSON submission as the first, word for word, and stores nothing more', async () => {
      const first = await postJson('/evaluations', evaluation(), keyed('json-retry-1'));
      expect(first.status).toBe(201);
      expect(first.headers.get('idempotent-replayed')).toBeNull();
      const answer = await json(first);
      const stored = await counts();
      const retry = await postJson('/evaluations', evaluation(), keyed('json-retry-1'));
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(await json(retry)).toEqual(answer);
      expect(await counts()).toEqual(stored);
      // the key is the user's own: another user's same key is another submission
      const other = { ...submitter, sub: 'u-huoqiu-2' };
      const theirs = await postJson('/evaluations', evaluation(), keyed('json-retry-1', other));
      expect(theirs.headers.get('idempotent-replayed')).toBeNull();
      expect((await json(theirs)).evaluationIds).not.toEqual(answer.evaluationIds);
    });

    it('refuses the same key for another request (422, said in Chinese too), storing nothing', async () => {
      expect((await postJson('/evaluations', evaluation(), keyed('json-reused'))).status).toBe(201);
      const before = await counts();
      const reused = await postJson('/evaluations', evaluation({ projectName: '另一个项目' }), keyed('json-reused'));
      expect(reused.status).toBe(422);
      expect(await json(reused)).toMatchObject({
        message: expect.stringMatching(/Idempotency-Key json-reused was used for another submission/),
        messageZh: expect.stringMatching(/已用于另一份内容不同的提交/),
      });
      expect(await counts()).toEqual(before);
      const bad = await postJson('/evaluations', evaluation(), keyed('x'.repeat(256)));
      expect(bad.status).toBe(400);
      expect((await json(bad)).message).toMatch(/Idempotency-Key: expected 1 to 255 visible ASCII/);
    });

    it('stores a document once when the same upload arrives several times at once (a double click)', async () => {
      const before = await counts();
      const answers = await Promise.all(
        Array.from({ length: 6 }, () => uploadKeyed(readFileSync(SEED), 'doc-burst', { region: HUOQIU })),
      );
      expect(answers.map((r) => r.status)).toEqual(Array(6).fill(201));
      const bodies = await Promise.all(answers.map(json));
      for (const b of bodies) expect(b).toEqual(bodies[0]);
      expect(answers.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(5);
      const after = await counts();
      expect(after.submissions - before.submissions).toBe(bodies[0].evaluationIds.length);
      expect(after.versions - before.versions).toBe(bodies[0].evaluationIds.length);
      expect(after.audit - before.audit).toBe(bodies[0].evaluationIds.length);
      expect(await verifyAudit(ds, 'intake_audit')).toMatchObject({ ok: true });
    });

    it('answers a retried correction with the corrected version, not 409 (it is the latest now)', async () => {
      const [v1] = (await json(await postJson('/evaluations', evaluation()))).evaluationIds;
      const correct = () =>
        postJson('/evaluations', { ...evaluation(), previousVersionId: v1 }, keyed(`correct-${v1}`));
      const before = await counts();
      // the first attempt and its retries at once: one correction stored (the others wait for its lock, then find
      // its key), and every one answered with it
      const attempts = await Promise.all([correct(), correct(), correct()]);
      expect(attempts.map((r) => r.status)).toEqual([201, 201, 201]);
      expect(attempts.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(2);
      const answers = await Promise.all(attempts.map(json));
      for (const a of answers) expect(a.versions).toEqual(answers[0].versions);
      const stored = await counts();
      expect(stored.versions - before.versions).toBe(1);
      const retry = await correct();
      expect(retry.status).toBe(201);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect((await json(retry)).versions).toEqual(answers[0].versions);
      expect(await counts()).toEqual(stored);
      // without the key, the same correction again is refused as before: its version is no longer the latest
      expect((await postJson('/evaluations', { ...evaluation(), previousVersionId: v1 })).status).toBe(409);
    });

    it('forgets a key after a day', async () => {
      const first = await json(await postJson('/evaluations', evaluation(), keyed('a-day-old')));
      const dayAgo = new Date(Date.now() - 25 * 3600 * 1000).toISOString();
      await ds.query(`UPDATE intake_idempotency_keys SET created_at = '${dayAgo}' WHERE idempotency_key = 'a-day-old'`);
      const later = await postJson('/evaluations', evaluation(), keyed('a-day-old'));
      expect(later.status).toBe(201);
      expect(later.headers.get('idempotent-replayed')).toBeNull();
      expect((await json(later)).evaluationIds).not.toEqual(first.evaluationIds);
      expect(
        Number((await ds.query(`SELECT COUNT(*) AS n FROM intake_idempotency_keys WHERE idempotency_key = 'a-day-old'`))[0].n),
      ).toBe(1);
    });
  });

  it('reports health and a verifying audit chain', async () => {
    const health = await json(await fetch(url('/health')));
    expect(health).toMatchObject({ status: 'ok', info: { intake: { status: 'up', database: { status: 'up' }, redis: { status: 'up' } } } });
    expect(health.info.intake.queues).toBeUndefined(); // intake consumes no queue
    const verify = await json(
      await fetch(url('/audit/verify'), { headers: bearer({ sub: 'a', role: 'auditor', regions: ['CN'] }) }),
    );
    expect(verify).toMatchObject({ ok: true, chains: { intake: { ok: true } } });
    expect(await verifyAudit(ds, 'intake_audit')).toEqual({ ok: true, records: await count('intake_audit') });
  });
});
