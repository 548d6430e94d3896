import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, type EventPayload } from '@jixiao/contracts';
import { waitFor } from '@jixiao/messaging/testing/test-redis';
import { TEST_DIALECTS } from '@jixiao/persistence/testing/test-database';
import { published, received, scored, type ScoreOptions } from '../testing/review-fixtures';
import { ReviewHarness } from '../testing/review-harness';

const V2 = { id: '130126', version: 2, hash: `sha256:${'c'.repeat(64)}` };

function chunk(items: Array<[string, ScoreOptions]>): EventPayload<'scoring.evaluations.rescored.v1'> {
  return {
    runId: 'run_9',
    chunk: 0,
    activated: { ruleSetId: '130126', version: 2 },
    scoredAt: '2024-04-01T00:00:00.000Z',
    items: items.map(([id, o]) => ({
      ...scored(id, { resultId: `res_${id}_run_9`, scoredAt: '2024-04-01T00:00:00.000Z', ...o }),
      ruleSet: V2,
      rescoringRunId: 'run_9',
      previous: {
        resultId: `res_${id}_1`,
        ruleSet: { id: '130126', version: 1, hash: `sha256:${'b'.repeat(64)}` },
        total: 92.5,
        grade: '优',
        routing: 'auto-approve' as const,
      },
    })),
  };
}

describe.each(TEST_DIALECTS)('review: a re-scoring chunk through the inbox on %s', (dialect) => {
  let h: ReviewHarness;
  let auditor: string;

  beforeAll(async () => {
    h = await ReviewHarness.start(dialect);
    auditor = h.token('auditor', ['CN']);
  });
  afterAll(async () => h?.close());

  async function publishedCase(id: string) {
    await h.send('intake', [{ name: 'intake.submission.received.v1', payload: received(id) }]);
    await h.waitForState(id, 'submitted');
    await h.send('scoring', [{ name: 'scoring.evaluation.scored.v1', payload: scored(id) }]);
    await h.waitForState(id, 'approved');
    await h.send('publication', [{ name: 'publication.evaluation.published.v1', payload: published(id) }]);
    await h.waitForState(id, 'published');
  }

  it('sends a published evaluation whose grade changed back to review, naming run and rule set; a redelivered chunk changes nothing', async () => {
    await publishedCase('ev_rs_grade');
    await publishedCase('ev_rs_same');
    await h.send('scoring', [
      {
        name: 'scoring.evaluations.rescored.v1',
        payload: chunk([
          ['ev_rs_grade', { total: 84, grade: '良', withResult: false }],
          ['ev_rs_same', { withResult: false }],
        ]),
      },
    ]);
    await h.waitForState('ev_rs_grade', 'in_review');
    await h.drained();
    expect(await h.stateOf('ev_rs_same')).toBe('published');

    const history = (await h.http('GET', '/evaluations/ev_rs_grade/history', auditor)).body.items;
    expect(history.slice(-2).map((i: { action: string; toState: string }) => `${i.action}→${i.toState}`)).toEqual([
      'score→published',
      'route-to-review→in_review',
    ]);
    expect(history.at(-1).reason).toBe(
      '重新评分（规则集 130126 第 2 版，重新评分批次 run_9）：等级 优 → 良；总分 92.5 → 84',
    );
    expect(history.at(-2).details).toMatchObject({ rescoringRunId: 'run_9', ruleSet: { id: '130126', version: 2 } });
    const routed = (await h.outbox('ev_rs_grade')).at(-1)!;
    expect(routed).toMatchObject({
      name: 'review.evaluation.routed.v1',
      payload: {
        decision: 'in-review',
        resultId: 'res_ev_rs_grade_run_9',
        reasons: ['等级 优 → 良', '总分 92.5 → 84'],
      },
    });
    expect((await h.http('GET', '/evaluations/ev_rs_same', auditor)).body.score.resultId).toBe('res_ev_rs_same_run_9');
    // passed on to publication: the changed one alone, as figures (review holds no rules hashing to V2's to recompute with)
    const reopened = (await h.outbox()).filter((e) => e.name === 'review.evaluations.reopened.v1');
    expect(reopened.map((e) => e.payload)).toEqual([
      {
        runId: 'run_9',
        chunk: 0,
        activated: { ruleSetId: '130126', version: 2 },
        items: [
          expect.objectContaining({
            evaluationId: 'ev_rs_grade',
            resultId: 'res_ev_rs_grade_run_9',
            total: 84,
            grade: '良',
          }),
        ],
      },
    ]);
    expect(reopened[0].payload.items[0].result).toBeUndefined();

    // the same job again under another job id (a relay that crashed between adding and marking it sent)
    const counts = async () => [
      await h.count('review_history'),
      await h.count('review_audit'),
      await h.count('review_outbox'),
    ];
    const before = await counts();
    const queue = h.queue(QUEUES.reviewInbox);
    const [job] = (await queue.getJobs(['completed'])).filter((j) => j.data.name === 'scoring.evaluations.rescored.v1');
    const again = await queue.add(job.name!, job.data, { jobId: `${job.id}-again` });
    await waitFor('the redelivered chunk handled', async () => (await again.getState()) === 'completed');
    expect(await counts()).toEqual(before);
    expect((await h.http('GET', '/audit/verify', auditor)).body.ok).toBe(true);
  });
});
