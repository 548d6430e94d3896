import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '@jixiao/contracts';
import { sample } from '@jixiao/runtime/testing/prometheus-text';
import { tableCounts } from './support/counts';
import { documentForm, http } from './support/http';
import { SEEDS } from './support/seeds';
import { REDIS_URL, startSystem, type TestSystem, waitFor } from './support/system';

/**
 * The four seed documents through the running system (intake → scoring → review → publication over BullMQ),
 * on SQLite and on PostgreSQL, with the real Redis.
 */
describe.each(['sqlite', 'postgres'] as const)('pipeline on %s', (db) => {
  let sys: TestSystem;
  const ids: Record<string, string[]> = {};
  const auditor = () => sys.token('auditor', ['CN']);
  const stateOf = async (id: string) => (await http('GET', `${sys.url}/evaluations/${id}`, { token: auditor() })).body?.state;

  beforeAll(async () => {
    sys = await startSystem({ db });
  });
  afterAll(async () => {
    await sys?.close();
  });

  it('takes the four seed documents in through POST /documents', async () => {
    for (const [key, seed] of Object.entries(SEEDS)) {
      const res = await http('POST', `${sys.url}/documents`, {
        token: sys.token('submitter', [seed.region]),
        form: documentForm(seed.file),
      });
      expect(res.status, `${key}: ${res.text}`).toBe(201);
      ids[key] = res.body.evaluationIds;
    }
    expect(ids.huoqiu).toHaveLength(2);
    expect(ids.jinshui).toHaveLength(1);
  });

  it('publishes 霍邱 automatically and holds 盐池, 金水 and 灵寿 for review', async () => {
    for (const id of ids.huoqiu) await waitFor(`霍邱 ${id} published`, async () => (await stateOf(id)) === 'published');
    for (const key of ['yanchi', 'jinshui', 'lingshou']) {
      await waitFor(`${key} in review`, async () => (await stateOf(ids[key][0])) === 'in_review');
    }
    const page = await http('GET', `${sys.url}/public/341522/2022.json`);
    expect(page.status).toBe(200);
    const totals = page.body.evaluations.map((e: { total: number }) => e.total).sort();
    expect(totals).toEqual([100, 95.16]);
    const detail = await http('GET', `${sys.url}/evaluations/${ids.yanchi[0]}`, { token: auditor() });
    const codes = JSON.stringify(detail.body);
    expect(codes).toContain('SCORE_DIFFERS_FROM_RULE');
    expect(codes).toContain('群众满意度');
    // scores travel as figures; review recomputes the breakdown, explanations and all, from the evaluation and the
    // rules scoring sent, for reviewers and for what an approval publishes
    expect(detail.body.score.breakdown).toMatchObject({ current: true });
    const explanations = detail.body.score.breakdown.indicators.map((i: { explanation?: string }) => i.explanation);
    expect(explanations.length).toBeGreaterThan(5);
    for (const e of explanations) expect(e).toEqual(expect.any(String));
    const published = await http('GET', `${sys.url}/public/evaluations/${ids.huoqiu[0]}`);
    expect(published.status).toBe(200);
    expect(published.text).toContain('执行率 = ');
  });

  it('publishes what a reviewer approves', async () => {
    const res = await http('POST', `${sys.url}/evaluations/${ids.yanchi[0]}/approve`, { token: sys.token('reviewer', ['640000']), json: {} });
    expect(res.status, res.text).toBe(200);
    await waitFor('盐池 published', async () => (await stateOf(ids.yanchi[0])) === 'published');
    const page = await http('GET', `${sys.url}/public/640323/2022.json`);
    expect(page.body.evaluations.map((e: { total: number; grade: string }) => [e.total, e.grade])).toEqual([[99.5, '优']]);
    const again = await http('POST', `${sys.url}/evaluations/${ids.yanchi[0]}/approve`, { token: sys.token('reviewer', ['640323']), json: {} });
    expect(again.status).toBe(409);
  });

  it('returns an evaluation to its unit, and the corrected version flows again, linked to the first', async () => {
    const reviewer = sys.token('reviewer', ['410105']);
    const res = await http('POST', `${sys.url}/evaluations/${ids.jinshui[0]}/return`, {
      token: reviewer,
      // with the findings the unit must correct: the totals, and a met target not given full marks
      json: {
        reason: '合计行与各项得分之和不符，请更正',
        findings: ['REPORTED_TOTAL_MISMATCH', 'SUM_MISMATCH|合计', 'SCORE_DIFFERS_FROM_RULE|辖区居民满意'],
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(await stateOf(ids.jinshui[0])).toBe('returned');

    const corrected = JSON.parse(readFileSync(join(__dirname, '../../rules/golden/jinshui-2021.input.json'), 'utf8'));
    const evaluation = corrected.evaluations?.[0] ?? corrected;
    evaluation.reported = { ...evaluation.reported, total: 91, sectionsTotal: { weight: 100, score: 96 } };
    const resubmit = await http('POST', `${sys.url}/evaluations?previousVersionId=${ids.jinshui[0]}`, {
      token: sys.token('submitter', ['410105']),
      json: evaluation,
    });
    expect(resubmit.status, resubmit.text).toBe(201);
    const v2 = resubmit.body.evaluationIds[0];
    await waitFor('corrected 金水 scored and routed', async () => ['in_review', 'approved', 'published'].includes(await stateOf(v2)));
    const submission = await http('GET', `${sys.url}/submissions/${resubmit.body.submissionIds[0]}`, { token: auditor() });
    expect(submission.status).toBe(200);
    expect(JSON.stringify(submission.body)).toContain(ids.jinshui[0]);
    const history = await http('GET', `${sys.url}/evaluations/${ids.jinshui[0]}/history`, { token: auditor() });
    expect(JSON.stringify(history.body)).toContain('合计行与各项得分之和不符');
    // the correction mended the totals, not the satisfaction row: the reviewer sees which named finding is which
    const shown = await http('GET', `${sys.url}/evaluations/${v2}`, { token: reviewer });
    expect(
      shown.body.previousReturn.findings.map((f: { key: string; status: string }) => [f.key, f.status]),
    ).toEqual([
      ['REPORTED_TOTAL_MISMATCH', 'resolved'],
      ['SUM_MISMATCH|合计', 'resolved'],
      ['SCORE_DIFFERS_FROM_RULE|辖区居民满意', 'remaining'],
    ]);
  });

  it('keeps every audit chain intact', async () => {
    const res = await http('GET', `${sys.url}/audit/verify`, { token: auditor() });
    expect(res.status).toBe(200);
    expect(res.body.ok).toBe(true);
    expect(res.body.records).toBeGreaterThan(10);
  });

  it('reports to Prometheus (GET /metrics): every service up, nothing waiting or failed, the events each inbox handled', async () => {
    const res = await http('GET', `${sys.url}/metrics`);
    expect(res.status).toBe(200);
    const text = res.text;
    for (const service of ['intake', 'scoring', 'review', 'publication']) {
      expect(sample(text, 'jixiao_service_up', { service }), service).toBe(1);
      expect(sample(text, 'jixiao_outbox_unsent_events', { service }), service).toBe(0);
      expect(sample(text, 'jixiao_outbox_oldest_unsent_seconds', { service }), service).toBe(0);
      expect(sample(text, 'jixiao_outbox_relayed_events_total', { service }), service).toBeGreaterThan(0);
    }
    for (const queue of [QUEUES.scoringInbox, QUEUES.reviewInbox, QUEUES.publicationInbox])
      for (const state of ['waiting', 'active', 'failed']) expect(sample(text, 'jixiao_queue_jobs', { queue, state }), `${queue} ${state}`).toBe(0);
    // the six evaluations (five read from the seeds, one corrected version), each to scoring and to review; the
    // counters are the process's, and this file runs both databases in one process: at least these
    const received = { event: 'intake.submission.received.v1', outcome: 'handled' };
    expect(sample(text, 'jixiao_inbox_events_total', { queue: QUEUES.scoringInbox, ...received })).toBeGreaterThanOrEqual(6);
    expect(sample(text, 'jixiao_inbox_events_total', { queue: QUEUES.reviewInbox, ...received })).toBeGreaterThanOrEqual(6);
    expect(
      sample(text, 'jixiao_inbox_events_total', { queue: QUEUES.publicationInbox, event: 'review.evaluation.approved.v1', outcome: 'handled' }),
    ).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'jixiao_inbox_transaction_seconds_count', { queue: QUEUES.reviewInbox })).toBeGreaterThan(0);
    // every event handled has its delay from its producer's commit; the seeds' took well under a minute each
    const delays = { count: sample(text, 'jixiao_inbox_event_delay_seconds_count', { queue: QUEUES.scoringInbox })!, sum: sample(text, 'jixiao_inbox_event_delay_seconds_sum', { queue: QUEUES.scoringInbox })! };
    expect(delays.count).toBeGreaterThanOrEqual(sample(text, 'jixiao_inbox_events_total', { queue: QUEUES.scoringInbox, ...received })!);
    expect(delays.sum / delays.count).toBeGreaterThan(0);
    expect(delays.sum / delays.count).toBeLessThan(60);
    expect(sample(text, 'jixiao_http_request_duration_seconds_count', { method: 'POST', route: '/documents', status_code: '201' })).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'jixiao_http_request_duration_seconds_count', { method: 'GET', route: '/evaluations/:id', status_code: '200' })).toBeGreaterThan(0);
  });

  it('changes nothing when every event is delivered a second time', async () => {
    const duplicates = async () => {
      const text = (await http('GET', `${sys.url}/metrics`)).text;
      let n = 0;
      for (const line of text.split('\n')) if (line.startsWith('jixiao_inbox_events_total{') && line.includes('outcome="duplicate"')) n += Number(line.split(' ')[1]);
      return n;
    };
    const duplicatesBefore = await duplicates();
    const before = await tableCounts(sys);
    const connection = { url: REDIS_URL };
    let readded = 0;
    for (const name of [QUEUES.scoringInbox, QUEUES.reviewInbox, QUEUES.publicationInbox]) {
      const queue = new Queue(name, { connection, prefix: sys.prefix });
      const done = await queue.getJobs(['completed'], 0, -1);
      for (const job of done) {
        await queue.add(job.name, job.data, { jobId: `${job.id}-again` });
        readded++;
      }
      await waitFor(`${name} drained`, async () => {
        const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed');
        return c.waiting + c.active + c.delayed === 0 && c.completed >= done.length * 2;
      });
      await queue.close();
    }
    expect(readded).toBeGreaterThan(10);
    expect(await tableCounts(sys)).toEqual(before);
    // each re-added job's events were counted as duplicates (a job may carry several)
    expect((await duplicates()) - duplicatesBefore).toBeGreaterThanOrEqual(readded);
    const verify = await http('GET', `${sys.url}/audit/verify`, { token: auditor() });
    expect(verify.body.ok).toBe(true);
  });
});
