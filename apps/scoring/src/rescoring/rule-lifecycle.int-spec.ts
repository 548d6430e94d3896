import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandBus } from '@nestjs/cqrs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { parseEvent, type EventPayload } from '@jixiao/contracts';
import { waitFor } from '@jixiao/messaging/testing/test-redis';
import { verifyAudit, withTransaction } from '@jixiao/persistence';
import { TEST_DIALECTS } from '@jixiao/persistence/testing/test-database';
import type { RunningSystem } from '@jixiao/runtime';
import { ScoreEvaluations } from '../commands/score-evaluations.command';
import { SCORING_DATA_SOURCE, SCORING_RESCORE_QUEUE } from '../infrastructure/scoring.tokens';
import type { RescoreQueue } from './rescore-queue';
import { ScoringModule } from '../scoring.module';
import { bearer, boot, dropStorage, newStorage, RULES_DIR, type Storage } from '@jixiao/runtime/testing/service-under-test';
import { RescoringService } from './rescoring.service';
import { getRun } from './run-store';

type Received = EventPayload<'intake.submission.received.v1'>;

const admin = (regions: string[]) => ({ sub: `admin-${regions.join('-')}`, role: 'rule_admin' as const, regions });
const LINGSHOU_ADMIN = admin(['130126']);
const NATIONAL_ADMIN = admin(['CN']);
const AUDITOR = { sub: 'auditor', role: 'auditor' as const, regions: ['CN'] };

/** A project form whose computed total is `total` (one quantitative row carries the difference). */
function form(region: string, total: number, n: number, fiscalYear = 2023): Received {
  const x = Math.round(((total - 60) / 0.4) * 100) / 100;
  const evaluation = {
    formType: 'project' as const,
    region,
    fiscalYear,
    projectName: `项目 ${n}`,
    unitName: `单位 ${n}`,
    funds: { adjustedBudget: 100, executed: 100, unit: '万元' },
    indicators: [
      { level1: '产出指标', level2: '数量指标', name: '完成数量', target: '≥100个', actual: `${x}个`, weight: 40, reportedScore: 40, deviationReason: '部分未完成' },
      { level1: '效益指标', level2: '社会效益指标', name: '社会效益', target: '持续推动', actual: '达成预期指标', weight: 40, reportedScore: 40 },
      { level1: '满意度指标', level2: '服务对象满意度指标', name: '满意度', target: '≥90%', actual: '95%', weight: 10, reportedScore: 10 },
    ],
    reported: { total, grade: null },
  };
  return {
    submissionId: `sub_${region}_${n}`,
    evaluationId: `ev_${region}_${String(n).padStart(3, '0')}`,
    version: 1,
    previousVersionId: null,
    region,
    fiscalYear,
    formType: 'project',
    unitName: evaluation.unitName,
    projectName: evaluation.projectName,
    evaluation: evaluation as unknown as Received['evaluation'],
    actor: { user: 'u', role: 'submitter' },
    receivedAt: new Date().toISOString(),
  };
}

const LINGSHOU_TOTALS = [80, 84.99, 85, 86, 87.5, 89.99, 90, 95];
const OTHER = [form('410105', 91, 1), form('341522', 90.5, 2), form('110101', 93, 3)];

function ruleFile(id: string, change: (json: Record<string, any>) => void): Record<string, unknown> {
  const json = JSON.parse(readFileSync(join(RULES_DIR, `${id}.json`), 'utf8'));
  change(json);
  return json;
}

/** 灵寿's 优秀 from 85 to 90 (良好 then runs 75–90). */
const lingshou90 = () =>
  ruleFile('130126', (j) => {
    j.grades[0].conditions.all[0].value = 90;
    j.grades[1].conditions.all[1].value = 90;
  });

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked field by field
type Json = any;

/** CN with 优 from `cutoff` (良 then runs 80–`cutoff`). */
const cnFrom = (cutoff: number) =>
  ruleFile('CN', (j) => {
    j.grades[0].conditions.all[0].value = cutoff;
    j.grades[1].conditions.all[1].value = cutoff;
  });

/** Rule set `id` with grades of its own: CN's bands with 优 from `cutoff`. */
const ownGradesFrom = (id: string, cutoff: number) =>
  ruleFile(id, (j) => {
    j.grades = cnFrom(cutoff).grades;
  });

