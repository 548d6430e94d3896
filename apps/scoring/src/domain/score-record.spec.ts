import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvent, SubmissionReceivedV1 } from '@jixiao/contracts';
import { parseDocument } from '@jixiao/forms';
import { loadRuleSets, score } from '@jixiao/scoring';
import { RESULT_COLUMNS, resultKey, scoredAuditEntry, scoreRecord } from './score-record';
import { ruleSetVersionId, ruleSetVersionRow, RULE_SET_VERSION_COLUMNS } from './rule-set-record';

const registry = loadRuleSets(resolve(__dirname, '../../../../rules'));
const [form] = parseDocument(
  { content: readFileSync(join(__dirname, '../../../../test/fixtures/seeds/000_b0ba8ebbf4c4018d.txt')), fileName: 'seed.txt' },
  { regionLookup: (t) => registry.findRegionInText(t) },
).evaluations;
const ruleSet = registry.resolve('341522', 2022);
const result = score(form, ruleSet);
const received = {
  ...SubmissionReceivedV1.example,
  evaluationId: 'ev_9',
  submissionId: 'sub_9',
  version: 2,
  fiscalYear: 2022,
};
const opts = { resultId: 'res_1', scoredAt: '2024-03-01T08:00:01.000Z', rescoringRunId: null, includeResult: true };

describe('scoreRecord', () => {
  it('builds a valid scored event carrying the full result', () => {
    const { event } = scoreRecord(received, result, opts);
    expect(() => parseEvent('scoring.evaluation.scored.v1', event)).not.toThrow();
    expect(event).toMatchObject({
      evaluationId: 'ev_9',
      submissionVersion: 2,
      total: 95.16,
      grade: '优',
      ruleSet: { id: '341522', hash: ruleSet.hash },
    });
    expect(event.result?.computed.total).toBe(95.16);
    expect(scoreRecord(received, result, { ...opts, includeResult: false }).event).not.toHaveProperty('result');
  });

  it('counts findings by severity and lists each code once', () => {
    const twice = { ...result, findings: [...result.findings, ...result.findings] };
    const { event } = scoreRecord(received, twice, opts);
    expect(event.findingCodes).toEqual(['NON_NUMERIC_ACTUAL']);
    expect(event.findingCounts.warning + event.findingCounts.info + event.findingCounts.error).toBe(
      2 * result.findings.length,
    );
  });

  it('writes one row value per column and keys the result by evaluation and rule-set hash', () => {
    const rec = scoreRecord(received, result, { ...opts, rescoringRunId: 'run_1' });
    expect(rec.row).toHaveLength(RESULT_COLUMNS.length);
    expect(rec.key).toBe(resultKey('ev_9', ruleSet.hash));
    expect(scoredAuditEntry(rec)).toMatchObject({
      action: 'scored',
      fromState: 'submitted',
      toState: 'scored',
      reason: expect.stringContaining('run_1'),
      entityId: 'ev_9',
      payload: { resultId: rec.event.resultId, total: result.computed.total, routing: result.routing.decision },
      at: opts.scoredAt,
    });
  });
});

describe('rule-set version rows', () => {
  it('have a deterministic id and leave out how a lookup found the set', () => {
    expect(ruleSetVersionId(ruleSet)).toBe(`341522@v1-${ruleSet.hash.slice(7, 19)}`);
    const row = ruleSetVersionRow(ruleSet, 'active', '2024-01-01T00:00:00.000Z');
    expect(row).toHaveLength(RULE_SET_VERSION_COLUMNS.length);
    expect(JSON.parse(row[7] as string)).not.toHaveProperty('resolvedFor');
  });
});
