import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DataSource } from 'typeorm';
import { runMigrations, verifyAudit, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import { applyChange, CaseChangedConcurrently, createCase, loadCase } from './case-store';
import { ReviewCase } from './review-case.entity';
import { ReviewDetail } from './review-detail.entity';
import { REVIEW_ENTITIES, REVIEW_MIGRATIONS } from './review.persistence';
import type { ReviewWork } from './review-work';

const reviewer = { user: 'r1', role: 'reviewer' };

function newCase(id: string): ReviewCase {
  const now = new Date().toISOString();
  return Object.assign(new ReviewCase(), {
    evaluationId: id,
    submissionId: `sub_${id}`,
    version: 1,
    previousVersionId: null,
    region: '130126',
    fiscalYear: 2023,
    formType: 'project',
    unitName: '灵寿县农业农村局',
    projectName: null,
    state: 'in_review',
    revision: 1,
    receivedAt: now,
    resultId: 'res_1',
    scoredAt: now,
    total: 80.5,
    grade: '良',
    executionRate: 0.9,
    findingErrors: 1,
    findingWarnings: 0,
    findingInfos: 0,
    findingCodes: ['SUM_MISMATCH'],
    routingDecision: 'manual-review',
    routingReasons: ['SUM_MISMATCH'],
    ruleSetId: '130126',
    ruleSetVersion: 1,
    ruleSetHash: `sha256:${'c'.repeat(64)}`,
    lastReason: null,
    publicPath: null,
    createdAt: now,
    updatedAt: now,
  });
}

const inTx = <T>(ds: DataSource, fn: (work: ReviewWork) => Promise<T>) =>
  withTransaction(ds, (manager) =>
    fn({ manager, source: 'test', eventId: null, correlationId: null, afterCommit: () => undefined }),
  );

describe.each(TEST_DIALECTS)('case store on %s', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeEach(async () => {
    db = await openTestDatabase(dialect, { name: 'review', entities: REVIEW_ENTITIES, migrations: REVIEW_MIGRATIONS });
    ds = db.dataSource;
    await runMigrations(ds);
    const detail = Object.assign(new ReviewDetail(), {
      evaluationId: 'ev_1',
      evaluation: null,
      resultId: null,
      scoreResult: null,
      updatedAt: 'x',
    });
    await inTx(ds, (w) => createCase(w, newCase('ev_1'), detail, { action: 'receive', actor: reviewer }));
  });
  afterEach(async () => db?.close());

  it('round-trips the case (numbers, JSON columns) and refuses a second insert of the same id', async () => {
    const found = await loadCase(ds.manager, 'ev_1');
    expect(found).toMatchObject({
      total: 80.5,
      executionRate: 0.9,
      revision: 1,
      findingCodes: ['SUM_MISMATCH'],
      fiscalYear: 2023,
    });
    const again = await inTx(ds, (w) =>
      createCase(w, newCase('ev_1'), new ReviewDetail(), { action: 'receive', actor: reviewer }),
    );
    expect(again).toBe(false);
  });

  it('a writer holding an old revision is refused, and its history and audit roll back', async () => {
    const stale = (await loadCase(ds.manager, 'ev_1'))!;
    const next = await inTx(ds, (w) => applyChange(w, stale, { action: 'approve', to: 'approved', actor: reviewer }));
    expect(next).toMatchObject({ state: 'approved', revision: 2 });
    await expect(
      inTx(ds, (w) => applyChange(w, stale, { action: 'return', to: 'returned', actor: reviewer, reason: 'late' })),
    ).rejects.toThrow(CaseChangedConcurrently);
    expect(await loadCase(ds.manager, 'ev_1')).toMatchObject({ state: 'approved', revision: 2, lastReason: null });
    const [history] = await ds.query('SELECT COUNT(*) AS n FROM review_history');
    expect(Number(history.n)).toBe(2);
    expect(await verifyAudit(ds, 'review_audit')).toEqual({ ok: true, records: 2 });
  });

  it('two writers from the same revision at once: exactly one succeeds', async () => {
    const read = (await loadCase(ds.manager, 'ev_1'))!;
    const outcomes = await Promise.allSettled([
      inTx(ds, (w) => applyChange(w, read, { action: 'approve', to: 'approved', actor: reviewer })),
      inTx(ds, (w) =>
        applyChange(w, read, {
          action: 'return',
          to: 'returned',
          actor: { user: 'r2', role: 'reviewer' },
          reason: 'no',
        }),
      ),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(CaseChangedConcurrently);
    expect((await loadCase(ds.manager, 'ev_1'))!.revision).toBe(2);
  });
});
