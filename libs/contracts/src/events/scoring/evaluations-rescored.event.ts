import { z } from 'zod';
import { IsoTimestampSchema } from '../common.schema';
import { defineEvent } from '../define-event';
import { EvaluationScoredV1, EvaluationScoredV1Schema } from './evaluation-scored.event';

/** What an evaluation's current result was before a re-scoring replaced it. */
export const PreviousOutcomeSchema = z.object({
  resultId: z.string().min(1),
  ruleSet: z.object({ id: z.string(), version: z.number().int(), hash: z.string() }),
  total: z.number().nullable(),
  grade: z.string().nullable(),
  routing: z.enum(['auto-approve', 'manual-review']),
});

/**
 * One chunk of a bulk re-scoring run: every evaluation of the chunk whose effective rules changed, with its new
 * result (as `scoring.evaluation.scored.v1` carries it, `rescoringRunId` set) and the result it replaces. One event per
 * chunk, so a run of a million evaluations is a few hundred events, and consumers apply each with set-based SQL.
 * Items carry figures, never `result`: review recomputes a breakdown where one is shown or published (the rules
 * arrive first, as `scoring.ruleset.snapshot.v1`), and passes the approved or published evaluations a chunk changed
 * on to publication as `review.evaluations.reopened.v1`.
 */
export const EvaluationsRescoredV1Schema = z.object({
  runId: z.string().min(1),
  chunk: z.number().int().min(0),
  /** The rule-set version whose activation started the run. */
  activated: z.object({ ruleSetId: z.string(), version: z.number().int().min(1) }),
  scoredAt: IsoTimestampSchema,
  items: z.array(EvaluationScoredV1Schema.extend({ previous: PreviousOutcomeSchema.nullable() })).min(1),
});

export const EvaluationsRescoredV1 = defineEvent('scoring.evaluations.rescored.v1', EvaluationsRescoredV1Schema, {
  runId: 'run_01',
  chunk: 0,
  activated: { ruleSetId: '130126', version: 2 },
  scoredAt: '2024-04-01T00:00:05.000Z',
  items: [
    {
      ...EvaluationScoredV1.example,
      region: '130126',
      ruleSet: { id: '130126', version: 2, hash: `sha256:${'b'.repeat(64)}` },
      total: 87,
      grade: '良好',
      scoredAt: '2024-04-01T00:00:05.000Z',
      rescoringRunId: 'run_01',
      previous: {
        resultId: 'res_00',
        ruleSet: { id: '130126', version: 1, hash: `sha256:${'a'.repeat(64)}` },
        total: 87,
        grade: '优秀',
        routing: 'auto-approve',
      },
    },
  ],
});
