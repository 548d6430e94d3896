import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '@jixiao/contracts';
import { runMigrations, verifyAudit, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import { handlerRuns } from '@jixiao/messaging/inbox/handler-runs';
import { RecordScore } from '../commands/record-score.command';
import { RecordScoreHandler } from '../commands/record-score.handler';
import { RecordScores } from '../commands/record-scores.command';
import { RecordScoresHandler } from '../commands/record-scores.handler';
import { RecordSubmission } from '../commands/record-submission.command';
import { RecordSubmissionHandler } from '../commands/record-submission.handler';
import { RecordSubmissions } from '../commands/record-submissions.command';
import { RecordSubmissionsHandler } from '../commands/record-submissions.handler';
import { REVIEW_ENTITIES, REVIEW_MIGRATIONS } from '../persistence/review.persistence';
import { received, scored } from '../testing/review-fixtures';
import { reviewSnapshot } from '../testing/review-snapshot';
import { OnEvaluationScored } from './evaluation-scored.handler';
import { OnSubmissionReceived } from './submission-received.handler';

type Event =
  | { name: 'received'; payload: EventPayload<'intake.submission.received.v1'> }
  | { name: 'scored'; payload: EventPayload<'scoring.evaluation.scored.v1'> };
const sub = (payload: EventPayload<'intake.submission.received.v1'>): Event => ({ name: 'received', payload });
const score = (payload: EventPayload<'scoring.evaluation.scored.v1'>): Event => ({ name: 'scored', payload });
const correction = (id: string, previous: string) =>
  received(id, { version: 2, previousVersionId: previous, submissionId: `sub_${previous}` });

/** Submissions and scores as a review inbox takes them from two producers: interleaved, some scores overtaking. */
const EVENTS: Event[] = [
  sub(received('ev_a')),
  score(scored('ev_b', { routing: 'manual-review' })), // overtakes its submission: a placeholder case
  sub(received('ev_c')),
  score(scored('ev_a')),
  sub(received('ev_b')), // completes ev_b's placeholder
  score(scored('ev_c', { routing: 'manual-review' })),
  sub(received('ev_d')),
  sub(correction('ev_c2', 'ev_c')), // notes itself on ev_c, after ev_c's score
  score(scored('ev_d')),
  score(scored('ev_c2')),
  sub(received('ev_a')), // again: noted, after ev_a's score
  score(scored('ev_e')), // no submission yet
];

// the order keys as the inbox gets them from the handler classes (they use nothing injected)
const onReceived = new OnSubmissionReceived(null as never, null as never);
const onScored = new OnEvaluationScored(null as never, null as never);
const keysOf = (e: Event) => (e.name === 'received' ? onReceived.orderKeys(e.payload) : onScored.orderKeys(e.payload));

/** Rows of a snapshot table by the evaluation they belong to, in their order. */
const byEvaluation = (rows: Array<Record<string, unknown>>, key: (row: Record<string, unknown>) => unknown) => {
  const out: Record<string, unknown[]> = {};
  for (const row of rows) (out[String(key(row))] ??= []).push(row);
  return out;
};

describe.each(TEST_DIALECTS)('interleaved submissions and scores in one inbox transaction on %s', (dialect) => {
  let one: TestDatabase;
  let grouped: TestDatabase;
  beforeAll(async () => {
    const open = () =>
      openTestDatabase(dialect, { name: 'review', entities: REVIEW_ENTITIES, migrations: REVIEW_MIGRATIONS });
    [one, grouped] = [await open(), await open()];
    for (const db of [one, grouped]) await runMigrations(db.dataSource);
  });
  afterAll(async () => {
    await one?.close();
    await grouped?.close();
  });

  it('grouped by name as the inbox groups them, each case ends as handling them one by one in arrival order', async () => {
    const origin = (e: Event) => ({
      source: e.name === 'received' ? 'intake' : 'scoring',
      eventId: `${e.name}-1`,
      correlationId: null,
    });
    await withTransaction(one.dataSource, async (manager) => {
      for (const e of EVENTS) {
        const work = { manager, ...origin(e), afterCommit: () => undefined };
        if (e.name === 'received') await new RecordSubmissionHandler().execute(new RecordSubmission(e.payload, work));
        else await new RecordScoreHandler().execute(new RecordScore(e.payload, work));
      }
    });
    const runs = handlerRuns(EVENTS.map((e) => ({ definition: e.name, keys: keysOf(e), event: e })));
    // the point of the grouping: far fewer set-based calls than events
    // (ev_c2's submission waits for ev_c's score, which came before it; ev_c2's score for its submission)
    expect(runs.map((run) => run.map((r) => `${r.event.name} ${r.event.payload.evaluationId}`))).toEqual([
      ['received ev_a', 'received ev_c', 'received ev_d'],
      ['scored ev_b', 'scored ev_a', 'scored ev_c', 'scored ev_d', 'scored ev_e'],
      ['received ev_b', 'received ev_c2', 'received ev_a'],
      ['scored ev_c2'],
    ]);
    await withTransaction(grouped.dataSource, async (manager) => {
      for (const run of runs) {
        const events = run.map((r) => r.event);
        if (events[0].name === 'received')
          await new RecordSubmissionsHandler().execute(
            new RecordSubmissions(
              events.map((e) => ({
                submission: e.payload as EventPayload<'intake.submission.received.v1'>,
                ...origin(e),
              })),
              manager,
            ),
          );
        else
          await new RecordScoresHandler().execute(
            new RecordScores(
              events.map((e) => ({ score: e.payload as EventPayload<'scoring.evaluation.scored.v1'>, ...origin(e) })),
              manager,
            ),
          );
      }
    });

    const expected = await reviewSnapshot(one.dataSource);
    const actual = await reviewSnapshot(grouped.dataSource);
    expect(actual.cases).toEqual(expected.cases);
    expect(actual.details).toEqual(expected.details);
    // across evaluations the order differs (that is the regrouping); for each evaluation it is the same
    const history = (s: typeof actual) => byEvaluation(s.history, (h) => h.evaluation_id);
    expect(history(actual)).toEqual(history(expected));
    const audit = (s: typeof actual) =>
      byEvaluation(
        s.audit.map(({ seq: _seq, ...a }: Record<string, unknown>) => a),
        (a) => a.entity_id,
      );
    expect(audit(actual)).toEqual(audit(expected));
    const outbox = (s: typeof actual) =>
      byEvaluation(s.outbox, (o) => (o.payload as { evaluationId: string }).evaluationId);
    expect(outbox(actual)).toEqual(outbox(expected));
    expect(actual.audit).toHaveLength(expected.audit.length);
    expect(await verifyAudit(grouped.dataSource, 'review_audit')).toMatchObject({ ok: true });

    const state = Object.fromEntries(actual.cases.map((c: Record<string, unknown>) => [c.evaluation_id, c.state]));
    expect(state).toMatchObject({ ev_a: 'approved', ev_b: 'in_review', ev_c: 'in_review', ev_c2: 'approved' });
  });
});
