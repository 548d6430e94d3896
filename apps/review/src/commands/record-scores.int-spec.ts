import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { hashJson, runMigrations, verifyAudit, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import type { ReviewState } from '../domain/review-state';
import { createCase } from '../persistence/case-store';
import { ReviewCase } from '../persistence/review-case.entity';
import { ReviewDetail } from '../persistence/review-detail.entity';
import { REVIEW_ENTITIES, REVIEW_MIGRATIONS } from '../persistence/review.persistence';
import { received, scored, type ScoreOptions } from '../testing/review-fixtures';
import { RecordScore } from './record-score.command';
import { RecordScoreHandler } from './record-score.handler';
import { RecordScores, type ScoreItem } from './record-scores.command';
import { RecordScoresHandler } from './record-scores.handler';
import { scoreAuditPayload, scoreColumns } from './score-facts';
import { reviewSnapshot as snapshot } from '../testing/review-snapshot';

const ORIGIN = { source: 'scoring', eventId: 'scoring-42', correlationId: 'corr-42' };
const RUN = 'run_7';
const V2 = { id: '130126', version: 2, hash: `sha256:${'c'.repeat(64)}` };

/** A case as the pipeline leaves it: in `state`, holding the first score (`res_<id>_1`, 92.5 优, routing as given). */
const SEEDS: Array<{ id: string; state: ReviewState; score?: ScoreOptions }> = [
  { id: 'ev_submitted', state: 'submitted' },
  { id: 'ev_in_review', state: 'in_review', score: { routing: 'manual-review' } },
  { id: 'ev_approved_same', state: 'approved', score: {} },
  { id: 'ev_approved_grade', state: 'approved', score: {} },
  { id: 'ev_published_total', state: 'published', score: {} },
  { id: 'ev_published_routing', state: 'published', score: {} },
  { id: 'ev_published_same', state: 'published', score: {} },
  { id: 'ev_returned', state: 'returned', score: { routing: 'manual-review' } },
  { id: 'ev_retracted', state: 'retracted', score: {} },
  { id: 'ev_recorded', state: 'approved', score: {} },
  { id: 'ev_twice', state: 'approved', score: {} },
];

const later = (n: number) => `2024-04-0${n}T00:00:00.000Z`;
const rescore = (id: string, o: ScoreOptions = {}) => ({
  ...scored(id, { resultId: `res_${id}_2`, scoredAt: later(1), ...o }),
  ruleSet: V2,
  rescoringRunId: RUN,
});

/** A chunk mixing every case the planner knows, as one re-scoring event would carry it. */
const ITEMS = [
  rescore('ev_submitted'), // route: auto-approve (with breakdown)
  rescore('ev_in_review', { routing: 'manual-review', total: 70, grade: '中' }), // route: back to a reviewer
  rescore('ev_approved_same', { withResult: false }), // unchanged: recorded only
  rescore('ev_approved_grade', { total: 84, grade: '良' }), // reopened
  rescore('ev_published_total', { total: 91 }), // reopened (total)
  rescore('ev_published_routing', { routing: 'manual-review' }), // reopened (routing)
  rescore('ev_published_same', { withResult: false }), // unchanged
  rescore('ev_returned', { total: 60, grade: '差' }), // recorded with the changes, state kept
  rescore('ev_retracted', { total: 80, grade: '良' }), // recorded with the changes
  rescore('ev_unknown', { total: 75, grade: '中' }), // no case yet: a placeholder, then routed
  scored('ev_recorded'), // this result is already recorded: ignored
  rescore('ev_in_review', { resultId: 'res_ev_in_review_0', scoredAt: '2024-01-01T00:00:00.000Z' }), // older: ignored
  rescore('ev_twice', { total: 70, grade: '中' }), // reopened …
  rescore('ev_twice', { resultId: 'res_ev_twice_3', scoredAt: later(2), total: 71 }), // … then routed again (auto)
];

async function seed(ds: DataSource): Promise<void> {
  await withTransaction(ds, async (manager) => {
    const work = { manager, source: 'test', eventId: null, correlationId: null, afterCommit: () => undefined };
    for (const s of SEEDS) {
      const score = s.score ? scored(s.id, s.score) : null;
      const now = '2024-03-01T08:00:02.000Z';
      const row = Object.assign(new ReviewCase(), {
        evaluationId: s.id,
        submissionId: `sub_${s.id}`,
        version: 1,
        previousVersionId: null,
        region: '130126',
        fiscalYear: 2023,
        formType: 'project',
        unitName: '灵寿县农业农村局',
        projectName: `项目 ${s.id}`,
        state: s.state,
        revision: 3,
        receivedAt: now,
        ...(score
          ? scoreColumns(score)
          : Object.fromEntries(Object.keys(scoreColumns(scored(s.id))).map((k) => [k, null]))),
        lastReason: null,
        publicPath: null,
        createdAt: now,
        updatedAt: now,
      });
      const detail = Object.assign(new ReviewDetail(), {
        evaluationId: s.id,
        evaluation: received(s.id).evaluation,
        resultId: score?.resultId ?? null,
        scoreResult: score?.result ?? null,
        updatedAt: now,
      });
      await createCase(work, row, detail, { action: 'seed', actor: { user: 'test', role: 'system' } });
    }
  });
}

describe.each(TEST_DIALECTS)('recording many scores at once on %s', (dialect) => {
  let one: TestDatabase;
  let batch: TestDatabase;

  beforeAll(async () => {
    const open = () =>
      openTestDatabase(dialect, { name: 'review', entities: REVIEW_ENTITIES, migrations: REVIEW_MIGRATIONS });
    [one, batch] = [await open(), await open()];
    for (const db of [one, batch]) {
      await runMigrations(db.dataSource);
      await seed(db.dataSource);
    }
  });
  afterAll(async () => {
    await one?.close();
    await batch?.close();
  });

  it('has exactly the effect of RecordScore for each item in turn: cases, details, history, audit, events', async () => {
    const single = new RecordScoreHandler();
    await withTransaction(one.dataSource, async (manager) => {
      for (const score of ITEMS)
        await single.execute(new RecordScore(score, { manager, ...ORIGIN, afterCommit: () => undefined }));
    });
    const items: ScoreItem[] = ITEMS.map((score) => ({ score, ...ORIGIN }));
    await withTransaction(batch.dataSource, (manager) =>
      new RecordScoresHandler().execute(new RecordScores(items, manager)),
    );

    const expected = await snapshot(one.dataSource);
    const actual = await snapshot(batch.dataSource);
    expect(actual.cases).toEqual(expected.cases);
    expect(actual.details).toEqual(expected.details);
    expect(actual.history).toEqual(expected.history);
    expect(actual.audit).toEqual(expected.audit);
    expect(actual.outbox).toEqual(expected.outbox);
    // the events a score causes carry on the correlation id of the event that brought it
    expect(new Set(actual.outbox.map((e: { correlationId: unknown }) => e.correlationId))).toEqual(
      new Set(['corr-42']),
    );
    expect(await verifyAudit(batch.dataSource, 'review_audit')).toMatchObject({ ok: true });

    // what a finance bureau reads: published and approved evaluations whose outcome changed are back in review …
    const state = Object.fromEntries(actual.cases.map((c: Record<string, unknown>) => [c.evaluation_id, c.state]));
    expect(state).toMatchObject({
      ev_submitted: 'approved',
      ev_in_review: 'in_review',
      ev_approved_same: 'approved',
      ev_approved_grade: 'in_review',
      ev_published_total: 'in_review',
      ev_published_routing: 'in_review',
      ev_published_same: 'published',
      ev_returned: 'returned',
      ev_retracted: 'retracted',
      ev_unknown: 'approved',
      ev_recorded: 'approved',
      ev_twice: 'approved',
    });
    // … and their history names the change, the run and the rule-set version that caused it
    const reopened = actual.history.find(
      (h: Record<string, unknown>) => h.evaluation_id === 'ev_approved_grade' && h.action === 'route-to-review',
    );
    expect(reopened.reason).toBe('重新评分（规则集 130126 第 2 版，重新评分批次 run_7）：等级 优 → 良；总分 92.5 → 84');
    expect(
      actual.outbox.map(
        (e: { name: string; payload: { evaluationId: string } }) => `${e.name} ${e.payload.evaluationId}`,
      ),
    ).toEqual([
      'review.evaluation.routed.v1 ev_submitted',
      'review.evaluation.approved.v1 ev_submitted',
      'review.evaluation.routed.v1 ev_in_review',
      'review.evaluation.routed.v1 ev_approved_grade',
      'review.evaluation.routed.v1 ev_published_total',
      'review.evaluation.routed.v1 ev_published_routing',
      'review.evaluation.routed.v1 ev_unknown',
      'review.evaluation.approved.v1 ev_unknown',
      'review.evaluation.routed.v1 ev_twice',
      'review.evaluation.routed.v1 ev_twice',
      'review.evaluation.approved.v1 ev_twice',
    ]);
    const ignored = actual.history.filter((h: Record<string, unknown>) => h.action === 'score-ignored');
    expect(ignored.map((h: Record<string, unknown>) => h.evaluation_id)).toEqual(['ev_recorded', 'ev_in_review']);
    // a score's audit record hashes the event without its breakdown (scoring audits that under the result id)
    const first = ITEMS[0];
    expect(first.result).toBeDefined();
    const audited = actual.audit.find(
      (a: Record<string, unknown>) => a.entity_id === first.evaluationId && a.action === 'score',
    );
    expect(audited.payload_hash).toBe(hashJson(scoreAuditPayload(first)));
    expect(audited.payload_hash).not.toBe(hashJson(first));
  });
});
