import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEvent, SubmissionReceivedV1 } from '@jixiao/contracts';
import { parseDocument } from '@jixiao/forms';
import { loadRuleSets, score } from '@jixiao/scoring';
import { RESULT_COLUMNS, resultId, resultKey, scoredAuditEntry, scoreRecord } from './score-record';
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
const opts = { resultId: 'res_1', scoredAt: '2024-03-01T08:00:01.000Z', rescoringRunId: null };

describe('resultId', () => {
  const rulesA = 'sha256:' + 'a'.repeat(64);
  const rulesB = 'sha256:' + 'b'.repeat(64);
  const intakeIds = ['ev_472b92242e2b4084ac2c26b3dede1fb3', 'ev_0f00000000000000000000000000000a', 'ev_ffffffffffffffffffffffffffffffff'];

  it('is the same for the same evaluation and rules, and differs when either differs', () => {
    expect(resultId(intakeIds[0], rulesA)).toBe(resultId(intakeIds[0], rulesA));
    expect(resultId(intakeIds[0], rulesA)).not.toBe(resultId(intakeIds[0], rulesB));
    expect(resultId(intakeIds[0], rulesA)).not.toBe(resultId(intakeIds[1], rulesA));
  });

  it('leads with the evaluation id, so results of the same rules sort as their evaluations do', () => {
    const id = resultId(intakeIds[0], rulesA);
    expect(id).toMatch(/^res_ev_472b92242e2b4084ac2c26b3dede1fb3_[0-9a-f]{16}$/);
    expect(id.length).toBeLessThanOrEqual(64);
    const sorted = [...intakeIds].sort();
    expect(sorted.map((e) => resultId(e, rulesA))).toEqual(sorted.map((e) => resultId(e, rulesA)).sort());
  });

  it('falls back to a hash for an evaluation id too long for the column or with characters a URL would escape', () => {
    for (const e of ['ev_' + 'x'.repeat(50), 'ev 1', 'ev/1', '评估1']) {
      const id = resultId(e, rulesA);
      expect(id).toMatch(/^res_[0-9a-f]{32}$/);
      expect(resultId(e, rulesB)).not.toBe(id);
    }
    // the longest evaluation id kept whole still fits varchar(64)
    expect(resultId('e'.repeat(43), rulesA)).toHaveLength(64);
    expect(resultId('e'.repeat(44), rulesA)).toMatch(/^res_[0-9a-f]{32}$/);
  });

  it('never gives one id to two evaluations, whichever form each gets', () => {
    // a 15-character evaluation id makes an ordered id as long as a hash id; its last `_` sits where the hash has a digit
    const ids = ['e'.repeat(15), 'f'.repeat(15), 'ev_' + 'x'.repeat(60), 'ev/1', 'ev_1', 'ev_1_' + 'a'.repeat(16)].flatMap((e) => [
      resultId(e, rulesA),
      resultId(e, rulesB),
    ]);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('scoreRecord', () => {
  it('builds a valid scored event carrying the figures (its consumers recompute the breakdown)', () => {
    const { event } = scoreRecord(received, result, opts);
    expect(() => parseEvent('scoring.evaluation.scored.v1', event)).not.toThrow();
    expect(event).toMatchObject({
      evaluationId: 'ev_9',
      submissionVersion: 2,
      total: 95.16,
      grade: '优',
      ruleSet: { id: '341522', hash: ruleSet.hash },
    });
    expect(event).not.toHaveProperty('result');
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
