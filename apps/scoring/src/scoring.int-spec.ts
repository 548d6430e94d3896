import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { EVENTS, QUEUES, type EventEnvelopeBase, type EventPayload } from '@jixiao/contracts';
import { parseDocument } from '@jixiao/forms';
import { jobEvents } from '@jixiao/messaging/testing/job-events';
import { TEST_REDIS_URL, waitFor } from '@jixiao/messaging/testing/test-redis';
import { verifyAudit, withTransaction } from '@jixiao/persistence';
import { TEST_DIALECTS } from '@jixiao/persistence/testing/test-database';
import type { RunningSystem } from '@jixiao/runtime';
import { loadRuleSets, ruleSetFromSnapshot, score } from '@jixiao/scoring';
import { ScoreEvaluations, type ScoreEvaluationsResult } from './commands/score-evaluations.command';
import { RulesChangedMeanwhile } from './commands/score-evaluations.handler';
import { SCORING_DATA_SOURCE } from './infrastructure/scoring.tokens';
import { ScoringModule } from './scoring.module';
import { bearer, boot, dropStorage, newStorage, RULES_DIR, type Storage } from '@jixiao/runtime/testing/service-under-test';

const SEED = join(__dirname, '../../../test/fixtures/seeds/000_b0ba8ebbf4c4018d.txt');
const auditor = { sub: 'a', role: 'auditor' as const, regions: ['CN'] };

/** The seed's two 霍邱 forms as intake would announce them. */
function seedSubmissions(): EventPayload<'intake.submission.received.v1'>[] {
  const registry = loadRuleSets(RULES_DIR);
  const { evaluations } = parseDocument(
    { content: readFileSync(SEED), fileName: 'seed.txt' },
    { regionLookup: (t) => registry.findRegionInText(t) },
  );
  return evaluations.map((evaluation, i) => ({
    submissionId: `sub_seed_${i}`,
    evaluationId: `ev_seed_${i}`,
    version: 1,
    previousVersionId: null,
    region: evaluation.region!,
    fiscalYear: evaluation.fiscalYear ?? null,
    formType: evaluation.formType,
    unitName: evaluation.unitName ?? null,
    projectName: evaluation.projectName ?? null,
    evaluation,
    actor: { user: 'u-huoqiu', role: 'submitter' },
    receivedAt: new Date().toISOString(),
  }));
}

