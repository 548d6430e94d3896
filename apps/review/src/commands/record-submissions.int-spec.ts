import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations, verifyAudit, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import { REVIEW_ENTITIES, REVIEW_MIGRATIONS } from '../persistence/review.persistence';
import { received, scored } from '../testing/review-fixtures';
import { reviewSnapshot } from '../testing/review-snapshot';
import { RecordScore } from './record-score.command';
import { RecordScoreHandler } from './record-score.handler';
import { RecordSubmission } from './record-submission.command';
import { RecordSubmissionHandler } from './record-submission.handler';
import { RecordSubmissions } from './record-submissions.command';
import { RecordSubmissionsHandler } from './record-submissions.handler';

const ORIGIN = { source: 'intake', eventId: 'intake-9', correlationId: 'corr-9' };
const correction = (id: string, previous: string) =>
  received(id, { version: 2, previousVersionId: previous, submissionId: `sub_${previous}` });

/** Before: ev_placeholder was opened by a score that overtook its submission; ev_known and ev_v1 are received. */
const SUBMISSIONS = [
  received('ev_new'),
  received('ev_placeholder'), // completes the placeholder, keeps its state (approved)
  received('ev_known'), // already recorded: noted
  correction('ev_v2', 'ev_v1'), // the corrected version notes itself on ev_v1
  received('ev_first'),
  correction('ev_first_v2', 'ev_first'), // corrects a version opened earlier in the same batch
  received('ev_new'), // twice in one batch: the second is noted
];

describe.each(TEST_DIALECTS)('recording many submissions at once on %s', (dialect) => {
  let one: TestDatabase;
  let batch: TestDatabase;

  beforeAll(async () => {
    const open = () =>
      openTestDatabase(dialect, { name: 'review', entities: REVIEW_ENTITIES, migrations: REVIEW_MIGRATIONS });
    [one, batch] = [await open(), await open()];
    for (const db of [one, batch]) {
      await runMigrations(db.dataSource);
      await withTransaction(db.dataSource, async (manager) => {
        const work = { manager, source: 'seed', eventId: null, correlationId: null, afterCommit: () => undefined };
        await new RecordScoreHandler().execute(new RecordScore(scored('ev_placeholder'), work));
        for (const id of ['ev_known', 'ev_v1'])
          await new RecordSubmissionHandler().execute(new RecordSubmission(received(id), work));
      });
    }
  });
  afterAll(async () => {
    await one?.close();
    await batch?.close();
  });

  it('has exactly the effect of RecordSubmission for each in turn: cases, details, history, audit', async () => {
    await withTransaction(one.dataSource, async (manager) => {
      for (const submission of SUBMISSIONS)
        await new RecordSubmissionHandler().execute(
          new RecordSubmission(submission, { manager, ...ORIGIN, afterCommit: () => undefined }),
        );
    });
    await withTransaction(batch.dataSource, (manager) =>
      new RecordSubmissionsHandler().execute(
        new RecordSubmissions(
          SUBMISSIONS.map((submission) => ({ submission, ...ORIGIN })),
          manager,
        ),
      ),
    );
    const expected = await reviewSnapshot(one.dataSource);
    const actual = await reviewSnapshot(batch.dataSource);
    expect(actual.cases).toEqual(expected.cases);
    expect(actual.details).toEqual(expected.details);
    expect(actual.history).toEqual(expected.history);
    expect(actual.audit).toEqual(expected.audit);
    expect(actual.outbox).toEqual(expected.outbox);
    expect(await verifyAudit(batch.dataSource, 'review_audit')).toMatchObject({ ok: true });

    const state = Object.fromEntries(actual.cases.map((c: Record<string, unknown>) => [c.evaluation_id, c.state]));
    expect(state).toMatchObject({ ev_new: 'submitted', ev_placeholder: 'approved', ev_first_v2: 'submitted' });
    expect(
      actual.history
        .filter((h: Record<string, unknown>) => h.event_id === ORIGIN.eventId)
        .map((h: Record<string, unknown>) => `${h.evaluation_id} ${h.action}`),
    ).toEqual([
      'ev_new receive',
      'ev_placeholder receive',
      'ev_known receive-ignored',
      'ev_v2 receive',
      'ev_v1 resubmitted',
      'ev_first receive',
      'ev_first_v2 receive',
      'ev_first resubmitted',
      'ev_new receive-ignored',
    ]);
  });
});