/** HTTP calls and counts against a booted system (given lazily: it boots in beforeAll). */
function harness(get: () => { system: RunningSystem; ds: DataSource }) {
  const call = async (method: string, path: string, who: object | null, body?: unknown): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${get().system.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(who ? bearer(who as never) : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const count = async (sql: string) => Number((await get().ds.query(sql))[0].n);
  const counts = async () => ({
    results: await count('SELECT COUNT(*) AS n FROM scoring_results'),
    audit: await count('SELECT COUNT(*) AS n FROM scoring_audit'),
    outbox: await count('SELECT COUNT(*) AS n FROM scoring_outbox'),
  });
  const finished = async (runId: string): Promise<Json> => {
    let run: Json;
    await waitFor(`run ${runId} to finish`, async () => {
      run = (await call('GET', `/rescoring-runs/${runId}`, AUDITOR)).body;
      return ['completed', 'failed', 'cancelled'].includes(run.status);
    }, 30_000);
    return run;
  };
  return { call, count, counts, finished };
}

describe.each(TEST_DIALECTS)('rule-set lifecycle and bulk re-scoring on %s', (dialect) => {
  let storage: Storage;
  let system: RunningSystem;
  let ds: DataSource;
  const { call, count, counts, finished } = harness(() => ({ system, ds }));
  const grades = async (region: string) =>
    Object.fromEntries(
      (await ds.query(`SELECT evaluation_id, current_grade FROM scoring_evaluations WHERE region = '${region}' ORDER BY evaluation_id`)).map(
        (r: Json) => [r.evaluation_id, r.current_grade],
      ),
    );

  beforeAll(async () => {
    storage = newStorage(dialect, 'lifecycle');
    system = await boot([(ctx) => ScoringModule.forRoot(ctx)], storage);
    ds = system.app.get(SCORING_DATA_SOURCE, { strict: false });
    const commands = system.app.get(CommandBus, { strict: false });
    const submissions = [...LINGSHOU_TOTALS.map((t, i) => form('130126', t, i)), ...OTHER];
    await withTransaction(ds, (m) => commands.execute(new ScoreEvaluations(submissions, m, {})));
  });
  afterAll(async () => {
    await system?.close();
    if (storage) await dropStorage(storage);
  });

  it('lists the rules/ versions: each rule set has v1 active', async () => {
    const { status, body } = await call('GET', '/rule-sets/130126/versions', AUDITOR);
    expect(status).toBe(200);
    expect(body).toMatchObject([{ version: 1, status: 'active', origin: 'file', activeYears: { from: null, to: null } }]);
    expect((await call('GET', '/rule-sets/NOPE/versions', AUDITOR)).status).toBe(404);
  });

  it('refuses a broken draft with the JSON path, a draft outside the admin region, and a missing token', async () => {
    const broken = ruleFile('130126', (j) => (j.grades[0].conditions.all[0].value = 'ninety'));
    const res = await call('POST', '/rule-sets/130126/versions', LINGSHOU_ADMIN, broken);
    expect(res.status).toBe(422);
    expect(res.body.issues.some((i: Json) => i.path.startsWith('$.grades[0]'))).toBe(true);
    expect((await call('POST', '/rule-sets/130126/versions', admin(['410105']), lingshou90())).status).toBe(403);
    expect((await call('POST', '/rule-sets/130126/versions', null, lingshou90())).status).toBe(401);
    expect((await call('POST', '/rule-sets/130126/versions', AUDITOR, lingshou90())).status).toBe(403);
    const versions = (await call('GET', '/rule-sets/130126/versions', AUDITOR)).body;
    expect(versions).toHaveLength(1);
  });

  it('灵寿 优秀 85 → 90: the impact preview lists exactly the evaluations between 85 and 90 and writes nothing', async () => {
    const draft = await call('POST', '/rule-sets/130126/versions', LINGSHOU_ADMIN, lingshou90());
    expect(draft).toMatchObject({ status: 201, body: { version: 2, status: 'draft', existing: false } });
    const again = await call('POST', '/rule-sets/130126/versions', LINGSHOU_ADMIN, lingshou90());
    expect(again.body).toMatchObject({ version: 2, existing: true });

    const diff = (await call('GET', '/rule-sets/130126/diff', AUDITOR)).body;
    expect(diff).toMatchObject({ from: 1, to: 2, affected: [] });
    expect(diff.changes.map((c: Json) => c.kind)).toEqual(['band']);
    expect(diff.text).toContain('85');
    expect(diff.text).toContain('90');

    const before = await counts();
    const start = await call('POST', '/rule-sets/130126/versions/2/impact', LINGSHOU_ADMIN);
    expect(start.status).toBe(202);
    const run = await finished(start.body.runId);
    expect(run).toMatchObject({ kind: 'impact', status: 'completed', total: LINGSHOU_TOTALS.length });
    const report = run.report;
    expect(report.rescored).toBe(LINGSHOU_TOTALS.length);
    const between = LINGSHOU_TOTALS.map((t, i) => [t, i] as const).filter(([t]) => t >= 85 && t < 90);
    expect(report.changed.map((c: Json) => c.evaluationId)).toEqual(between.map(([, i]) => `ev_130126_${String(i).padStart(3, '0')}`));
    expect(report.changed.map((c: Json) => [c.oldTotal, c.newTotal, c.oldGrade, c.newGrade])).toEqual(
      between.map(([t]) => [t, t, '优秀', '良好']),
    );
    expect(report.transitions).toContainEqual({ from: '优秀', to: '良好', count: between.length });
    expect(await counts()).toEqual(before);
  });

  it('activation re-scores them: only those change grade, each audit trail says why, one event per chunk', async () => {
    const before = await counts();
    const lastEvent = Number((await ds.query('SELECT COALESCE(MAX(id), 0) AS n FROM scoring_outbox'))[0].n);
    const oldGrades = await grades('130126');
    expect((await call('POST', '/rule-sets/130126/versions/2/activate', LINGSHOU_ADMIN, {})).status).toBe(400);
    const res = await call('POST', '/rule-sets/130126/versions/2/activate', LINGSHOU_ADMIN, { reason: '优秀 cutoff raised to 90 (灵财〔2024〕1号)' });
    expect(res.status).toBe(202);
    const run = await finished(res.body.runId);
    expect(run).toMatchObject({ kind: 'activation', status: 'completed', total: LINGSHOU_TOTALS.length, done: LINGSHOU_TOTALS.length });

    const newGrades = await grades('130126');
    const changed = Object.keys(newGrades).filter((id) => newGrades[id] !== oldGrades[id]);
    expect(changed).toEqual(
      LINGSHOU_TOTALS.map((t, i) => [t, i] as const)
        .filter(([t]) => t >= 85 && t < 90)
        .map(([, i]) => `ev_130126_${String(i).padStart(3, '0')}`),
    );
    // other regions untouched
    expect(await count(`SELECT COUNT(*) AS n FROM scoring_results WHERE rescoring_run_id IS NOT NULL AND region <> '130126'`)).toBe(0);

    const after = await counts();
    expect(after.results - before.results).toBe(LINGSHOU_TOTALS.length);
    const trail = await ds.query(
      `SELECT action, reason FROM scoring_audit WHERE entity_type = 'evaluation' AND entity_id = '${changed[0]}' ORDER BY seq`,
    );
    expect(trail.map((t: Json) => t.action)).toEqual(['scored', 're-scored']);
    expect(trail[1].reason).toContain('130126 v2');
    expect(trail[1].reason).toContain('优秀 cutoff raised to 90');
    expect(trail[1].reason).toContain('等级 优秀 → 良好');
    const events = await ds.query(
      `SELECT name, payload FROM scoring_outbox WHERE id > ${lastEvent} AND name <> 'scoring.evaluation.scored.v1' ORDER BY id`,
    );
    // the new rules' snapshot goes before the chunk's event (review recomputes breakdowns from it)
    expect(events.map((e: Json) => e.name)).toEqual([
      'scoring.ruleset.activated.v1',
      'scoring.ruleset.snapshot.v1',
      'scoring.evaluations.rescored.v1',
    ]);
    expect(JSON.parse(events[1].payload).ruleSet).toMatchObject({ id: '130126', version: 2 });
    events.splice(1, 1);
    const payload = JSON.parse(events[1].payload).payload ?? JSON.parse(events[1].payload);
    expect(payload.items).toHaveLength(LINGSHOU_TOTALS.length);
    expect(payload.items.filter((i: Json) => i.grade !== i.previous.grade).map((i: Json) => i.evaluationId)).toEqual(changed);
    // figures only: review recomputes the breakdowns of those it sends back to a reviewer
    expect(payload.items.filter((i: Json) => 'result' in i)).toEqual([]);

    const versions = (await call('GET', '/rule-sets/130126/versions', AUDITOR)).body;
    expect(versions.map((v: Json) => [v.version, v.status])).toEqual([
      [1, 'retired'],
      [2, 'active'],
    ]);
    expect(versions[1]).toMatchObject({ activatedBy: LINGSHOU_ADMIN.sub, reason: '优秀 cutoff raised to 90 (灵财〔2024〕1号)' });
    expect((await call('POST', '/rule-sets/130126/versions/2/activate', LINGSHOU_ADMIN, { reason: 'again' })).status).toBe(409);
    expect((await verifyAudit(ds, 'scoring_audit')).ok).toBe(true);

    // results keep compact figures; the breakdown with explanations is recomputed on demand
    const [res0] = await ds.query(`SELECT id FROM scoring_results WHERE rescoring_run_id = '${run.id}' AND evaluation_id = '${changed[0]}'`);
    const compact = (await call('GET', `/results/${res0.id}`, AUDITOR)).body;
    expect(compact.result.compact).toBe(1);
    const full = (await call('GET', `/results/${res0.id}?explain=true`, AUDITOR)).body;
    expect(full.result.computed.grade).toBe('良好');
    expect(full.result.computed.indicators[0].explanation).toBeTruthy();
    expect((await call('GET', `/results/${res0.id}`, admin(['410105']))).status).toBe(403);
    // a result scored on submission (compact too) under the version now retired is explained with the rules it was
    // scored under, kept beside it: 130126 v1 under CN v1, and v2 under CN v1 since the run
    const [first] = await ds.query(`SELECT id, result FROM scoring_results WHERE evaluation_id = '${changed[0]}' AND rescoring_run_id IS NULL`);
    expect(JSON.parse(first.result).compact).toBe(1);
    const kept = await call('GET', `/results/${first.id}?explain=true`, AUDITOR);
    expect(kept.status, JSON.stringify(kept.body)).toBe(200);
    expect(kept.body.ruleSet.version).toBe(1);
    expect(kept.body.result.computed.grade).toBe('优秀');
    expect(kept.body.result.computed.indicators[0].explanation).toBeTruthy();
    const snapshots = await ds.query(`SELECT rule_set_id, rule_set_version FROM scoring_rule_snapshots WHERE rule_set_id = '130126' ORDER BY rule_set_version`);
    expect(snapshots.map((r: Json) => Number(r.rule_set_version))).toEqual([1, 2]);

    // a chunk delivered again writes nothing
    const service = system.app.get(RescoringService, { strict: false });
    expect(await service.runChunk(run.id, 0)).toBe('skipped');
    expect(await counts()).toEqual(after);
  });

  it('new submissions are scored with the active version at once', async () => {
    const commands = system.app.get(CommandBus, { strict: false });
    await withTransaction(ds, (m) => commands.execute(new ScoreEvaluations([form('130126', 87, 99)], m, {})));
    expect((await grades('130126')).ev_130126_099).toBe('良好');
  });

  it('a change to CN reaches every inheriting region that does not override it, and none that does', async () => {
    const cn = cnFrom(92);
    expect((await call('POST', '/rule-sets/CN/versions', LINGSHOU_ADMIN, cn)).status).toBe(403);
    const draft = await call('POST', '/rule-sets/CN/versions', NATIONAL_ADMIN, cn);
    expect(draft.status).toBe(201);
    const before = await counts();
    const res = await call('POST', `/rule-sets/CN/versions/${draft.body.version}/activate`, NATIONAL_ADMIN, { reason: '优 from 92' });
    const run = await finished(res.body.runId);
    expect(run.status).toBe('completed');
    const rescored = await ds.query(`SELECT region, current_grade FROM scoring_evaluations WHERE current_rule_set_version IS NOT NULL ORDER BY region`);
    // 130126 overrides the grades: its effective rules (and results) are unchanged
    const byRegion = await ds.query(`SELECT DISTINCT region FROM scoring_results WHERE rescoring_run_id = '${run.id}' ORDER BY region`);
    expect(byRegion.map((r: Json) => r.region)).toEqual(['110101', '341522', '410105']);
    expect((await counts()).results - before.results).toBe(3);
    const g = Object.fromEntries(rescored.map((r: Json) => [r.region, r.current_grade]));
    expect(g['410105']).toBe('良'); // 91 < 92
    expect(g['110101']).toBe('优'); // 93
  });

  it('a run can be cancelled (nothing more is written) and resumed (it completes)', async () => {
    const queue = system.app.get<RescoreQueue>(SCORING_RESCORE_QUEUE, { strict: false });
    const service = system.app.get(RescoringService, { strict: false });
    await queue.pauseWorker();
    try {
      const draft = await call('POST', '/rule-sets/341522/versions', admin(['341522']), ownGradesFrom('341522', 95));
      expect(draft.status, JSON.stringify(draft.body)).toBe(201);
      const before = await counts();
      const res = await call('POST', '/rule-sets/341522/versions/2/activate', admin(['341522']), { reason: 'tiers' });
      expect(res.status).toBe(202);
      const runId = res.body.runId;
      await service.plan(runId);
      expect((await call('GET', `/rescoring-runs/${runId}`, AUDITOR)).body).toMatchObject({ status: 'running', total: 1, chunks: { total: 1, done: 0 } });
      expect((await call('POST', `/rescoring-runs/${runId}/cancel`, admin(['410105']))).status).toBe(403);
      expect((await call('POST', `/rescoring-runs/${runId}/cancel`, admin(['341522']))).body).toMatchObject({ status: 'cancelled' });
      expect(await service.runChunk(runId, 0)).toBe('skipped');
      expect((await call('POST', `/rescoring-runs/${runId}/cancel`, admin(['341522']))).status).toBe(409);
      const afterCancel = await counts();
      expect(afterCancel.results).toBe(before.results);
      expect((await call('POST', `/rescoring-runs/${runId}/resume`, admin(['341522']))).body).toMatchObject({ status: 'running' });
      queue.resumeWorker();
      const run = await finished(runId);
      expect(run).toMatchObject({ status: 'completed', done: 1, resumes: 1 });
      expect((await counts()).results).toBe(before.results + 1);
      const trail = await ds.query(`SELECT action FROM scoring_audit WHERE entity_type = 'rescoring-run' AND entity_id = '${runId}' ORDER BY seq`);
      expect(trail.map((t: Json) => t.action)).toEqual([
        'rescoring run created',
        'rescoring run started',
        'rescoring run cancelled',
        'rescoring run resumed',
        'rescoring run completed',
      ]);
    } finally {
      queue.resumeWorker();
    }
  });

  it('a chunk whose evaluation got another current result meanwhile is rolled back; a run left with every chunk done is completed', async () => {
    const queue = system.app.get<RescoreQueue>(SCORING_RESCORE_QUEUE, { strict: false });
    const service = system.app.get(RescoringService, { strict: false });
    const once = (runId: string) => (service as unknown as { runChunkOnce(r: string, c: number): Promise<string> }).runChunkOnce(runId, 0);
    await queue.pauseWorker();
    try {
      const draft = await call('POST', '/rule-sets/410105/versions', admin(['410105']), ownGradesFrom('410105', 95));
      expect(draft.status, JSON.stringify(draft.body)).toBe(201);
      const res = await call('POST', `/rule-sets/410105/versions/${draft.body.version}/activate`, admin(['410105']), { reason: 'race' });
      expect(res.status).toBe(202);
      const runId = res.body.runId;
      await service.plan(runId);
      const before = await counts();

      // another writer moves the evaluation's current result after the chunk read it, before it writes
      const manager = ds.manager;
      const query = manager.query.bind(manager);
      let reads = 0;
      manager.query = (async (sql: string, params?: unknown[]) => {
        const rows = await query(sql, params);
        if (sql.includes('current_scored_at') && sql.includes('ORDER BY evaluation_id') && reads++ === 0)
          await ds.query(`UPDATE scoring_evaluations SET current_result_id = 'res_elsewhere' WHERE evaluation_id = 'ev_410105_001'`);
        return rows;
      }) as typeof manager.query;
      try {
        await expect(once(runId)).rejects.toThrow(/1 of 1 evaluations got another current result/);
      } finally {
        manager.query = query;
      }
      expect(reads).toBe(1);
      expect(await counts()).toEqual(before);
      expect((await ds.query(`SELECT status FROM scoring_rescoring_chunks WHERE run_id = '${runId}'`))[0].status).toBe('pending');

      // done again from the start it writes (the current result it replaces is the one it read); the run is left running
      expect(await once(runId)).toBe('done');
      const [ev] = await ds.query(`SELECT current_grade, current_result_id FROM scoring_evaluations WHERE evaluation_id = 'ev_410105_001'`);
      expect(ev.current_grade).toBe('良'); // 91 < 95
      const payload = JSON.parse((await ds.query(`SELECT payload FROM scoring_outbox WHERE dedupe_key = 'rescored:${runId}:0'`))[0].payload);
      // the payload is serialised piece by piece: it must still be what the contract says
      expect(parseEvent('scoring.evaluations.rescored.v1', payload)).toEqual(payload);
      const [item] = payload.items;
      expect([item.evaluationId, item.resultId, item.previous.resultId]).toEqual(['ev_410105_001', ev.current_result_id, 'res_elsewhere']);
      // the chunk's event, and the snapshot of the rules it is the first to commit a result under
      expect(await counts()).toEqual({ results: before.results + 1, audit: before.audit + 1, outbox: before.outbox + 2 });
      expect((await getRun(ds.manager, runId))?.status).toBe('running');
    } finally {
      queue.resumeWorker();
    }
    // the supervisor finds every chunk done and completes the run, once
    const run = await finished((await ds.query(`SELECT id FROM scoring_rescoring_runs WHERE reason = 'race'`))[0].id);
    expect(run.status).toBe('completed');
    const trail = await ds.query(`SELECT action FROM scoring_audit WHERE entity_type = 'rescoring-run' AND entity_id = '${run.id}' ORDER BY seq`);
    expect(trail.map((t: Json) => t.action)).toEqual(['rescoring run created', 'rescoring run started', 'rescoring run completed']);
    expect((await verifyAudit(ds, 'scoring_audit')).ok).toBe(true);
  });

  it('a run activated earlier leaves alone an evaluation a later activation’s run re-scored first', async () => {
    const queue = system.app.get<RescoreQueue>(SCORING_RESCORE_QUEUE, { strict: false });
    const service = system.app.get(RescoringService, { strict: false });
    const huoqiu = (cutoff: number) => ownGradesFrom('341522', cutoff);
    const who = admin(['341522']);
    await queue.pauseWorker();
    let older = '';
    let later = '';
    try {
      const a = await call('POST', '/rule-sets/341522/versions', who, huoqiu(97));
      const b = await call('POST', '/rule-sets/341522/versions', who, huoqiu(99));
      expect([a.status, b.status]).toEqual([201, 201]);
      older = (await call('POST', `/rule-sets/341522/versions/${a.body.version}/activate`, who, { reason: 'older' })).body.runId;
      await service.plan(older);
      later = (await call('POST', `/rule-sets/341522/versions/${b.body.version}/activate`, who, { reason: 'later' })).body.runId;
      await service.plan(later);

      expect(await service.runChunk(later, 0)).toBe('done');
      const [byLater] = await ds.query(`SELECT current_rule_set_version AS v, current_result_id AS r FROM scoring_evaluations WHERE evaluation_id = 'ev_341522_002'`);
      expect(Number(byLater.v)).toBe(b.body.version);
      const before = await counts();
      // the older run's chunk finds it scored under a later generation: nothing to write but the chunk's completion
      expect(await service.runChunk(older, 0)).toBe('done');
      expect(await counts()).toEqual({ ...before, audit: before.audit + 1 }); // 'rescoring run completed'
      const [after] = await ds.query(`SELECT current_rule_set_version AS v, current_result_id AS r FROM scoring_evaluations WHERE evaluation_id = 'ev_341522_002'`);
      expect([Number(after.v), after.r]).toEqual([b.body.version, byLater.r]);
      expect((await call('GET', `/rescoring-runs/${older}`, AUDITOR)).body).toMatchObject({ status: 'completed', rescored: 0 });
    } finally {
      queue.resumeWorker();
    }
    expect((await finished(later)).status).toBe('completed');
    expect((await finished(older)).status).toBe('completed');
  });
});

/**
 * Activating a version for some years leaves the other years the rules they had: a version active before for more
 * years is narrowed to the rest (refused when the rest would be two ranges), one whose years it covers is retired.
 */
describe.each(TEST_DIALECTS)('activation for some years on %s', (dialect) => {
  let storage: Storage;
  let system: RunningSystem;
  let ds: DataSource;
  let commands: CommandBus;
  const { call, count, counts, finished } = harness(() => ({ system, ds }));
  // 110101 has no rule set of its own (CN's rules, id CN); 410105 inherits CN's grades
  const SEEDED = [
    form('110101', 93, 1, 2023),
    form('410105', 91, 2, 2023),
    form('110101', 93, 3, 2024),
    form('410105', 91, 4, 2024),
    form('410105', 95, 5, 2024),
  ];
  const ids2024 = SEEDED.filter((s) => s.fiscalYear === 2024).map((s) => s.evaluationId);
  const score = (submissions: Received[]) => withTransaction(ds, (m) => commands.execute(new ScoreEvaluations(submissions, m, {})));
  const current = async (evaluationId: string) =>
    (await ds.query(`SELECT current_rule_set_id AS id, current_rule_set_version AS v, current_grade AS grade, current_result_id AS result
       FROM scoring_evaluations WHERE evaluation_id = '${evaluationId}'`))[0];
  const cnVersions = async () =>
    (await call('GET', '/rule-sets/CN/versions', AUDITOR)).body.map((v: Json) => [v.version, v.status, v.activeYears]);

  beforeAll(async () => {
    storage = newStorage(dialect, 'years');
    system = await boot([(ctx) => ScoringModule.forRoot(ctx)], storage);
    ds = system.app.get(SCORING_DATA_SOURCE, { strict: false });
    commands = system.app.get(CommandBus, { strict: false });
    await score(SEEDED);
  });
  afterAll(async () => {
    await system?.close();
    if (storage) await dropStorage(storage);
  });

  it('the impact preview takes the activation’s years: from 2024 it re-scores only 2024, writes nothing', async () => {
    const draft = await call('POST', '/rule-sets/CN/versions', NATIONAL_ADMIN, cnFrom(92));
    expect(draft.body).toMatchObject({ version: 2, status: 'draft' });
    const before = await counts();
    const preview = async (body?: object) => {
      const start = await call('POST', '/rule-sets/CN/versions/2/impact', NATIONAL_ADMIN, body);
      expect(start.status, JSON.stringify(start.body)).toBe(202);
      return finished(start.body.runId);
    };
    const from2024 = await preview({ years: { from: 2024 } });
    expect(from2024).toMatchObject({ kind: 'impact', status: 'completed', total: ids2024.length });
    expect(from2024.report.rescored).toBe(ids2024.length);
    expect(from2024.report.changed.map((c: Json) => c.evaluationId)).toEqual(['ev_410105_004']); // 91 < 92
    const allYears = await preview();
    expect(allYears.report.rescored).toBe(SEEDED.length);
    expect(allYears.report.changed.map((c: Json) => c.evaluationId)).toEqual(['ev_410105_002', 'ev_410105_004']);
    // as the activation would be, a range strictly inside v1's (all years) is refused
    expect((await call('POST', '/rule-sets/CN/versions/2/impact', NATIONAL_ADMIN, { years: { from: 2023, to: 2023 } })).status).toBe(409);
    expect(await counts()).toEqual(before);
    expect(await cnVersions()).toEqual([
      [1, 'active', { from: null, to: null }],
      [2, 'draft', null],
    ]);
  });

  it('CN v2 from 2024: only 2024 evaluations are re-scored, CN v1 keeps the years before (narrowed, audited)', async () => {
    const before2023 = { a: await current('ev_110101_001'), b: await current('ev_410105_002') };
    expect(before2023.a).toMatchObject({ id: 'CN', grade: '优' });
    expect(Number(before2023.a.v)).toBe(1);
    const draft = await call('POST', '/rule-sets/CN/versions', NATIONAL_ADMIN, cnFrom(92));
    expect(draft.body).toMatchObject({ version: 2, status: 'draft' });
    const before = await counts();
    const res = await call('POST', '/rule-sets/CN/versions/2/activate', NATIONAL_ADMIN, { reason: '优 from 92 (财预〔2024〕1号)', years: { from: 2024 } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = await finished(res.body.runId);
    expect(run).toMatchObject({ status: 'completed', total: ids2024.length });

    // the re-scored evaluations are the 2024 ones; 2023's keep their CN v1 results
    const rescored = await ds.query(`SELECT evaluation_id FROM scoring_results WHERE rescoring_run_id = '${run.id}' ORDER BY evaluation_id`);
    expect(rescored.map((r: Json) => r.evaluation_id)).toEqual([...ids2024].sort());
    expect((await counts()).results - before.results).toBe(ids2024.length);
    expect(await current('ev_110101_001')).toEqual(before2023.a);
    expect(await current('ev_410105_002')).toEqual(before2023.b);
    expect(await current('ev_110101_003')).toMatchObject({ id: 'CN', grade: '优' }); // 93 ≥ 92
    expect(Number((await current('ev_110101_003')).v)).toBe(2);
    expect((await current('ev_410105_004')).grade).toBe('良'); // 91 < 92

    // the run targets v1 with its narrowed years and v2 for the new ones
    const stored = await withTransaction(ds, (m) => getRun(m, run.id));
    expect(stored!.scope.years).toEqual({ from: 2024, to: null });
    const ids = Object.fromEntries((await call('GET', '/rule-sets/CN/versions', AUDITOR)).body.map((v: Json) => [v.version, v.id]));
    expect(stored!.scope.versions).toEqual(expect.arrayContaining([ids[1], ids[2]]));

    expect(await cnVersions()).toEqual([
      [1, 'active', { from: null, to: 2023 }],
      [2, 'active', { from: 2024, to: null }],
    ]);
    const listed = (await call('GET', '/rule-sets', AUDITOR)).body.filter((s: Json) => s.id === 'CN');
    expect(listed.map((s: Json) => [s.version, s.versionId, s.years])).toEqual([
      [1, ids[1], { from: null, to: 2023 }],
      [2, ids[2], { from: 2024, to: null }],
    ]);
    const audit = await ds.query(
      `SELECT entity_id, action, from_state, to_state, reason, actor_user FROM scoring_audit WHERE entity_type = 'rule-set' AND action IN ('rule set narrowed', 'rule set retired') ORDER BY seq`,
    );
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ entity_id: ids[1], action: 'rule set narrowed', from_state: 'active', to_state: 'active', actor_user: NATIONAL_ADMIN.sub });
    expect(audit[0].reason).toContain('CN v2');
    expect(audit[0].reason).toContain('优 from 92 (财预〔2024〕1号)');
    expect(audit[0].reason).toContain('all years → …–2023');
    const [event] = await ds.query(`SELECT payload FROM scoring_outbox WHERE name = 'scoring.ruleset.activated.v1'`);
    const activated = JSON.parse(event.payload).payload ?? JSON.parse(event.payload);
    expect(activated).toMatchObject({ ruleSetId: 'CN', version: 2, previousVersion: 1, years: { from: 2024, to: null } });
    expect((await verifyAudit(ds, 'scoring_audit')).ok).toBe(true);
  });

  it('a new 2023 evaluation is still scored with CN v1, a 2024 one with v2', async () => {
    await score([form('110101', 91, 6, 2023), form('110101', 91, 7, 2024)]);
    const old = await current('ev_110101_006');
    expect(old).toMatchObject({ id: 'CN', grade: '优' }); // 91 ≥ 90 under v1
    expect(Number(old.v)).toBe(1);
    const next = await current('ev_110101_007');
    expect(next).toMatchObject({ id: 'CN', grade: '良' }); // 91 < 92 under v2
    expect(Number(next.v)).toBe(2);
  });

  it('years strictly inside an active version are refused with 409, nothing written', async () => {
    const draft = await call('POST', '/rule-sets/CN/versions', NATIONAL_ADMIN, cnFrom(95));
    expect(draft.body).toMatchObject({ version: 3, status: 'draft' });
    const before = { ...(await counts()), runs: await count('SELECT COUNT(*) AS n FROM scoring_rescoring_runs') };
    const versions = await cnVersions();
    const res = await call('POST', '/rule-sets/CN/versions/3/activate', NATIONAL_ADMIN, { reason: 'two years only', years: { from: 2025, to: 2026 } });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('CN v3 for 2025–2026');
    expect(res.body.message).toContain('v2 (2024–…)');
    expect(res.body.message).toMatch(/start or end where v2's do, or activate two versions/);
    expect({ ...(await counts()), runs: await count('SELECT COUNT(*) AS n FROM scoring_rescoring_runs') }).toEqual(before);
    expect(await cnVersions()).toEqual(versions);
  });

  it('years covering an active version still retire it; versions they do not overlap stay', async () => {
    const res = await call('POST', '/rule-sets/CN/versions/3/activate', NATIONAL_ADMIN, { reason: '优 from 95', years: { from: 2024 } });
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    const run = await finished(res.body.runId);
    expect(run.status).toBe('completed');
    expect(await cnVersions()).toEqual([
      [1, 'active', { from: null, to: 2023 }],
      [2, 'retired', null],
      [3, 'active', { from: 2024, to: null }],
    ]);
    const rescored = await ds.query(`SELECT DISTINCT evaluation_id FROM scoring_results WHERE rescoring_run_id = '${run.id}' ORDER BY evaluation_id`);
    expect(rescored.map((r: Json) => r.evaluation_id)).toEqual([...ids2024, 'ev_110101_007'].sort());
    expect((await current('ev_110101_003')).grade).toBe('良'); // 93 < 95
    expect(Number((await current('ev_110101_001')).v)).toBe(1);
    const audit = await ds.query(`SELECT action FROM scoring_audit WHERE entity_type = 'rule-set' AND action IN ('rule set narrowed', 'rule set retired') ORDER BY seq`);
    expect(audit.map((a: Json) => a.action)).toEqual(['rule set narrowed', 'rule set retired']);
    const events = await ds.query(`SELECT payload FROM scoring_outbox WHERE name = 'scoring.ruleset.activated.v1' ORDER BY id`);
    const last = JSON.parse(events.at(-1).payload);
    expect(last.payload ?? last).toMatchObject({ version: 3, previousVersion: 2 });
  });

  it('every result is explained with the rules it was scored under, whatever replaced them since; an altered snapshot is refused', async () => {
    const rows: Json[] = await ds.query(`SELECT id, rule_set_id, rule_set_version, rule_set_hash, total, grade FROM scoring_results ORDER BY id`);
    // CN v1 (narrowed to ≤2023), v2 (retired) and v3, and a region inheriting from them
    expect([...new Set(rows.map((r) => `${r.rule_set_id} v${r.rule_set_version}`))].sort()).toEqual(['410105 v1', 'CN v1', 'CN v2', 'CN v3']);
    for (const r of rows) {
      const res = await call('GET', `/results/${r.id}?explain=true`, AUDITOR);
      expect(res.status, `${r.id}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.body.result.ruleSet).toEqual({ id: r.rule_set_id, version: Number(r.rule_set_version), hash: r.rule_set_hash });
      expect([res.body.result.computed.total, res.body.result.computed.grade]).toEqual([r.total === null ? null : Number(r.total), r.grade]);
      expect(res.body.result.computed.indicators[0].explanation).toBeTruthy();
    }

    const r0 = rows.find((r) => r.rule_set_id === 'CN' && Number(r.rule_set_version) === 2);
    const where = `rule_set_id = 'CN' AND rule_set_version = 2 AND hash = '${r0.rule_set_hash}'`;
    const [{ content }] = await ds.query(`SELECT content FROM scoring_rule_snapshots WHERE ${where}`);
    const altered = JSON.parse(content);
    altered.grades[0].conditions.all[0].value = 60;
    const set = async (text: string) =>
      ds.query(`UPDATE scoring_rule_snapshots SET content = ${dialect === 'postgres' ? '$1' : '?'} WHERE ${where}`, [text]);
    await set(JSON.stringify(altered));
    const refused = await call('GET', `/results/${r0.id}?explain=true`, AUDITOR);
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(`rule-set snapshot CN v2: its rules hash to sha256:`);
    expect(refused.body.message).toContain(`not ${r0.rule_set_hash}`);
    // the figures stored stand, and are still served
    expect((await call('GET', `/results/${r0.id}`, AUDITOR)).status).toBe(200);
    await set(content);
    expect((await call('GET', `/results/${r0.id}?explain=true`, AUDITOR)).status).toBe(200);
  });
});