const envelope = (id: string, name: string, payload: unknown): EventEnvelopeBase => ({
  id,
  name,
  producer: 'intake',
  occurredAt: new Date().toISOString(),
  correlationId: `corr-${id}`,
  payload,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
const json = (res: Response): Promise<any> => res.json();

describe.each(TEST_DIALECTS)('scoring service on %s', (dialect) => {
  let storage: Storage;
  let system: RunningSystem;
  let ds: DataSource;
  let inbox: Queue;
  let reviewInbox: Queue;

  const url = (path: string) => `${system.url}${path}`;
  const count = async (table: string) => Number((await ds.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
  const counts = async () => ({
    results: await count('scoring_results'),
    evaluations: await count('scoring_evaluations'),
    audit: await count('scoring_audit'),
    outbox: await count('scoring_outbox'),
    inbox: await count('scoring_inbox'),
  });
  const completed = (jobId: string) => async () => (await (await inbox.getJob(jobId))?.getState()) === 'completed';

  beforeAll(async () => {
    storage = newStorage(dialect, 'scoring');
    system = await boot([(ctx) => ScoringModule.forRoot(ctx)], storage);
    ds = system.app.get(SCORING_DATA_SOURCE, { strict: false });
    inbox = new Queue(QUEUES.scoringInbox, { connection: { url: TEST_REDIS_URL }, prefix: storage.prefix });
    reviewInbox = new Queue(QUEUES.reviewInbox, { connection: { url: TEST_REDIS_URL }, prefix: storage.prefix });
  });
  afterAll(async () => {
    await inbox?.close();
    await reviewInbox?.close();
    await system?.close();
    if (storage) await dropStorage(storage);
  });

  it('records every rules/ file as a version, the first of each rule set activated, each step audited', async () => {
    const rows = await ds.query(
      `SELECT rule_set_id, version, hash, status FROM scoring_rule_set_versions ORDER BY rule_set_id`,
    );
    const files = loadRuleSets(RULES_DIR).list();
    expect(rows.map((r: { rule_set_id: string }) => r.rule_set_id)).toEqual(files.map((f) => f.id));
    expect(rows.every((r: { status: string }) => r.status === 'active')).toBe(true);
    const audit = await ds.query(`SELECT action, to_state FROM scoring_audit WHERE entity_type = 'rule-set' ORDER BY seq`);
    expect(audit).toHaveLength(2 * files.length);
    expect(audit.slice(0, 2)).toEqual([
      { action: 'rule set loaded', to_state: 'draft' },
      { action: 'rule set activated', to_state: 'active' },
    ]);
  });

  it('scores received submissions: 霍邱 95.16 and 100, result + audit + the rules\' snapshot + scored events with figures', async () => {
    const submissions = seedSubmissions();
    await inbox.addBulk(
      submissions.map((s, i) => ({
        name: 'intake.submission.received.v1',
        data: envelope(`intake-${i + 1}`, 'intake.submission.received.v1', s),
        opts: { jobId: `intake-${i + 1}` },
      })),
    );
    await waitFor('two results', async () => (await count('scoring_results')) === 2);
    const results = await ds.query(
      `SELECT evaluation_id, submission_id, submission_version, total, grade, rule_set_id, rule_set_hash, routing_decision, finding_codes, findings_warning FROM scoring_results ORDER BY evaluation_id`,
    );
    expect(
      results.map((r: { evaluation_id: string; total: unknown; grade: string }) => [
        r.evaluation_id,
        Number(r.total),
        r.grade,
      ]),
    ).toEqual([
      ['ev_seed_0', 95.16, '优'],
      ['ev_seed_1', 100, '优'],
    ]);
    const ruleSet = loadRuleSets(RULES_DIR).resolve('341522', 2022);
    expect(results[0]).toMatchObject({
      rule_set_id: '341522',
      rule_set_hash: ruleSet.hash,
      routing_decision: 'auto-approve',
    });
    expect(JSON.parse(results[0].finding_codes)).toEqual(['NON_NUMERIC_ACTUAL']);

    const audit = await ds.query(
      `SELECT entity_id, action, from_state, to_state, reason FROM scoring_audit WHERE action = 'scored' ORDER BY seq`,
    );
    expect(audit.map((a: { entity_id: string }) => a.entity_id).sort()).toEqual(['ev_seed_0', 'ev_seed_1']);
    expect(audit[0]).toMatchObject({
      from_state: 'submitted',
      to_state: 'scored',
      reason: expect.stringContaining(ruleSet.hash),
    });

    await waitFor(
      'the scored events on review-inbox',
      async () => (await reviewInbox.getJobCounts('waiting', 'active', 'completed')).waiting >= 2,
    );
    const jobs = await reviewInbox.getJobs(['waiting']);
    const scored = (jobEvents(jobs) as EventEnvelopeBase[])
      .find((e) => (e.payload as { evaluationId: string }).evaluationId === 'ev_seed_0')!;
    expect(scored).toMatchObject({
      name: 'scoring.evaluation.scored.v1',
      producer: 'scoring',
      correlationId: 'corr-intake-1',
    });
    expect(() => EVENTS['scoring.evaluation.scored.v1'].schema.parse(scored.payload)).not.toThrow();
    expect(scored.payload).toMatchObject({
      total: 95.16,
      grade: '优',
      submissionId: 'sub_seed_0',
      ruleSet: { id: '341522', hash: ruleSet.hash },
      rescoringRunId: null,
    });
    // figures only: review recomputes the breakdown from the evaluation and the rules' snapshot sent before
    expect(scored.payload).not.toHaveProperty('result');
    const events = jobEvents(await reviewInbox.getJobs(['waiting'])) as EventEnvelopeBase[];
    const snapshots = events.filter((e) => e.name === 'scoring.ruleset.snapshot.v1');
    expect(snapshots).toHaveLength(1);
    // written before the scores that cite it (the relay sends in outbox order)
    const names: Array<{ name: string }> = await ds.query(
      `SELECT name FROM scoring_outbox WHERE name IN ('scoring.ruleset.snapshot.v1', 'scoring.evaluation.scored.v1') ORDER BY id`,
    );
    expect(names.map((n) => n.name)).toEqual([
      'scoring.ruleset.snapshot.v1',
      'scoring.evaluation.scored.v1',
      'scoring.evaluation.scored.v1',
    ]);
    const snapshot = EVENTS['scoring.ruleset.snapshot.v1'].schema.parse(snapshots[0].payload);
    expect(snapshot.ruleSet).toEqual({ id: '341522', version: ruleSet.version, hash: ruleSet.hash });
    // the rules it holds score the evaluation as scoring did, explanations and all
    const again = score({ ...seedSubmissions()[0].evaluation, region: '341522', fiscalYear: 2022 }, ruleSetFromSnapshot(snapshot.content));
    expect(again.computed.total).toBe(95.16);
    expect(again.computed.indicators[0].explanation).toEqual(expect.any(String));
  });

  it('a redelivered received event (the same event re-added by hand) changes nothing', async () => {
    await waitFor('first delivery done', completed('intake-1'));
    const before = await counts();
    const [job] = await inbox.getJobs(['completed']).then((js) => js.filter((j) => j.id === 'intake-1'));
    await inbox.add(job.name, job.data, { jobId: 'intake-1-redelivered' });
    await waitFor('redelivery processed', completed('intake-1-redelivered'));
    expect(await counts()).toEqual(before);
  });

  it('scores an evaluation once however often it is announced: again alone, twice in a batch, beside a new one', async () => {
    const commands = system.app.get(CommandBus, { strict: false });
    const score = (submissions: ReturnType<typeof seedSubmissions>) =>
      withTransaction(ds, (m) => commands.execute<ScoreEvaluations, ScoreEvaluationsResult>(new ScoreEvaluations(submissions, m, {})));
    const [known] = seedSubmissions(); // ev_seed_0: scored by an earlier test
    const fresh = { ...known, submissionId: 'sub_again', evaluationId: 'ev_again' };
    const before = await counts();
    expect(await score([known])).toEqual({ written: [], skipped: ['ev_seed_0'] });
    expect(await counts()).toEqual(before);
    const mixed = await score([known, fresh, fresh]);
    expect(mixed.written.map((w) => w.evaluationId)).toEqual(['ev_again']);
    expect(mixed.skipped).toEqual(['ev_seed_0', 'ev_again']);
    expect(await counts()).toEqual({
      ...before,
      results: before.results + 1,
      evaluations: before.evaluations + 1,
      audit: before.audit + 1,
      outbox: before.outbox + 1,
    });
  });

  it.runIf(dialect === 'postgres')(
    'scores with the rules it last read, confirmed at the end: an activation elsewhere meanwhile fails the batch (nothing written) and the rules read afresh score it; a confirmed batch holds off activations until it commits',
    async () => {
      const commands = system.app.get(CommandBus, { strict: false });
      const [seed] = seedSubmissions();
      const make = (n: string) => ({ ...seed, submissionId: `sub_gen_${n}`, evaluationId: `ev_gen_${n}` });
      const score = (submissions: ReturnType<typeof seedSubmissions>) =>
        withTransaction(ds, (m) => commands.execute<ScoreEvaluations, ScoreEvaluationsResult>(new ScoreEvaluations(submissions, m, {})));
      const generation = async () => Number((await ds.query('SELECT generation FROM scoring_rule_state WHERE id = 1'))[0].generation);
      expect((await score([make('a')])).written).toHaveLength(1); // the rules are read (and kept)
      const before = await generation();
      // another process activates a version: as this one can tell, the generation moves on
      await ds.query('UPDATE scoring_rule_state SET generation = generation + 1 WHERE id = 1');
      const counted = await counts();
      await expect(score([make('b')])).rejects.toThrow(RulesChangedMeanwhile);
      expect(await counts()).toEqual(counted);
      expect((await score([make('b')])).written).toHaveLength(1);
      const [row] = await ds.query(`SELECT current_generation FROM scoring_evaluations WHERE evaluation_id = 'ev_gen_b'`);
      expect(Number(row.current_generation)).toBe(before + 1);

      // a batch that confirmed the generation holds it until it commits: an activation waits
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const scored = new Promise<void>((resolve) => (written = resolve));
      const batch = withTransaction(ds, async (m) => {
        await commands.execute(new ScoreEvaluations([make('c')], m, {}));
        written();
        await held;
      });
      await scored;
      const activation = ds.transaction(async (m) => {
        await m.query(`SET LOCAL lock_timeout = '300ms'`);
        await m.query('UPDATE scoring_rule_state SET generation = generation + 1 WHERE id = 1');
      });
      await expect(activation).rejects.toThrow(/lock timeout/);
      release();
      await batch;
      expect(await generation()).toBe(before + 1);
    },
  );

  it('records a rule-set activation in the inbox and does nothing else yet', async () => {
    const before = await counts();
    const activation = EVENTS['scoring.ruleset.activated.v1'].example;
    await inbox.add(
      'scoring.ruleset.activated.v1',
      { ...envelope('scoring-77', 'scoring.ruleset.activated.v1', activation), producer: 'scoring' },
      { jobId: 'scoring-77' },
    );
    await waitFor('activation processed', completed('scoring-77'));
    expect(await counts()).toEqual({ ...before, inbox: before.inbox + 1 });
  });

  it('serves the rule sets to any authenticated role', async () => {
    expect((await fetch(url('/rule-sets'))).status).toBe(401);
    const list = await json(
      await fetch(url('/rule-sets'), { headers: bearer({ sub: 's', role: 'submitter', regions: ['341522'] }) }),
    );
    expect(list).toContainEqual(
      expect.objectContaining({
        id: '341522',
        region: expect.objectContaining({ code: '341522' }),
        status: 'active',
        years: { from: null, to: null },
      }),
    );
    const effective = await json(await fetch(url('/rule-sets/341522?year=2022'), { headers: bearer(auditor) }));
    expect(effective).toMatchObject({
      id: '341522',
      version: 1,
      status: 'active',
      hash: loadRuleSets(RULES_DIR).resolve('341522', 2022).hash,
    });
    const byName = await json(
      await fetch(url(`/rule-sets/${encodeURIComponent('霍邱县')}`), { headers: bearer(auditor) }),
    );
    expect(byName.id).toBe('341522');
    const sichuan = await json(await fetch(url('/rule-sets/510107?year=2022'), { headers: bearer(auditor) }));
    expect(sichuan.id).toBe('CN'); // 四川's file covers 2023 onwards
    expect((await fetch(url('/rule-sets/nowhere'), { headers: bearer(auditor) })).status).toBe(404);
    expect((await fetch(url('/rule-sets/341522?year=22'), { headers: bearer(auditor) })).status).toBe(400);
  });

  it('reports health with the inbox depth, and a verifying audit chain', async () => {
    const health = await json(await fetch(url('/health')));
    expect(health.info.scoring).toMatchObject({
      status: 'up',
      database: { status: 'up' },
      outbox: { unsent: expect.any(Number) },
      redis: { status: 'up' },
      queues: { 'scoring-inbox': { waiting: 0 }, 'scoring-rescore': { waiting: expect.any(Number) } },
    });
    const verify = await json(await fetch(url('/audit/verify'), { headers: bearer(auditor) }));
    expect(verify).toMatchObject({ ok: true, chains: { scoring: { ok: true } } });
    expect(await verifyAudit(ds, 'scoring_audit')).toEqual({ ok: true, records: await count('scoring_audit') });
  });

  it('a restart records no rule-set version twice', async () => {
    const before = await counts();
    await system.close();
    system = await boot([(ctx) => ScoringModule.forRoot(ctx)], storage);
    ds = system.app.get(SCORING_DATA_SOURCE, { strict: false });
    expect(await counts()).toEqual(before);
  });
});

describe('scoring start-up with a broken rule file', () => {
  it('refuses to start, naming the file and the JSON path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-rules-'));
    const storage = newStorage('sqlite', 'scoring');
    try {
      cpSync(RULES_DIR, dir, { recursive: true });
      const file = join(dir, '130126.json');
      const rules = JSON.parse(readFileSync(file, 'utf8'));
      writeFileSync(file, JSON.stringify({ ...rules, version: 'two' }, null, 2));
      await expect(boot([(ctx) => ScoringModule.forRoot(ctx)], storage, { RULES_DIR: dir })).rejects.toThrow(
        /130126\.json.*\$\.version/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await dropStorage(storage);
    }
  });
});

describe('scoring start-up after a rules/ file was edited', () => {
  it('records the edited file as a draft; scoring keeps the active version until a rule admin activates it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-rules-'));
    const storage = newStorage('sqlite', 'scoring');
    let system: RunningSystem | undefined;
    try {
      cpSync(RULES_DIR, dir, { recursive: true });
      system = await boot([(ctx) => ScoringModule.forRoot(ctx)], storage, { RULES_DIR: dir });
      await system.close();
      const file = join(dir, '130126.json');
      const rules = JSON.parse(readFileSync(file, 'utf8'));
      rules.grades[0].conditions.all[0].value = 90;
      rules.grades[1].conditions.all[1].value = 90;
      writeFileSync(file, JSON.stringify(rules, null, 2));
      system = await boot([(ctx) => ScoringModule.forRoot(ctx)], storage, { RULES_DIR: dir });
      const res = await fetch(`${system.url}/rule-sets/130126/versions`, { headers: bearer(auditor) });
      const versions = await json(res);
      expect(versions.map((v: { version: number; status: string; origin: string }) => [v.version, v.status, v.origin])).toEqual([
        [1, 'active', 'file'],
        [2, 'draft', 'file'],
      ]);
      const effective = await json(await fetch(`${system.url}/rule-sets/130126`, { headers: bearer(auditor) }));
      expect(effective.grades[0].conditions.all[0].value).toBe(85);
    } finally {
      await system?.close();
      rmSync(dir, { recursive: true, force: true });
      await dropStorage(storage);
    }
  });
});
