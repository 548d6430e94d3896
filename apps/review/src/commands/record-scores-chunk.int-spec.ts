import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from 'typeorm';
import { runMigrations, verifyAudit, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import { REVIEW_ENTITIES, REVIEW_MIGRATIONS } from '../persistence/review.persistence';
import { received, scored } from '../testing/review-fixtures';
import { RecordScores } from './record-scores.command';
import { RecordScoresHandler } from './record-scores.handler';
import { RecordSubmissions } from './record-submissions.command';
import { RecordSubmissionsHandler } from './record-submissions.handler';

const N = 2_000;
const ids = Array.from({ length: N }, (_, i) => `ev_chunk_${String(i).padStart(5, '0')}`);
const V2 = { id: '130126', version: 2, hash: `sha256:${'c'.repeat(64)}` };

/** Counts the SQL statements a transaction sends (every TypeORM path goes through its query runner). */
async function counted<T>(manager: EntityManager, fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const runner = manager.queryRunner!;
  const query = runner.query.bind(runner);
  let statements = 0;
  runner.query = ((...args: Parameters<typeof query>) => {
    statements += 1;
    return query(...args);
  }) as typeof runner.query;
  try {
    return { result: await fn(), statements };
  } finally {
    runner.query = query;
  }
}

describe.each(TEST_DIALECTS)(`a re-scoring chunk of ${N} items on %s`, (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(dialect, { name: 'review', entities: REVIEW_ENTITIES, migrations: REVIEW_MIGRATIONS });
    await runMigrations(db.dataSource);
    const origin = { source: 'seed', eventId: null };
    await withTransaction(db.dataSource, async (m) => {
      await new RecordSubmissionsHandler().execute(
        new RecordSubmissions(
          ids.map((id) => ({ submission: received(id), ...origin })),
          m,
        ),
      );
      await new RecordScoresHandler().execute(
        new RecordScores(
          ids.map((id) => ({ score: scored(id), ...origin })),
          m,
        ),
      );
    });
  });
  afterAll(async () => db?.close());

  it('is applied with a handful of statements, whatever its size', async () => {
    // every third grade changes (back to review), the rest keep their outcome (recorded only)
    const items = ids.map((id, i) => ({
      score: {
        ...scored(id, {
          resultId: `res_${id}_2`,
          scoredAt: '2024-04-01T00:00:00.000Z',
          ...(i % 3 === 0 ? { total: 84, grade: '良' } : { withResult: false }),
        }),
        ruleSet: V2,
        rescoringRunId: 'run_big',
      },
      source: 'scoring',
      eventId: 'scoring-1',
    }));
    const { statements } = await withTransaction(db.dataSource, (m) =>
      counted(m, () => new RecordScoresHandler().execute(new RecordScores(items, m))),
    );
    expect(statements).toBeLessThanOrEqual(20);
    const states = await db.dataSource.query(
      'SELECT state, COUNT(*) AS n FROM review_cases GROUP BY state ORDER BY state',
    );
    expect(states.map((r: { state: string; n: unknown }) => [r.state, Number(r.n)])).toEqual([
      ['approved', N - Math.ceil(N / 3)],
      ['in_review', Math.ceil(N / 3)],
    ]);
    const [routed] = await db.dataSource.query(
      `SELECT COUNT(*) AS n FROM review_outbox WHERE name = 'review.evaluation.routed.v1' AND payload LIKE '%"decision":"in-review"%'`,
    );
    expect(Number(routed.n)).toBe(Math.ceil(N / 3));
    expect(await verifyAudit(db.dataSource, 'review_audit')).toMatchObject({ ok: true });
  });
});
