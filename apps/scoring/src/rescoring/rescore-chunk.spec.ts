import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvent } from '@jixiao/contracts';
import { chainPrepared, computeRecordHash, hashJson } from '@jixiao/persistence';
import { listRuleFiles, loadRuleSets, loadRuleSetsFromSources, score } from '@jixiao/scoring';
import { changedCn } from '../../../../bench/support/rescore-run';
import { syntheticEvaluation } from '../../../../bench/support/rescore-data';
import { scoreRecord, SCORING_ACTOR } from '../domain/score-record';
import { encodeStoredEvaluation } from '../persistence/stored-evaluation';
import { rescoreAuditEntries, rescoreChunk, rescoredPayload, type StoredEvaluation } from './rescore-chunk';

const RULES = resolve(__dirname, '../../../../rules');
const before = loadRuleSets(RULES);
/** CN's 优 from 92 points and a wider execution-rate tolerance: every region inherits it. */
const after = loadRuleSetsFromSources(
  listRuleFiles(RULES).map((file) => ({
    file,
    text: file.endsWith('/CN.json') ? JSON.stringify(changedCn(RULES)) : readFileSync(file, 'utf8'),
  })),
);
const SCORED_AT = '2026-01-01T00:00:00.000Z';
const ctx = {
  runId: 'run_t',
  generation: 2,
  activated: { ruleSetId: 'CN', version: 2, by: '张三', reason: '优 from 92 (财预〔2026〕1号)' },
  scoredAt: '2026-02-01T00:00:00.000Z',
};

/** Synthetic evaluations stored as scoring keeps them, each with the result it got under the rules before. */
const rows: StoredEvaluation[] = Array.from({ length: 300 }, (_, i) => {
  const s = syntheticEvaluation(before, 7, i, 'c');
  const received = { ...s, version: s.version };
  const current = scoreRecord(received, score(s.evaluation, before.resolve(s.region, s.fiscalYear)), {
    scoredAt: SCORED_AT,
    rescoringRunId: null,
    generation: 1,
  }).current;
  return {
    evaluationId: s.evaluationId,
    submissionId: s.submissionId,
    submissionVersion: s.version,
    region: s.region,
    fiscalYear: s.fiscalYear,
    formType: s.formType,
    evaluation: encodeStoredEvaluation(s.evaluation),
    current,
  };
});

describe('rescoreChunk', () => {
  const out = rescoreChunk(rows, after, ctx);
  const payload = parseEvent(
    'scoring.evaluations.rescored.v1',
    JSON.parse(rescoredPayload({ runId: ctx.runId, chunk: 0, activated: { ruleSetId: 'CN', version: 2 }, scoredAt: ctx.scoredAt }, out.items).toString('utf8')),
  );

  it('re-scores every evaluation whose rules changed, with one event item per result, in order', () => {
    expect(out.records).toHaveLength(rows.length);
    expect(out.unaffected).toBe(0);
    expect(payload.items.map((i) => i.evaluationId)).toEqual(rows.map((r) => r.evaluationId));
    expect(payload.items.map((i) => i.previous?.resultId)).toEqual(rows.map((r) => r.current!.resultId));
    const outcomeChanged = payload.items.filter(
      (i) => i.total !== i.previous?.total || i.grade !== i.previous?.grade || i.routing.decision !== i.previous?.routing,
    );
    expect(out.changed).toBe(outcomeChanged.length);
    expect(out.changed).toBeGreaterThan(0);
    // figures only, changed or not: review recomputes the breakdowns it shows and passes on
    expect(payload.items.filter((i) => i.result !== undefined)).toEqual([]);
  });

  it('gives each an audit entry made at write time that says why, what changed and under which rules', () => {
    const entries = rescoreAuditEntries(out, ctx);
    expect(entries).toHaveLength(rows.length);
    entries.forEach((entry, i) => {
      const prev = rows[i].current!;
      const next = out.records[i].current;
      const { fields } = entry;
      expect(fields).toMatchObject({
        at: ctx.scoredAt,
        actorUser: SCORING_ACTOR.user,
        actorRole: SCORING_ACTOR.role,
        entityType: 'evaluation',
        entityId: rows[i].evaluationId,
        action: 're-scored',
        fromState: 'scored',
        toState: 'scored',
        dedupeKey: null,
      });
      expect(fields.reason).toContain('规则集 CN v2 启用后重新评分 (re-scoring run run_t, activated by 张三: 优 from 92 (财预〔2026〕1号))');
      expect(fields.reason).toContain(`总分 ${prev.total} → ${next.total}, 等级 ${prev.grade} → ${next.grade}`);
      expect(fields.reason).toContain(`rules ${next.ruleSetId} v${next.ruleSetVersion} ${next.hash}`);
      expect(fields.reason!.includes('审核路由')).toBe(prev.routing !== next.routing);
      expect(fields.payloadHash).toBe(
        hashJson({
          resultId: next.resultId,
          ruleSet: { id: next.ruleSetId, version: next.ruleSetVersion, hash: next.hash },
          total: next.total,
          grade: next.grade,
          routing: next.routing,
          previousResultId: prev.resultId,
          runId: ctx.runId,
        }),
      );
    });
    // chained, each record's hash is the hash of its whole content
    for (const { hash, ...record } of chainPrepared({ seq: 0, hash: 'genesis' }, entries)) expect(hash).toBe(computeRecordHash(record));
  });
});
