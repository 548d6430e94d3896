import { readFileSync } from 'node:fs';
import { QueueEvents } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '@jixiao/contracts';
import { jobEvents } from '@jixiao/messaging/testing/job-events';
import { TEST_REDIS_URL, waitFor } from '@jixiao/messaging/testing/test-redis';
import { TEST_DIALECTS } from '@jixiao/persistence/testing/test-database';
import {
  defaultRulesDir,
  listRuleFiles,
  loadRuleSets,
  loadRuleSetsFromSources,
  ruleSetSnapshot,
  score,
} from '@jixiao/scoring';
import { published, received, REGION, retracted, scored, UNIT } from './testing/review-fixtures';
import { ReviewHarness } from './testing/review-harness';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rule files and payloads are read field by field
type Json = any;

describe.each(TEST_DIALECTS)('review service on %s', (dialect) => {
  let h: ReviewHarness;
  let reviewer: string;
  let auditor: string;

  beforeAll(async () => {
    h = await ReviewHarness.start(dialect);
    reviewer = h.token('reviewer', ['130100']); // the city: covers 灵寿县 130126
    auditor = h.token('auditor', ['CN']);
  });
  afterAll(async () => h?.close());

  /** Submission then score, as the pipeline delivers them (both carrying the submitting request's correlation id). */
  async function submitAndScore(id: string, routing: 'auto-approve' | 'manual-review', region = REGION, total?: number) {
    const correlationId = `req-${id}`;
    await h.send('intake', [
      { name: 'intake.submission.received.v1', payload: received(id, { region }), correlationId },
    ]);
    // As in production, scoring reacts to the submission: the score comes after it (the reverse is tested below).
    await h.waitForState(id, 'submitted');
    await h.send('scoring', [
      { name: 'scoring.evaluation.scored.v1', payload: scored(id, { routing, region, total }), correlationId },
    ]);
    await h.waitForState(id, routing === 'auto-approve' ? 'approved' : 'in_review');
  }

  it('auto-approves a clean score: routed + approved (system) events carry the breakdown; publish, re-score and retract follow', async () => {
    await submitAndScore('ev_auto', 'auto-approve');
    const events = await h.outbox('ev_auto');
    expect(events.map((e) => e.name)).toEqual(['review.evaluation.routed.v1', 'review.evaluation.approved.v1']);
    // both carry on the correlation id of the request that submitted it
    expect(events.map((e) => e.correlationId)).toEqual(['req-ev_auto', 'req-ev_auto']);
    expect(events[0].payload).toMatchObject({ decision: 'auto-approved', resultId: 'res_ev_auto_1' });
    expect(events[1].payload).toMatchObject({
      automatic: true,
      actor: { user: 'system', role: 'system' },
      unitName: UNIT,
      score: { resultId: 'res_ev_auto_1', total: 92.5, grade: '优' },
      findings: { counts: { error: 0, warning: 0, info: 0 }, codes: [] },
      evaluation: { unitName: UNIT },
    });
    expect(events[1].payload.result.computed.indicators[0].explanation).toMatch(/满分/);
    // The relay delivered the approval to publication's inbox under review's event id.
    await expect
      .poll(async () =>
        jobEvents(await h.queue(QUEUES.publicationInbox).getJobs(['waiting'])).map(
          (e) => (e.payload as { evaluationId: string }).evaluationId,
        ),
      )
      .toContain('ev_auto');

    await h.send('publication', [{ name: 'publication.evaluation.published.v1', payload: published('ev_auto') }]);
    await h.waitForState('ev_auto', 'published');

    // A re-scoring that keeps the outcome changes nothing but the recorded score …
    await h.send('scoring', [
      {
        name: 'scoring.evaluation.scored.v1',
        payload: scored('ev_auto', { resultId: 'res_ev_auto_2', scoredAt: '2024-04-01T00:00:00.000Z' }),
      },
    ]);
    await h.drained();
    expect(await h.stateOf('ev_auto')).toBe('published');
    // … one that changes the grade sends it back to review.
    await h.send('scoring', [
      {
        name: 'scoring.evaluation.scored.v1',
        payload: scored('ev_auto', {
          resultId: 'res_ev_auto_3',
          total: 84,
          grade: '良',
          scoredAt: '2024-04-02T00:00:00.000Z',
        }),
      },
    ]);
    await h.waitForState('ev_auto', 'in_review');
    const rerouted = (await h.outbox('ev_auto')).at(-1)!;
    expect(rerouted).toMatchObject({
      name: 'review.evaluation.routed.v1',
      payload: { decision: 'in-review', resultId: 'res_ev_auto_3' },
    });
    expect(rerouted.payload.reasons).toEqual(['等级 优 → 良', '总分 92.5 → 84']);

    // Publication retracting meanwhile cannot take it out of review: noted, not applied.
    await h.send('publication', [{ name: 'publication.evaluation.retracted.v1', payload: retracted('ev_auto') }]);
    await h.drained();
    expect(await h.stateOf('ev_auto')).toBe('in_review');

    const history = await h.http('GET', '/evaluations/ev_auto/history', auditor);
    expect(history.status).toBe(200);
    expect(
      history.body.items.map(
        (i: { action: string; fromState: string | null; toState: string }) => `${i.action}:${i.fromState}→${i.toState}`,
      ),
    ).toEqual([
      'receive:null→submitted',
      'score:submitted→scored',
      'auto-approve:scored→approved',
      'publish:approved→published',
      'rescore:published→published',
      'score:published→published',
      'route-to-review:published→in_review',
      'retract-ignored:in_review→in_review',
    ]);
    expect(history.body.items[0]).toMatchObject({
      source: 'intake',
      eventId: 'intake-1',
      actor: { user: 'u-lingshou', role: 'submitter' },
    });
    expect(history.body.items[3]).toMatchObject({
      source: 'publication',
      eventId: expect.stringMatching(/^publication-/),
    });
    expect(history.body.items[6].reason).toBe('重新评分：等级 优 → 良；总分 92.5 → 84');
    // Every step that changed the case points at its audit record; the note that changed nothing has none.
    for (const item of history.body.items.slice(0, -1)) {
      const [row] = await h.db.query(
        `SELECT entity_id, action, from_state, to_state, hash FROM review_audit WHERE seq = ${Number(item.audit.seq)}`,
      );
      expect(row).toEqual({
        entity_id: 'ev_auto',
        action: item.action,
        from_state: item.fromState,
        to_state: item.toState,
        hash: item.audit.hash,
      });
    }
    expect(history.body.items.at(-1).audit).toBeNull();
  });

  it("publication's events: published, revised, retracted; a re-score that changes routing sends an approved case back", async () => {
    await submitAndScore('ev_pub', 'auto-approve');
    await h.send('publication', [{ name: 'publication.evaluation.published.v1', payload: published('ev_pub') }]);
    await h.waitForState('ev_pub', 'published');
    await h.send('publication', [{ name: 'publication.evaluation.published.v1', payload: published('ev_pub', 2) }]);
    await h.drained();
    await h.send('publication', [{ name: 'publication.evaluation.retracted.v1', payload: retracted('ev_pub') }]);
    await h.waitForState('ev_pub', 'retracted');
    const pub = await h.http('GET', '/evaluations/ev_pub/history', auditor);
    expect(
      pub.body.items
        .slice(-3)
        .map((i: { action: string; toState: string; reason: string | null }) => [i.action, i.toState, i.reason]),
    ).toEqual([
      ['publish', 'published', null],
      ['publish', 'published', 'disclosure revision 2'],
      ['retract', 'retracted', '填报单位申请撤回'],
    ]);
    expect((await h.http('GET', '/evaluations/ev_pub', auditor)).body).toMatchObject({
      publicPath: '/public/evaluations/ev_pub',
      lastReason: '填报单位申请撤回',
    });

    await submitAndScore('ev_reroute', 'auto-approve');
    const rescored = scored('ev_reroute', {
      resultId: 'res_ev_reroute_2',
      routing: 'manual-review',
      scoredAt: '2024-04-01T00:00:00.000Z',
    });
    await h.send('scoring', [{ name: 'scoring.evaluation.scored.v1', payload: rescored }]);
    await h.waitForState('ev_reroute', 'in_review');
    const steps = (await h.http('GET', '/evaluations/ev_reroute/history', auditor)).body.items.slice(-2);
    expect(
      steps.map(
        (i: { action: string; fromState: string; toState: string }) => `${i.action}:${i.fromState}→${i.toState}`,
      ),
    ).toEqual(['score:approved→scored', 'route-to-review:scored→in_review']);
    expect(steps[1].reason).toBe('重新评分：审核路由 自动通过 → 人工审核');
  });

  it('a retraction that overtakes its publication is retried until the publication is applied', async () => {
    await submitAndScore('ev_race_pub', 'auto-approve');
    await h.send('publication', [{ name: 'publication.evaluation.retracted.v1', payload: retracted('ev_race_pub') }]);
    await expect
      .poll(async () => (await h.queue(QUEUES.reviewInbox).getJobCounts('delayed')).delayed, { timeout: 30_000 })
      .toBe(1);
    expect(await h.stateOf('ev_race_pub')).toBe('approved');
    await h.send('publication', [{ name: 'publication.evaluation.published.v1', payload: published('ev_race_pub') }]);
    await h.waitForState('ev_race_pub', 'retracted');
    const actions = (await h.http('GET', '/evaluations/ev_race_pub/history', auditor)).body.items.map(
      (i: { action: string }) => i.action,
    );
    expect(actions.slice(-2)).toEqual(['publish', 'retract']);
  });

  it('explains a score sent as figures (as scoring sends one on submission) from the rules it cites: GET shows the recomputed breakdown, an auto-approval carries it; rules not received, or not hashing to what they claim, give none', async () => {
    const rules = loadRuleSets(defaultRulesDir()).resolve(REGION, 2023);
    const cited = { id: rules.id, version: rules.version, hash: rules.hash };
    /** A score as scoring computes and sends it: figures only, citing the real rules. */
    const figures = (id: string) => {
      const evaluation = received(id).evaluation;
      const r = score({ ...evaluation, region: REGION, fiscalYear: 2023 }, rules, { explain: false });
      return {
        ...scored(id, {
          withResult: false,
          total: r.computed.total!,
          grade: r.computed.grade!,
          routing: 'auto-approve',
        }),
        ruleSet: cited,
      };
    };
    const explained = score({ ...received('ev_thin').evaluation, region: REGION, fiscalYear: 2023 }, rules, {
      explain: true,
    });

    // not received yet: figures only, and an approval without a breakdown
    await h.send('intake', [{ name: 'intake.submission.received.v1', payload: received('ev_thin_0') }]);
    await h.waitForState('ev_thin_0', 'submitted');
    await h.send('scoring', [{ name: 'scoring.evaluation.scored.v1', payload: figures('ev_thin_0') }]);
    await h.waitForState('ev_thin_0', 'approved');
    expect((await h.outbox('ev_thin_0'))[1].payload.result).toBeUndefined();
    expect((await h.http('GET', '/evaluations/ev_thin_0', reviewer)).body.score).toMatchObject({
      total: explained.computed.total,
      breakdown: null,
    });

    // rules whose text does not hash to what they claim are kept but never used
    const tampered = JSON.parse(ruleSetSnapshot(rules));
    tampered.grades = [...tampered.grades].reverse();
    await h.send('scoring', [
      {
        name: 'scoring.ruleset.snapshot.v1',
        payload: { ruleSet: cited, content: JSON.stringify(tampered), recordedAt: '2024-03-01T08:00:00.000Z' },
      },
    ]);
    await h.drained();
    expect((await h.http('GET', '/evaluations/ev_thin_0', reviewer)).body.score.breakdown).toBeNull();
    await h.db.query(`DELETE FROM review_rule_snapshots`);

    // sent before the scores that cite them (and again: kept once)
    for (let i = 0; i < 2; i++)
      await h.send('scoring', [
        {
          name: 'scoring.ruleset.snapshot.v1',
          payload: { ruleSet: cited, content: ruleSetSnapshot(rules), recordedAt: '2024-03-01T08:00:00.000Z' },
        },
      ]);
    await h.send('intake', [{ name: 'intake.submission.received.v1', payload: received('ev_thin') }]);
    await h.waitForState('ev_thin', 'submitted');
    await h.send('scoring', [{ name: 'scoring.evaluation.scored.v1', payload: figures('ev_thin') }]);
    await h.waitForState('ev_thin', 'approved');
    expect(await h.count('review_rule_snapshots')).toBe(1);
    const approved = (await h.outbox('ev_thin'))[1];
    expect(approved.name).toBe('review.evaluation.approved.v1');
    expect(approved.payload.result).toEqual(JSON.parse(JSON.stringify(explained)));
    const view = (await h.http('GET', '/evaluations/ev_thin', reviewer)).body;
    expect(view.score.breakdown).toMatchObject({ resultId: 'res_ev_thin_1', current: true });
    expect(view.score.breakdown.indicators[0]).toMatchObject({
      name: '建设面积',
      explanation: explained.computed.indicators[0].explanation,
    });
    expect(view.score.breakdown.indicators[0].explanation).toEqual(expect.stringContaining('1.02'));
    // and the earlier score, now that its rules are here
    expect((await h.http('GET', '/evaluations/ev_thin_0', reviewer)).body.score.breakdown).toMatchObject({
      current: true,
    });
  });

  it('a re-scoring chunk (figures only) that changes a published grade: back to a reviewer, and passed on to publication with the breakdown recomputed under the new rules', async () => {
    const sources = listRuleFiles(defaultRulesDir()).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    const before = loadRuleSetsFromSources(sources).resolve(REGION, 2023);
    const evaluation = { ...received('ev_reopen').evaluation, region: REGION, fiscalYear: 2023 };
    const total = score(evaluation, before, { explain: false }).computed.total!;
    // the new rules lower the bound above the total to just under it (as 灵寿's 85 → 80 would for 80–85)
    const own = sources.find((x) => x.file.endsWith(`${REGION}.json`))!;
    const file = JSON.parse(own.text);
    const bounds = file.grades.flatMap((g: Json) =>
      g.conditions.all.filter((c: Json) => c.fact === 'total').map((c: Json) => c.value),
    );
    const bound = Math.min(...bounds.filter((v: number) => v > total));
    for (const g of file.grades)
      for (const c of g.conditions.all) if (c.fact === 'total' && c.value === bound) c.value = Math.floor(total);
    own.text = JSON.stringify({ ...file, version: file.version + 1 });
    const after = loadRuleSetsFromSources(sources).resolve(REGION, 2023);
    const cite = (r: typeof before) => ({ id: r.id, version: r.version, hash: r.hash });
    const figures = (r: typeof before, o: { resultId: string; run: string | null }) => {
      const x = score(evaluation, r, { explain: false });
      return {
        ...scored('ev_reopen', {
          withResult: false,
          total: x.computed.total!,
          grade: x.computed.grade!,
          resultId: o.resultId,
        }),
        ruleSet: cite(r),
        rescoringRunId: o.run,
      };
    };
    const rescored = figures(after, { resultId: 'res_ev_reopen_run_r', run: 'run_r' });
    expect(rescored.grade).not.toBe(figures(before, { resultId: 'x', run: null }).grade);

    for (const r of [before, after])
      await h.send('scoring', [
        {
          name: 'scoring.ruleset.snapshot.v1',
          payload: { ruleSet: cite(r), content: ruleSetSnapshot(r), recordedAt: '2024-03-01T08:00:00.000Z' },
        },
      ]);
    await h.send('intake', [{ name: 'intake.submission.received.v1', payload: received('ev_reopen') }]);
    await h.waitForState('ev_reopen', 'submitted');
    await h.send('scoring', [
      { name: 'scoring.evaluation.scored.v1', payload: figures(before, { resultId: 'res_ev_reopen_1', run: null }) },
    ]);
    await h.waitForState('ev_reopen', 'approved');
    await h.send('publication', [{ name: 'publication.evaluation.published.v1', payload: published('ev_reopen') }]);
    await h.waitForState('ev_reopen', 'published');

    const chunk = {
      runId: 'run_r',
      chunk: 3,
      activated: { ruleSetId: after.id, version: after.version },
      scoredAt: rescored.scoredAt,
      items: [
        {
          ...rescored,
          previous: {
            resultId: 'res_ev_reopen_1',
            ruleSet: cite(before),
            total,
            grade: figures(before, { resultId: 'x', run: null }).grade,
            routing: 'auto-approve' as const,
          },
        },
      ],
    };
    await h.send('scoring', [{ name: 'scoring.evaluations.rescored.v1', payload: chunk }]);
    await h.waitForState('ev_reopen', 'in_review');
    const reopened = (await h.outbox()).filter((e) => e.name === 'review.evaluations.reopened.v1');
    expect(reopened).toHaveLength(1);
    expect(reopened[0].payload).toMatchObject({ runId: 'run_r', chunk: 3, activated: chunk.activated });
    const { previous: _previous, ...item } = chunk.items[0];
    const explained = score(evaluation, after, { explain: true });
    expect(reopened[0].payload.items).toEqual([{ ...item, result: JSON.parse(JSON.stringify(explained)) }]);
    expect(reopened[0].payload.items[0].result.computed.grade).toBe(rescored.grade);
  });

  it('GET /evaluations/:id shows the evaluation, its score with per-indicator explanations and findings, state, routing and versions', async () => {
    await submitAndScore('ev_show', 'manual-review');
    await h.send('intake', [
      {
        name: 'intake.submission.received.v1',
        payload: received('ev_show_v2', { version: 2, previousVersionId: 'ev_show', submissionId: 'sub_ev_show' }),
      },
    ]);
    await h.waitForState('ev_show_v2', 'submitted');
    const res = await h.http('GET', '/evaluations/ev_show', reviewer);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      evaluationId: 'ev_show',
      state: 'in_review',
      unitName: UNIT,
      evaluation: { formType: 'project', unitName: UNIT },
      routing: { decision: 'manual-review', reasons: ['EXECUTION_RATE_MISMATCH: 执行率与填报不一致'] },
      score: {
        resultId: 'res_ev_show_1',
        total: 92.5,
        grade: '优',
        findingCounts: { error: 1, warning: 0, info: 0 },
        findingCodes: ['EXECUTION_RATE_MISMATCH'],
        breakdown: { current: true, findings: [{ code: 'EXECUTION_RATE_MISMATCH' }] },
      },
      versions: { previous: null, next: [{ evaluationId: 'ev_show_v2', version: 2, href: '/evaluations/ev_show_v2' }] },
      links: { history: '/evaluations/ev_show/history' },
    });
    expect(res.body.score.breakdown.indicators[0]).toMatchObject({
      name: '建设面积',
      score: 10,
      explanation: expect.stringContaining('1.02万亩'),
    });
    const v2 = await h.http('GET', '/evaluations/ev_show_v2', reviewer);
    expect(v2.body.versions.previous).toEqual({ evaluationId: 'ev_show', href: '/evaluations/ev_show' });
    expect(v2.body.score).toBeNull();
    // what the correction changed: its project name (the fixture names projects after their ids); not scored yet
    expect(res.body.changesFromPrevious).toBeNull();
    expect(v2.body.changesFromPrevious).toEqual({
      previousVersionId: 'ev_show',
      previousVersion: 1,
      form: [{ field: 'projectName', label: '项目名称', from: '项目 ev_show', to: '项目 ev_show_v2' }],
      indicators: [],
      projects: [],
      score: [
        { field: 'total', label: '复核总分', from: 92.5, to: null },
        { field: 'grade', label: '复核等级', from: '优', to: null },
      ],
      otherChanges: false,
      unchanged: false,
    });
    const trail = (await h.http('GET', '/evaluations/ev_show/history', reviewer)).body;
    expect(trail.items.at(-1)).toMatchObject({
      action: 'resubmitted',
      fromState: 'in_review',
      toState: 'in_review',
      reason: '已提交更正版本（第 2 版）：ev_show_v2',
      audit: null,
    });
  });

  it('manual review: a reviewer approves (approved event with actor and comment); a second approve and a return get 409', async () => {
    await submitAndScore('ev_manual', 'manual-review');
    expect((await h.outbox('ev_manual')).map((e) => [e.name, e.payload.decision])).toEqual([
      ['review.evaluation.routed.v1', 'in-review'],
    ]);
    const ok = await h.http(
      'POST',
      '/evaluations/ev_manual/approve',
      reviewer,
      { comment: '已核实执行率' },
      { 'x-correlation-id': 'req-approve-1' },
    );
    expect(ok).toMatchObject({ status: 200, body: { evaluationId: 'ev_manual', state: 'approved' } });
    const approved = (await h.outbox('ev_manual')).at(-1)!;
    expect(approved).toMatchObject({
      name: 'review.evaluation.approved.v1',
      correlationId: 'req-approve-1', // the reviewer's request, followed on to publication
      payload: {
        automatic: false,
        actor: { user: 'reviewer-130100', role: 'reviewer' },
        comment: '已核实执行率',
        score: { resultId: 'res_ev_manual_1' },
      },
    });
    const again = await h.http('POST', '/evaluations/ev_manual/approve', reviewer);
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('evaluation ev_manual: cannot approve an evaluation that is approved');
    expect(again.body.messageZh).toBe('此自评表现为“已通过”，不能审核通过');
    expect((await h.http('POST', '/evaluations/ev_manual/return', reviewer, { reason: '再看看' })).status).toBe(409);
    const history = await h.http('GET', '/evaluations/ev_manual/history', reviewer);
    expect(history.body.items.at(-1)).toMatchObject({
      action: 'approve',
      fromState: 'in_review',
      toState: 'approved',
      reason: '已核实执行率',
      source: 'review',
      actor: { user: 'reviewer-130100', role: 'reviewer' },
    });
  });

  it('a decision made on a revision the case has moved past (re-scored meanwhile) is refused with 409; on the current one it applies', async () => {
    await submitAndScore('ev_stale', 'manual-review');
    const seen = (await h.http('GET', '/evaluations/ev_stale', reviewer)).body;
    expect(seen).toMatchObject({ state: 'in_review', total: 92.5 });
    // a later score arrives while the reviewer looks at the first: still in review, another total
    await h.send('scoring', [
      {
        name: 'scoring.evaluation.scored.v1',
        payload: scored('ev_stale', { routing: 'manual-review', total: 84, grade: '良', resultId: 'res_ev_stale_2', scoredAt: '2024-03-02T08:00:00.000Z' }),
      },
    ]);
    await waitFor('the second score', async () => (await h.http('GET', '/evaluations/ev_stale', reviewer)).body.total === 84);
    const now = (await h.http('GET', '/evaluations/ev_stale', reviewer)).body;
    expect(now.revision).toBeGreaterThan(seen.revision);
    const outboxBefore = (await h.outbox('ev_stale')).length;
    for (const [action, body] of [
      ['approve', { revision: seen.revision }],
      ['return', { reason: '请核实', revision: seen.revision }],
    ] as const) {
      const stale = await h.http('POST', `/evaluations/ev_stale/${action}`, reviewer, body);
      expect(stale.status).toBe(409);
      expect(stale.body.message).toBe(
        `evaluation ev_stale has changed since revision ${seen.revision} (now revision ${now.revision}, in_review: ${now.lastReason}): look at it again before deciding`,
      );
      expect(stale.body.messageZh).toBe(
        `打开时为第 ${seen.revision} 次修订，现为第 ${now.revision} 次修订（待审核：${now.lastReason}），请重新查看后再决定`,
      );
    }
    expect(await h.stateOf('ev_stale')).toBe('in_review');
    expect(await h.outbox('ev_stale')).toHaveLength(outboxBefore);
    const ok = await h.http('POST', '/evaluations/ev_stale/approve', reviewer, { revision: now.revision, comment: '已核实新分数' });
    expect(ok).toMatchObject({ status: 200, body: { state: 'approved', revision: now.revision + 1 } });
    expect(await h.outbox('ev_stale')).toHaveLength(outboxBefore + 1);
  });

  it('return needs a reason (400 naming it), then returns with it and emits the returned event', async () => {
    await submitAndScore('ev_return', 'manual-review');
    for (const body of [undefined, {}, { reason: '' }, { reason: '   ' }]) {
      const bad = await h.http('POST', '/evaluations/ev_return/return', reviewer, body);
      expect(bad.status).toBe(400);
      expect(bad.body.message).toMatch(/reason/);
    }
    expect(await h.stateOf('ev_return')).toBe('in_review');
    const ok = await h.http('POST', '/evaluations/ev_return/return', reviewer, {
      reason: '执行率与预算执行数不一致，请核实后重新提交',
    });
    expect(ok).toMatchObject({ status: 200, body: { state: 'returned' } });
    expect((await h.outbox('ev_return')).at(-1)).toMatchObject({
      name: 'review.evaluation.returned.v1',
      payload: {
        submissionId: 'sub_ev_return',
        submissionVersion: 1,
        reason: '执行率与预算执行数不一致，请核实后重新提交',
        actor: { role: 'reviewer' },
      },
    });
    const detail = await h.http('GET', '/evaluations/ev_return', auditor);
    expect(detail.body).toMatchObject({ state: 'returned', lastReason: '执行率与预算执行数不一致，请核实后重新提交' });
  });

  it('a return names findings for the unit to correct; the corrected version shows each resolved or remaining', async () => {
    const differs = (subject: string, message: string) =>
      ({ code: 'SCORE_DIFFERS_FROM_RULE', severity: 'warning', subject, message }) as const;
    const mismatch = {
      code: 'EXECUTION_RATE_MISMATCH',
      severity: 'error',
      subject: null,
      message: '执行率 100% 与按金额计算的 98% 不一致',
    } as const;
    const first = [mismatch, differs('预算执行率', '自评 9，应为 9.8'), differs('预算执行率', '自评 1，应为 2')];
    await h.send('intake', [{ name: 'intake.submission.received.v1', payload: received('ev_flag') }]);
    await h.waitForState('ev_flag', 'submitted');
    await h.send('scoring', [
      { name: 'scoring.evaluation.scored.v1', payload: scored('ev_flag', { routing: 'manual-review', findings: first }) },
    ]);
    await h.waitForState('ev_flag', 'in_review');
    const seen = (await h.http('GET', '/evaluations/ev_flag', reviewer)).body;
    // each finding has a key to name it by; the second with the same code and subject is told apart
    expect(seen.score.breakdown.findings.map((f: { key: string }) => f.key)).toEqual([
      'EXECUTION_RATE_MISMATCH',
      'SCORE_DIFFERS_FROM_RULE|预算执行率',
      'SCORE_DIFFERS_FROM_RULE|预算执行率#2',
    ]);
    expect(seen.lastReturn).toBeNull();

    // a key the score does not have: 400 naming it, nothing changes
    const auditBefore = await h.count('review_audit');
    const unknown = await h.http('POST', '/evaluations/ev_flag/return', reviewer, {
      findings: ['EXECUTION_RATE_MISMATCH', 'SUM_MISMATCH|合计'],
      revision: seen.revision,
    });
    expect(unknown).toMatchObject({ status: 400, body: { unknownFindings: ['SUM_MISMATCH|合计'] } });
    expect(unknown.body.messageZh).toContain('SUM_MISMATCH|合计');
    const malformed = await h.http('POST', '/evaluations/ev_flag/return', reviewer, { findings: ['not a key'] });
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/body\.findings\.0/);
    expect(await h.stateOf('ev_flag')).toBe('in_review');
    expect(await h.count('review_audit')).toBe(auditBefore);

    // named findings and no reason: the return says the default reason, keeps the findings in the trail and event
    const flagged = ['EXECUTION_RATE_MISMATCH', 'SCORE_DIFFERS_FROM_RULE|预算执行率#2'];
    const ok = await h.http('POST', '/evaluations/ev_flag/return', reviewer, {
      findings: flagged,
      revision: seen.revision,
    });
    expect(ok).toMatchObject({ status: 200, body: { state: 'returned' } });
    const named = [
      { key: flagged[0], code: mismatch.code, severity: 'error', subject: null, message: mismatch.message },
      { key: flagged[1], ...first[2] },
    ];
    const returned = (await h.outbox('ev_flag')).at(-1)!;
    expect(returned).toMatchObject({
      name: 'review.evaluation.returned.v1',
      payload: { reason: '请核实并修改退回时指出的问题后重新提交', findings: named },
    });
    const trail = (await h.http('GET', '/evaluations/ev_flag/history', reviewer)).body.items.at(-1);
    expect(trail).toMatchObject({ action: 'return', details: { findings: named }, audit: { seq: expect.any(Number) } });
    const unit = h.token('submitter', [REGION]);
    const returnedView = (await h.http('GET', '/evaluations/ev_flag', unit)).body;
    expect(returnedView.lastReturn).toMatchObject({
      reason: '请核实并修改退回时指出的问题后重新提交',
      actor: { role: 'reviewer' },
      findings: named,
    });

    // the corrected version, not scored yet: nothing known of the findings
    await h.send('intake', [
      {
        name: 'intake.submission.received.v1',
        payload: received('ev_flag_v2', { version: 2, previousVersionId: 'ev_flag', submissionId: 'sub_ev_flag' }),
      },
    ]);
    await h.waitForState('ev_flag_v2', 'submitted');
    const unscored = (await h.http('GET', '/evaluations/ev_flag_v2', reviewer)).body;
    expect(unscored.previousReturn).toMatchObject({
      evaluationId: 'ev_flag',
      reason: '请核实并修改退回时指出的问题后重新提交',
      findings: named.map((f) => ({ ...f, status: 'unknown', now: null })),
    });
    // scored: the execution rate was mended; one of the two 预算执行率 findings is left (which one, the key cannot
    // tell): the one named is not called resolved, and what it says now is shown
    const still = differs('预算执行率', '自评 1.5，应为 2');
    await h.send('scoring', [
      {
        name: 'scoring.evaluation.scored.v1',
        payload: scored('ev_flag_v2', { routing: 'manual-review', findings: [still], submissionVersion: 2 }),
      },
    ]);
    await h.waitForState('ev_flag_v2', 'in_review');
    const rescored = (await h.http('GET', '/evaluations/ev_flag_v2', reviewer)).body;
    expect(rescored.previousReturn.findings).toEqual([
      { ...named[0], status: 'resolved', now: null },
      { ...named[1], status: 'remaining', now: '自评 1.5，应为 2' },
    ]);
    expect(rescored.lastReturn).toBeNull();
  });

  it('naming findings needs the score’s breakdown: without it the return is refused (409) and can be made with a reason', async () => {
    await h.send('intake', [{ name: 'intake.submission.received.v1', payload: received('ev_flag_bare') }]);
    await h.waitForState('ev_flag_bare', 'submitted');
    await h.send('scoring', [
      {
        name: 'scoring.evaluation.scored.v1',
        payload: scored('ev_flag_bare', { routing: 'manual-review', withResult: false }),
      },
    ]);
    await h.waitForState('ev_flag_bare', 'in_review');
    const refused = await h.http('POST', '/evaluations/ev_flag_bare/return', reviewer, {
      findings: ['EXECUTION_RATE_MISMATCH|预算执行率'],
    });
    expect(refused).toMatchObject({ status: 409, body: { code: 'FINDINGS_UNAVAILABLE' } });
    expect(await h.stateOf('ev_flag_bare')).toBe('in_review');
    const ok = await h.http('POST', '/evaluations/ev_flag_bare/return', reviewer, { reason: '请核实执行率' });
    expect(ok).toMatchObject({ status: 200, body: { state: 'returned' } });
    expect((await h.outbox('ev_flag_bare')).at(-1)!.payload).not.toHaveProperty('findings');
  });

  it('a roster: which units of a region have submitted for a year (current versions), who has not, who is not on it', async () => {
    // a county and a year of their own (the listing test counts Hebei's forms)
    const RR = '130125';
    const YEAR = 2031;
    const rosterReviewer = h.token('reviewer', [RR]);
    const submit = async (id: string, unitName: string, over: Parameters<typeof received>[1] = {}) => {
      const payload = received(id, { unitName, region: RR, fiscalYear: YEAR, ...over });
      await h.send('intake', [{ name: 'intake.submission.received.v1', payload }]);
      await h.waitForState(id, 'submitted');
    };
    await submit('ev_ro_a', '灵寿县农业农村局');
    await submit('ev_ro_b', '灵寿县财政局', { receivedAt: '2024-04-01T16:30:00.000Z' }); // 00:30 on 04-02 in Beijing
    // a correction replaces what it corrects; another region's or year's forms do not count
    await submit('ev_ro_b2', '灵寿县财政局', {
      version: 2,
      previousVersionId: 'ev_ro_b',
      submissionId: 'sub_ev_ro_b',
      receivedAt: '2024-05-01T08:00:00.000Z',
    });
    await submit('ev_ro_other', '灵寿县教育局', { region: REGION });
    await submit('ev_ro_2030', '灵寿县教育局', { fiscalYear: 2030 });
    await submit('ev_ro_x', '灵寿县水利局');

    // no roster yet: every unit that submitted is listed as not on it
    const none = await h.http('GET', `/rosters/${RR}/${YEAR}`, auditor);
    expect(none.status).toBe(200);
    expect(none.body).toMatchObject({ setAt: null, expected: 0, units: [], missing: [] });
    const before = await h.count('review_audit');

    const set = await h.http('PUT', `/rosters/${RR}/${YEAR}`, rosterReviewer, {
      units: ['灵寿县农业农村局', '灵寿县 财政局', '灵寿县教育局', '灵寿县财政局'],
    });
    expect(set.status, JSON.stringify(set.body)).toBe(200);
    expect(set.body).toMatchObject({
      region: RR,
      fiscalYear: YEAR,
      setBy: `reviewer-${RR}`,
      expected: 3,
      submitted: 2,
      missing: ['灵寿县教育局'],
    });
    expect(set.body.units.map((u: { unitName: string; evaluations: number }) => [u.unitName, u.evaluations])).toEqual([
      ['灵寿县农业农村局', 1],
      ['灵寿县 财政局', 1],
      ['灵寿县教育局', 0],
    ]);
    expect(set.body.units[1].byState).toEqual({ submitted: 1 });
    // the units of the region that submitted but are not on it
    // (in the order of their names' pinyin)
    expect(none.body.unlisted.map((u: { unitName: string }) => u.unitName)).toEqual([
      '灵寿县财政局',
      '灵寿县农业农村局',
      '灵寿县水利局',
    ]);
    expect(set.body.unlisted.map((u: { unitName: string }) => u.unitName)).toEqual(['灵寿县水利局']);
    // audited: one record, the roster's
    expect(await h.count('review_audit')).toBe(before + 1);
    expect((await h.http('GET', '/audit/verify', auditor)).body.ok).toBe(true);

    // a bad roster is refused and the one set stays whole
    const empty = await h.http('PUT', `/rosters/${RR}/${YEAR}`, rosterReviewer, { units: [' ', ''] });
    expect(empty.status).toBe(400);
    expect(empty.body.messageZh).toContain('名单中没有任何单位名称');
    const long = await h.http('PUT', `/rosters/${RR}/${YEAR}`, rosterReviewer, {
      units: ['灵寿县财政局', 'x'.repeat(201)],
    });
    expect(long).toMatchObject({ status: 400, body: { line: 2 } });
    expect((await h.http('PUT', `/rosters/${RR}/${YEAR}`, rosterReviewer, { units: '灵寿县财政局' })).status).toBe(
      400,
    );
    expect((await h.http('PUT', `/rosters/1301/${YEAR}`, rosterReviewer, { units: ['x'] })).status).toBe(400);
    // outside the reviewer's regions, or not a reviewer: 403; a unit does not read the roster
    expect((await h.http('PUT', `/rosters/410105/${YEAR}`, rosterReviewer, { units: ['x'] })).status).toBe(403);
    expect((await h.http('PUT', `/rosters/${RR}/${YEAR}`, auditor, { units: ['x'] })).status).toBe(403);
    expect((await h.http('GET', `/rosters/${RR}/${YEAR}`, h.token('submitter', [RR]))).status).toBe(403);
    expect((await h.http('GET', `/rosters/410105/${YEAR}`, rosterReviewer)).status).toBe(403);
    expect(await h.count('review_audit')).toBe(before + 1);
    const kept = await h.http('GET', `/rosters/${RR}/${YEAR}`, reviewer);
    expect(kept.body).toMatchObject({ expected: 3, missing: ['灵寿县教育局'] });

    // replaced whole: a shorter roster leaves nothing of the longer one
    const shorter = await h.http('PUT', `/rosters/${RR}/${YEAR}`, rosterReviewer, { units: ['灵寿县教育局'] });
    expect(shorter.body).toMatchObject({ expected: 1, submitted: 0, missing: ['灵寿县教育局'] });
    expect(await h.count('review_roster_units')).toBe(1);
    expect(await h.count('review_audit')).toBe(before + 2);

    // a deadline: past, so the roster is overdue and the units' first forms (today's) were late; a bad day is refused
    const badDay = await h.http('PUT', `/rosters/${RR}/${YEAR}`, rosterReviewer, { units: ['x'], deadline: '2024-02-30' });
    expect(badDay.status).toBe(400);
    expect(badDay.body.message).toContain('body.deadline');
    const dated = await h.http('PUT', `/rosters/${RR}/${YEAR}`, rosterReviewer, {
      units: ['灵寿县农业农村局', '灵寿县财政局', '灵寿县教育局'],
      deadline: '2024-03-31',
    });
    expect(dated.body).toMatchObject({ deadline: '2024-03-31', overdue: true, late: 1, missing: ['灵寿县教育局'] });
    // when intake received the first form (not its correction, nor when review got to it) says when a unit submitted:
    // 灵寿县农业农村局 on 03-01, on time; 灵寿县财政局 half an hour after the deadline day ended in Beijing
    expect(dated.body.units.map((u: { firstAt: string; late: boolean }) => [u.firstAt, u.late])).toEqual([
      ['2024-03-01T08:00:00.000Z', false],
      ['2024-04-01T16:30:00.000Z', true],
      [null, false],
    ]);
    expect(dated.body.units[1].lastAt).toBe('2024-05-01T08:00:00.000Z');
    const ahead = await h.http('PUT', `/rosters/${RR}/${YEAR}`, rosterReviewer, {
      units: ['灵寿县农业农村局'],
      deadline: '2099-12-31',
    });
    expect(ahead.body).toMatchObject({ deadline: '2099-12-31', overdue: false, late: 0 });
    // set again without one: no deadline
    const undated = await h.http('PUT', `/rosters/${RR}/${YEAR}`, rosterReviewer, { units: ['灵寿县农业农村局'] });
    expect(undated.body).toMatchObject({ deadline: null, overdue: false });
    expect(await h.count('review_rosters')).toBe(1);

    // every time it was set, newest first, as its audit records have it
    const changes = (await h.http('GET', `/rosters/${RR}/${YEAR}`, auditor)).body.changes;
    expect(changes).toHaveLength(5);
    expect(changes[0]).toMatchObject({ by: `reviewer-${RR}`, reason: '填报单位名单：1 个单位（此前 1 个）' });
    expect(changes.map((c: { reason: string }) => c.reason)).toContain(
      '填报单位名单：3 个单位（此前 1 个），截止日期 2024-03-31',
    );
    expect(changes[0].auditSeq).toBeGreaterThan(changes[1].auditSeq);

    // the city sees its counties' rosters, a line each
    const neighbour = await h.http('PUT', `/rosters/130128/${YEAR}`, h.token('reviewer', ['130128']), {
      units: ['甲局', '乙局'],
      deadline: '2024-03-31',
    });
    expect(neighbour.status).toBe(200);
    const city = await h.http('GET', `/rosters?region=130100&year=${YEAR}`, reviewer);
    expect(city.status).toBe(200);
    expect(city.body).toEqual({
      region: '130100',
      fiscalYear: YEAR,
      rosters: [
        { region: RR, deadline: null, overdue: false, expected: 1, submitted: 1, missing: 0, late: 0 },
        { region: '130128', deadline: '2024-03-31', overdue: true, expected: 2, submitted: 0, missing: 2, late: 0 },
      ],
    });
    expect((await h.http('GET', `/rosters?region=130000&year=${YEAR}`, auditor)).body.rosters).toHaveLength(2);
    expect((await h.http('GET', `/rosters?region=130100&year=${YEAR}`, rosterReviewer)).status).toBe(403);
    expect((await h.http('GET', `/rosters?region=130100&year=${YEAR}`, h.token('submitter', ['130100']))).status).toBe(403);
    expect((await h.http('GET', `/rosters?region=130100`, reviewer)).status).toBe(400);

    // two reviewers saving a new roster at once: both saved in turn, the later one stands whole
    const auditThen = await h.count('review_audit');
    const [one, two] = await Promise.all([
      h.http('PUT', `/rosters/${RR}/2032`, rosterReviewer, { units: ['甲', '乙'] }),
      h.http('PUT', `/rosters/${RR}/2032`, rosterReviewer, { units: ['丙', '丁', '戊'] }),
    ]);
    expect([one.status, two.status]).toEqual([200, 200]);
    const standing = (await h.http('GET', `/rosters/${RR}/2032`, reviewer)).body;
    expect([['甲', '乙'], ['丙', '丁', '戊']]).toContainEqual(standing.units.map((u: { unitName: string }) => u.unitName));
    expect(await h.count('review_audit')).toBe(auditThen + 2);
  });

  it('reviewers taking work from one queue each get another; a hold is shown, refused to others, given back, ended by a decision', async () => {
    const QR = '130127'; // a county of its own: the other tests' queues are not touched
    const a = h.token('reviewer', [QR]);
    const b = h.token('reviewer', ['130100']);
    for (const id of ['ev_q_1', 'ev_q_2', 'ev_q_3']) await submitAndScore(id, 'manual-review', QR);
    const next = async (token: string) => {
      const res = await h.http('POST', `/evaluations/next?region=${QR}`, token);
      expect(res.status).toBe(200);
      return res.body.taken as { evaluationId: string; heldBy: string; heldUntil: string } | null;
    };
    const revisionOf = async (id: string) => (await h.http('GET', `/evaluations/${id}`, auditor)).body.revision;
    const revisionBefore = await revisionOf('ev_q_1');
    const auditBefore = await h.count('review_audit');

    // at the same moment: each gets another, the oldest two
    const [ta, tb] = await Promise.all([next(a), next(b)]);
    expect([ta!.evaluationId, tb!.evaluationId].sort()).toEqual(['ev_q_1', 'ev_q_2']);
    expect(ta!.heldBy).toBe('reviewer-130127');
    expect(Date.parse(ta!.heldUntil) - Date.now()).toBeGreaterThan(29 * 60_000);
    const holdOf = async (id: string) => (await h.http('GET', `/evaluations/${id}`, auditor)).body.hold?.by ?? null;
    // shown in the list and on the evaluation; holding changed neither the case's revision nor the audit trail
    const listed = (await h.http('GET', `/evaluations?region=${QR}`, auditor)).body.items;
    expect(
      Object.fromEntries(
        listed.map((i: { evaluationId: string; hold: { by: string } | null }) => [i.evaluationId, i.hold?.by ?? null]),
      ),
    ).toEqual({ [ta!.evaluationId]: 'reviewer-130127', [tb!.evaluationId]: 'reviewer-130100', ev_q_3: null });
    expect(await revisionOf('ev_q_1')).toBe(revisionBefore);
    expect(await h.count('review_audit')).toBe(auditBefore);

    // moving on gives back what one held undecided: a's next is the one nobody holds, its first goes back
    expect((await next(a))!.evaluationId).toBe('ev_q_3');
    expect(await holdOf(ta!.evaluationId)).toBeNull();
    // so b, moving on, gets a's first (the oldest nobody holds, not the one b leaves)
    expect((await next(b))!.evaluationId).toBe(ta!.evaluationId);
    expect(await holdOf(tb!.evaluationId)).toBeNull();
    // however often one asks, one holds at most one case from the queue
    for (let i = 0; i < 3; i++) await next(a);
    const heldByA = (await h.http('GET', `/evaluations?region=${QR}`, auditor)).body.items.filter(
      (i: { hold: { by: string } | null }) => i.hold?.by === 'reviewer-130127',
    );
    expect(heldByA).toHaveLength(1);
    const mine = heldByA[0].evaluationId as string;
    // what one holds, to come back to it
    const heldBy = async (token: string) =>
      (await h.http('GET', `/evaluations?held=me&region=${QR}`, token)).body.items.map(
        (i: { evaluationId: string }) => i.evaluationId,
      );
    expect(await heldBy(a)).toEqual([mine]);
    expect(await heldBy(b)).toEqual([ta!.evaluationId]);
    expect((await h.http('GET', `/evaluations?held=others`, a)).status).toBe(400);

    // another's hold: claiming it is refused, naming who holds it until when; one's own is renewed
    const refused = await h.http('POST', `/evaluations/${mine}/hold`, b);
    expect(refused).toMatchObject({ status: 409, body: { heldBy: 'reviewer-130127' } });
    expect(refused.body.messageZh).toContain('reviewer-130127 正在审核此自评表');
    expect((await h.http('POST', `/evaluations/${mine}/hold`, a)).status).toBe(200);
    // given back: the queue gives it to the next who asks
    expect((await h.http('DELETE', `/evaluations/${mine}/hold`, a)).status).toBe(204);
    expect((await h.http('DELETE', `/evaluations/${mine}/hold`, a)).status).toBe(204); // held nothing: nothing happens
    expect(await holdOf(mine)).toBeNull();

    // a decision ends the hold (anyone's: a hold tells, it does not lock)
    const bHolds = ta!.evaluationId;
    expect(await holdOf(bHolds)).toBe('reviewer-130100');
    const approved = await h.http('POST', `/evaluations/${bHolds}/approve`, a, {});
    expect(approved.status).toBe(200);
    expect(await holdOf(bHolds)).toBeNull();
    expect((await h.http('POST', `/evaluations/${bHolds}/hold`, a)).status).toBe(409); // not in review

    // a hold that ran out is no hold
    expect((await h.http('POST', `/evaluations/${mine}/hold`, b)).status).toBe(200);
    await h.db.query(`UPDATE review_cases SET held_until = '2020-01-01T00:00:00.000Z' WHERE evaluation_id = '${mine}'`);
    expect(await holdOf(mine)).toBeNull();
    expect((await h.http('POST', `/evaluations/${mine}/hold`, a)).status).toBe(200);
    // only reviewers take work; outside one's regions is refused
    expect((await h.http('POST', `/evaluations/next`, auditor)).status).toBe(403);
    expect((await h.http('POST', `/evaluations/${mine}/hold`, h.token('reviewer', ['410105']))).status).toBe(403);
    expect((await h.http('POST', `/evaluations/ev_nope/hold`, a)).status).toBe(404);
  });

  it('concurrent approve and return: exactly one wins, the other gets 409, one decision is recorded', async () => {
    const ids = ['ev_race_0', 'ev_race_1', 'ev_race_2', 'ev_race_3'];
    for (const id of ids) await submitAndScore(id, 'manual-review');
    const other = h.token('reviewer', ['130000']);
    const auditBefore = await h.count('review_audit');
    const results = await Promise.all(
      ids.map((id) =>
        Promise.all([
          h.http('POST', `/evaluations/${id}/approve`, reviewer),
          h.http('POST', `/evaluations/${id}/return`, other, { reason: '同时退回' }),
        ]),
      ),
    );
    for (const [i, [approve, ret]] of results.entries()) {
      expect([approve.status, ret.status].sort()).toEqual([200, 409]);
      const winner = approve.status === 200 ? 'approved' : 'returned';
      expect(await h.stateOf(ids[i])).toBe(winner);
      const decisions = (await h.outbox(ids[i])).filter((e) => e.name !== 'review.evaluation.routed.v1');
      expect(decisions.map((e) => e.name)).toEqual([
        winner === 'approved' ? 'review.evaluation.approved.v1' : 'review.evaluation.returned.v1',
      ]);
    }
    expect(await h.count('review_audit')).toBe(auditBefore + ids.length);
  });

  it('a score that overtakes its submission opens a placeholder the submission completes', async () => {
    await h.send('scoring', [
      { name: 'scoring.evaluation.scored.v1', payload: scored('ev_early', { routing: 'manual-review' }) },
    ]);
    await h.waitForState('ev_early', 'in_review');
    const before = await h.http('GET', '/evaluations/ev_early', auditor);
    expect(before.body).toMatchObject({
      receivedAt: null,
      evaluation: null,
      unitName: UNIT,
      score: { resultId: 'res_ev_early_1' },
    });
    await h.send('intake', [{ name: 'intake.submission.received.v1', payload: received('ev_early') }]);
    await waitForReceived('ev_early');
    const after = await h.http('GET', '/evaluations/ev_early', auditor);
    expect(after.body).toMatchObject({
      state: 'in_review',
      receivedAt: '2024-03-01T08:00:00.000Z',
      evaluation: { unitName: UNIT },
      projectName: '项目 ev_early',
    });
    const history = await h.http('GET', '/evaluations/ev_early/history', auditor);
    expect(history.body.items.map((i: { action: string }) => i.action)).toEqual([
      'open-from-score',
      'score',
      'route-to-review',
      'receive',
    ]);
  });

  async function waitForReceived(id: string) {
    await expect
      .poll(async () => (await h.http('GET', `/evaluations/${id}`, auditor)).body.receivedAt, { timeout: 30_000 })
      .not.toBeNull();
  }

  it('a bulk re-score without breakdown keeps the old one (marked not current); repeated or older scores are ignored', async () => {
    await submitAndScore('ev_bulk', 'manual-review');
    const bulk = {
      ...scored('ev_bulk', {
        routing: 'manual-review',
        resultId: 'res_ev_bulk_2',
        total: 70,
        grade: '中',
        scoredAt: '2024-05-01T00:00:00.000Z',
        withResult: false,
      }),
      rescoringRunId: 'run_1',
    };
    await h.send('scoring', [{ name: 'scoring.evaluation.scored.v1', payload: bulk }]);
    await expect
      .poll(async () => (await h.http('GET', '/evaluations/ev_bulk', auditor)).body.score.resultId, { timeout: 30_000 })
      .toBe('res_ev_bulk_2');
    const detail = await h.http('GET', '/evaluations/ev_bulk', auditor);
    expect(detail.body).toMatchObject({
      state: 'in_review',
      grade: '中',
      score: { total: 70, breakdown: { resultId: 'res_ev_bulk_1', current: false } },
    });

    // The same result again (another event id), and an older one: noted in the history, nothing else changes.
    await h.send('scoring', [
      { name: 'scoring.evaluation.scored.v1', payload: bulk },
      {
        name: 'scoring.evaluation.scored.v1',
        payload: scored('ev_bulk', {
          routing: 'manual-review',
          resultId: 'res_ev_bulk_0',
          scoredAt: '2024-01-01T00:00:00.000Z',
        }),
      },
    ]);
    await h.drained();
    const history = await h.http('GET', '/evaluations/ev_bulk/history', auditor);
    // (On PostgreSQL the inbox runs jobs in parallel: the two notes may come in either order.)
    const notes = history.body.items
      .slice(-2)
      .map((i: { action: string; reason: string }) => `${i.action}: ${i.reason}`)
      .sort();
    expect(notes).toEqual([
      'score-ignored: 评分结果 res_ev_bulk_0（2024-01-01T00:00:00.000Z）早于已记录的 res_ev_bulk_2（2024-05-01T00:00:00.000Z），未采用',
      'score-ignored: 评分结果 res_ev_bulk_2 已记录（重复送达，未作处理）',
    ]);
    expect((await h.http('GET', '/evaluations/ev_bulk', auditor)).body.score.resultId).toBe('res_ev_bulk_2');

    expect((await h.http('POST', '/evaluations/ev_bulk/approve', reviewer)).status).toBe(200);
    const approved = (await h.outbox('ev_bulk')).at(-1)!;
    expect(approved.payload).toMatchObject({ score: { resultId: 'res_ev_bulk_2', total: 70, grade: '中' } });
    expect(approved.payload.result).toBeUndefined(); // never a breakdown of another score
  });

  it('404 for unknown ids on every endpoint', async () => {
    for (const [method, path, body] of [
      ['GET', '/evaluations/nope', undefined],
      ['GET', '/evaluations/nope/history', undefined],
      ['POST', '/evaluations/nope/approve', {}],
      ['POST', '/evaluations/nope/return', { reason: 'x' }],
    ] as const) {
      const res = await h.http(method, path, method === 'GET' ? auditor : reviewer, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.message).toBe('evaluation nope not found');
    }
  });

  it('listing: scoped to what the caller may read, filtered, paged newest first', async () => {
    await submitAndScore('ev_list_hn_1', 'auto-approve', '410105');
    await submitAndScore('ev_list_hn_2', 'manual-review', '410105');
    const henan = h.token('reviewer', ['410000']);
    const all = await h.http('GET', '/evaluations?pageSize=100', henan);
    expect(all.status).toBe(200);
    expect(all.body.items.map((i: { evaluationId: string }) => i.evaluationId)).toEqual([
      'ev_list_hn_2',
      'ev_list_hn_1',
    ]);
    expect(all.body).toMatchObject({ page: 1, pageSize: 100, total: 2 });
    const oldest = await h.http('GET', '/evaluations?pageSize=100&sort=oldest', henan);
    expect(oldest.body.items.map((i: { evaluationId: string }) => i.evaluationId)).toEqual([
      'ev_list_hn_1',
      'ev_list_hn_2',
    ]);
    const page2 = await h.http('GET', '/evaluations?page=2&pageSize=1', henan);
    expect(page2.body).toMatchObject({
      page: 2,
      pageSize: 1,
      total: 2,
      items: [{ evaluationId: 'ev_list_hn_1', state: 'approved', grade: '优' }],
    });
    const inReview = await h.http('GET', '/evaluations?state=in_review&year=2023&grade=%E4%BC%98', henan);
    expect(inReview.body.items.map((i: { evaluationId: string }) => i.evaluationId)).toEqual(['ev_list_hn_2']);
    expect((await h.http('GET', '/evaluations?year=2022', henan)).body.total).toBe(0);
    // searching names: the project's or the unit's, every word; % and _ are taken as they are
    const named = async (q: string) =>
      (await h.http('GET', `/evaluations?q=${encodeURIComponent(q)}`, henan)).body.items.map(
        (i: { evaluationId: string }) => i.evaluationId,
      );
    expect(await named('hn_2')).toEqual(['ev_list_hn_2']);
    expect(await named('农业农村局 hn_1')).toEqual(['ev_list_hn_1']); // the unit's name and the project's
    expect(await named('项目 财政局')).toEqual([]); // every word must be found
    expect(await named(`项目  list`)).toEqual(['ev_list_hn_2', 'ev_list_hn_1']);
    expect(await named('%')).toEqual([]);
    expect(await named('list_hn')).toEqual(['ev_list_hn_2', 'ev_list_hn_1']);
    expect(await named('list%hn')).toEqual([]);
    expect((await h.http('GET', `/evaluations?q=${'x'.repeat(201)}`, henan)).status).toBe(400);

    const auditorAll = await h.http('GET', '/evaluations?pageSize=100', auditor);
    const ids = auditorAll.body.items.map((i: { evaluationId: string }) => i.evaluationId);
    expect(ids).toEqual(expect.arrayContaining(['ev_list_hn_1', 'ev_auto', 'ev_manual']));
    const hebeiOnly = await h.http('GET', '/evaluations?pageSize=100&region=130000', auditor);
    expect(hebeiOnly.body.items.every((i: { region: string }) => i.region.startsWith('13'))).toBe(true);
    expect(hebeiOnly.body.total).toBe(auditorAll.body.total - 2);
    const otherUnit = await h.http('GET', '/evaluations', h.token('submitter', [REGION], '别的单位'));
    expect(otherUnit.body.total).toBe(0);
    const ownUnit = await h.http('GET', '/evaluations?pageSize=100', h.token('submitter', [REGION], UNIT));
    // its unit's forms (and those that name none) in its region: every other test's Hebei forms but the roster's
    const own = hebeiOnly.body.items.filter(
      (i: { region: string; unitName: string | null }) => i.region === REGION && (i.unitName ?? UNIT) === UNIT,
    );
    expect(own.length).toBeGreaterThan(10);
    expect(ownUnit.body.total).toBe(own.length);

    for (const q of ['state=done', 'year=abc', 'page=0', 'pageSize=1000', 'region=Hebei', 'sort=random']) {
      const bad = await h.http('GET', `/evaluations?${q}`, auditor);
      expect(bad.status, q).toBe(400);
      expect(bad.body.message).toContain(`query.${q.split('=')[0]}`);
    }
    expect((await h.http('GET', '/evaluations')).status).toBe(401);
  });

  it('progress: the current versions by state and by grade, scoped as the list; a corrected version replaces its predecessor', async () => {
    const WUHAN = '420102';
    await submitAndScore('ev_prog_ok', 'auto-approve', WUHAN);
    await submitAndScore('ev_prog_back', 'manual-review', WUHAN);
    const hubei = h.token('reviewer', ['420000']);
    const returned = await h.http('POST', '/evaluations/ev_prog_back/return', hubei, { reason: '请补充' });
    expect(returned.status).toBe(200);
    const progress = (q = '') => h.http('GET', `/evaluations/progress${q}`, hubei);
    expect((await progress()).body).toMatchObject({
      region: null,
      fiscalYear: null,
      total: 2,
      byState: { approved: 1, returned: 1, in_review: 0, published: 0 },
      byGrade: [{ grade: '优', count: 2 }],
    });
    // the unit corrects it: the returned version is no longer counted, its correction is
    await h.send('intake', [
      {
        name: 'intake.submission.received.v1',
        payload: received('ev_prog_back_v2', {
          region: WUHAN,
          version: 2,
          previousVersionId: 'ev_prog_back',
          submissionId: 'sub_ev_prog_back',
        }),
      },
    ]);
    await h.waitForState('ev_prog_back_v2', 'submitted');
    const now = (await progress('?region=420000&year=2023')).body;
    expect(now).toMatchObject({ region: '420000', fiscalYear: 2023, total: 2, byState: { approved: 1, returned: 0, submitted: 1 } });
    expect(now.byGrade).toEqual([
      { grade: '优', count: 1 },
      { grade: null, count: 1 }, // not scored yet: last
    ]);
    expect(Object.keys(now.byState)).toEqual(['submitted', 'scored', 'in_review', 'approved', 'returned', 'published', 'retracted']);
    // the list agrees when asked for current versions; by default it lists every version
    const ids = async (q: string) =>
      (await h.http('GET', `/evaluations?pageSize=100&region=420000${q}`, hubei)).body.items.map((i: { evaluationId: string }) => i.evaluationId).sort();
    expect(await ids('&current=true')).toEqual(['ev_prog_back_v2', 'ev_prog_ok']);
    expect(await ids('')).toEqual(['ev_prog_back', 'ev_prog_back_v2', 'ev_prog_ok']);
    expect(await ids('&current=false')).toEqual(['ev_prog_back', 'ev_prog_back_v2', 'ev_prog_ok']);
    // scoped: another province's reviewer counts none of them; a unit only its own
    expect((await h.http('GET', '/evaluations/progress?region=420000', reviewer)).body.total).toBe(0);
    expect((await h.http('GET', '/evaluations/progress', h.token('submitter', [WUHAN], '别的单位'))).body.total).toBe(0);
    expect((await h.http('GET', '/evaluations/progress', h.token('submitter', [WUHAN], UNIT))).body.total).toBe(2);
    expect((await progress('?year=2022')).body.total).toBe(0);
    const bad = await progress('?year=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('query.year');
    expect((await h.http('GET', '/evaluations?current=maybe', hubei)).status).toBe(400);
    expect((await h.http('GET', '/evaluations/progress')).status).toBe(401);
    // by region: each county's own figures; the averages are of those scored (the correction is not yet)
    await submitAndScore('ev_prog_other', 'auto-approve', '420103', 80);
    const byRegion = (await progress('?region=420000&year=2023&by=region')).body;
    expect(byRegion).toMatchObject({ total: 3, averageTotal: 86.25, averageExecutionRate: 0.98 });
    expect(byRegion.regions.map((r: { region: string; total: number; averageTotal: number }) => [r.region, r.total, r.averageTotal])).toEqual([
      ['420102', 2, 92.5],
      ['420103', 1, 80],
    ]);
    expect(byRegion.regions[0].byState).toMatchObject({ approved: 1, submitted: 1 });
    expect((await progress('?region=420000')).body).not.toHaveProperty('regions');
    expect((await progress('?by=unit')).status).toBe(400);
    // the kinds of finding: counted when asked for, and the list filtered by one (the returned version had it too)
    await submitAndScore('ev_prog_flag', 'manual-review', '420103');
    const found = (await progress('?region=420000&year=2023&findings=true&by=region')).body;
    expect(found.byFinding).toEqual([{ code: 'EXECUTION_RATE_MISMATCH', count: 1 }]);
    expect(found.regions.find((r: { region: string }) => r.region === '420103').byFinding).toEqual([{ code: 'EXECUTION_RATE_MISMATCH', count: 1 }]);
    expect((await progress('?region=420000')).body).not.toHaveProperty('byFinding');
    expect(await ids('&finding=EXECUTION_RATE_MISMATCH&current=true')).toEqual(['ev_prog_flag']);
    expect(await ids('&finding=EXECUTION_RATE_MISMATCH')).toEqual(['ev_prog_back', 'ev_prog_flag']);
    expect(await ids('&finding=SUM_MISMATCH')).toEqual([]);
    expect((await h.http('GET', '/evaluations?finding=NO_SUCH_CODE', hubei)).status).toBe(400);
  });

  it('authorization matrix for the review endpoints: each role inside and outside the region', async () => {
    await submitAndScore('ev_authz', 'manual-review');
    const inside = {
      submitter: h.token('submitter', [REGION], UNIT),
      reviewer: h.token('reviewer', ['130000']),
      rule_admin: h.token('rule_admin', ['130100']),
      auditor: h.token('auditor', [REGION]),
    };
    const outside = {
      submitter: h.token('submitter', ['410105']),
      reviewer: h.token('reviewer', ['410000']),
      rule_admin: h.token('rule_admin', ['130200']),
      auditor: h.token('auditor', ['410105']), // auditors read everything, whatever their regions
    };
    const expected = {
      read: { submitter: [200, 403], reviewer: [200, 403], rule_admin: [200, 403], auditor: [200, 200] },
      decide: { submitter: [403, 403], reviewer: [200, 403], rule_admin: [403, 403], auditor: [403, 403] },
    } as const;
    for (const role of ['submitter', 'rule_admin', 'auditor'] as const) {
      for (const [where, token] of [
        ['inside', inside[role]],
        ['outside', outside[role]],
      ] as const) {
        const i = where === 'inside' ? 0 : 1;
        for (const path of ['/evaluations/ev_authz', '/evaluations/ev_authz/history']) {
          expect((await h.http('GET', path, token)).status, `${role} ${where} GET ${path}`).toBe(
            expected.read[role][i],
          );
        }
        expect((await h.http('POST', '/evaluations/ev_authz/approve', token)).status, `${role} ${where} approve`).toBe(
          expected.decide[role][i],
        );
        expect(
          (await h.http('POST', '/evaluations/ev_authz/return', token, { reason: 'x' })).status,
          `${role} ${where} return`,
        ).toBe(expected.decide[role][i]);
      }
    }
    expect((await h.http('GET', '/evaluations/ev_authz', h.token('submitter', [REGION], '别的单位'))).status).toBe(403);
    expect((await h.http('POST', '/evaluations/ev_authz/approve', outside.reviewer)).status).toBe(403);
    expect((await h.http('POST', '/evaluations/ev_authz/return', outside.reviewer, { reason: 'x' })).status).toBe(403);
    expect((await h.http('GET', '/evaluations/ev_authz', outside.reviewer)).status).toBe(403);
    expect((await h.http('GET', '/evaluations/ev_authz/history', inside.reviewer)).status).toBe(200);
    expect((await h.http('POST', '/evaluations/ev_authz/approve')).status).toBe(401);
    expect(await h.stateOf('ev_authz')).toBe('in_review'); // every refusal changed nothing
    expect((await h.http('POST', '/evaluations/ev_authz/return', inside.reviewer, { reason: '补充材料' })).status).toBe(
      200,
    );
    expect(await h.stateOf('ev_authz')).toBe('returned');
  });

  it('every event delivered again changes nothing: same rows, same audit records, same outbox', async () => {
    await h.drained();
    const tables = [
      'review_cases',
      'review_details',
      'review_history',
      'review_audit',
      'review_outbox',
      'review_inbox',
    ];
    const snapshot = async () => ({
      counts: Object.fromEntries(await Promise.all(tables.map(async (t) => [t, await h.count(t)] as const))),
      cases: await h.db.query(
        'SELECT evaluation_id, state, revision, result_id, updated_at FROM review_cases ORDER BY evaluation_id',
      ),
    });
    const before = await snapshot();
    const inbox = h.queue(QUEUES.reviewInbox);
    const { hostname, port } = new URL(TEST_REDIS_URL);
    const events = new QueueEvents(QUEUES.reviewInbox, {
      connection: { host: hostname, port: Number(port || 6379) },
      prefix: h.prefix,
    });
    await events.waitUntilReady();
    try {
      const completed = await inbox.getJobs(['completed']);
      expect(jobEvents(completed)).toHaveLength(before.counts.review_inbox);
      const again = [];
      for (const job of completed) {
        await job.remove();
        again.push(await inbox.add(job.name, job.data, { jobId: job.id })); // the same job id …
        again.push(await inbox.add(job.name, job.data, { jobId: `${job.id}-again` })); // … and a copy under another
      }
      // one at a time (each wait listens on the queue; a finished job answers at once): no listener pile-up
      const results = [];
      for (const j of again) results.push(await j.waitUntilFinished(events));
      expect(results.every((r: { duplicate: boolean }) => r.duplicate)).toBe(true);
    } finally {
      await events.close();
    }
    expect(await snapshot()).toEqual(before);
    expect((await h.http('GET', '/audit/verify', auditor)).body).toMatchObject({
      ok: true,
      chains: { review: { ok: true, records: before.counts.review_audit } },
    });
  });

  it('OpenAPI documents the review endpoints, their bodies and bearer auth', async () => {
    const doc = (await h.http('GET', '/docs/openapi.json')).body;
    for (const path of [
      '/evaluations',
      '/evaluations/{id}',
      '/evaluations/{id}/history',
      '/evaluations/{id}/approve',
      '/evaluations/{id}/return',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(doc.paths['/evaluations/{id}/return'].post.security).toEqual([{ bearer: [] }]);
    // a reason, or the findings the unit must correct (then the reason may be left out)
    const returnBody = doc.components.schemas.ReturnEvaluationBody;
    expect(returnBody.required ?? []).toEqual([]);
    expect(Object.keys(returnBody.properties).sort()).toEqual(['findings', 'reason', 'revision']);
    expect(returnBody.properties.findings).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(Object.keys(doc.paths['/evaluations/{id}/approve'].post.responses).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
      '409',
    ]);
  });

  it('restarts on the same database: migrations not re-run, cases kept, the inbox consumes again', async () => {
    const migrations = await h.count('review_migrations');
    const cases = await h.count('review_cases');
    await h.restart();
    expect(await h.count('review_migrations')).toBe(migrations);
    expect(await h.count('review_cases')).toBe(cases);
    expect((await h.http('GET', '/evaluations/ev_manual', auditor)).body.state).toBe('approved');
    await submitAndScore('ev_after_restart', 'manual-review');
    expect((await h.http('GET', '/audit/verify', auditor)).body.ok).toBe(true);
  });

  it('/health reports the database, the outbox, Redis and the inbox queue', async () => {
    const res = await h.http('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', error: {} });
    expect(res.body.info.review).toMatchObject({
      status: 'up',
      database: { status: 'up', dialect },
      outbox: { unsent: expect.any(Number) },
      redis: { status: 'up' },
      queues: { 'review-inbox': { waiting: expect.any(Number), active: expect.any(Number), failed: expect.any(Number) } },
    });
  });
});
