import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENTS, QUEUES, type EventPayload } from '@jixiao/contracts';
import { http } from './support/http';
import { REDIS_URL, startSystem, type TestSystem, waitFor } from './support/system';

/**
 * A published evaluation receives a chunk of a re-scoring run that lowers its grade: review sends it back to a
 * reviewer and passes it on to publication, whose public page shows the revised figures under review, the earlier
 * ones in its history. The chunk is added to review's inbox queue as the relay would add it (scoring's outbox is not
 * ours to write here).
 */
describe('a published evaluation re-scored by a rule change', () => {
  let sys: TestSystem;
  let evaluationId: string;
  const auditor = () => sys.token('auditor', ['CN']);

  beforeAll(async () => {
    sys = await startSystem({ db: 'sqlite' });
    const json = JSON.parse(readFileSync(join(__dirname, '../../rules/golden/huoqiu-2022.input.json'), 'utf8'));
    const [first] = json.evaluations ?? [json];
    const res = await http('POST', `${sys.url}/evaluations`, { token: sys.token('submitter', ['341522']), json: first });
    expect(res.status, res.text).toBe(201);
    evaluationId = res.body.evaluationIds[0];
    await waitFor('published', async () => (await http('GET', `${sys.url}/evaluations/${evaluationId}`, { token: auditor() })).body?.state === 'published');
  });
  afterAll(async () => sys?.close());

  it('ends in review with a revised public page', async () => {
    const c = (await http('GET', `${sys.url}/evaluations/${evaluationId}`, { token: auditor() })).body;
    const ruleSet = { ...c.score.ruleSet, version: c.score.ruleSet.version + 1, hash: `sha256:${'e'.repeat(64)}` };
    const total = Math.round((c.score.total - 12) * 100) / 100;
    const item = {
      evaluationId,
      submissionId: c.submissionId,
      submissionVersion: c.version,
      region: c.region,
      fiscalYear: c.fiscalYear,
      formType: c.formType,
      resultId: `${c.score.resultId}_e2e_run`,
      ruleSet,
      total,
      grade: '差',
      execution: { rate: c.executionRate, score: null },
      findingCounts: c.score.findingCounts,
      findingCodes: c.score.findingCodes,
      routing: c.routing,
      scoredAt: new Date().toISOString(),
      rescoringRunId: 'run_e2e',
      previous: { resultId: c.score.resultId, ruleSet: c.score.ruleSet, total: c.score.total, grade: c.score.grade, routing: c.routing.decision },
    };
    const payload: EventPayload<'scoring.evaluations.rescored.v1'> = {
      runId: 'run_e2e',
      chunk: 0,
      activated: { ruleSetId: ruleSet.id, version: ruleSet.version },
      scoredAt: item.scoredAt,
      items: [item],
    };
    EVENTS['scoring.evaluations.rescored.v1'].schema.parse(payload);
    const envelope = { id: 'scoring-e2e-run-1', name: 'scoring.evaluations.rescored.v1', producer: 'scoring', occurredAt: item.scoredAt, correlationId: null, payload };
    const queue = new Queue(QUEUES.reviewInbox, { connection: { url: REDIS_URL }, prefix: sys.prefix });
    await queue.add(envelope.name, envelope, { jobId: envelope.id });
    await queue.close();

    await waitFor('back in review', async () => (await http('GET', `${sys.url}/evaluations/${evaluationId}`, { token: auditor() })).body?.state === 'in_review');
    const history = (await http('GET', `${sys.url}/evaluations/${evaluationId}/history`, { token: auditor() })).body.items;
    expect(history.at(-1).reason).toContain(`重新评分批次 run_e2e）：等级 ${c.grade} → 差`);

    await waitFor('revised page', async () => (await http('GET', `${sys.url}/public/evaluations/${evaluationId}`)).text.includes('data-testid="under-review"'));
    const page = (await http('GET', `${sys.url}/public/evaluations/${evaluationId}`)).text;
    expect(page).toMatch(/data-revision="2"[\s\S]*重新评分批次 run_e2e[\s\S]*data-revision="1"/);
    const listed = (await http('GET', `${sys.url}/public/341522/2022.json`)).body.evaluations.find((e: { evaluationId: string }) => e.evaluationId === evaluationId);
    expect(listed).toMatchObject({ grade: '差', total, revised: true, underReview: true });
  });
});
