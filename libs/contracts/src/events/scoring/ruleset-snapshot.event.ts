import { z } from 'zod';
import { RuleSetRefSchema } from '../../evaluation/score-result.schema';
import { IsoTimestampSchema } from '../common.schema';
import { defineEvent } from '../define-event';

/**
 * The effective rules (after inheritance) that scores cite by `ruleSet` {id, version, hash}: sent once per process
 * and combination, before the first score under them, so that a consumer can recompute any such score's full
 * breakdown with explanations from the evaluation (scoring is deterministic given both) instead of receiving it
 * with every score. `content` is the snapshot as `ruleSetSnapshot` writes it; `ruleSetFromSnapshot` reads it back
 * and checks it hashes to `ruleSet.hash`.
 */
export const RuleSetSnapshotV1Schema = z.object({
  ruleSet: RuleSetRefSchema,
  content: z.string().min(2),
  recordedAt: IsoTimestampSchema,
});

export const RuleSetSnapshotV1 = defineEvent('scoring.ruleset.snapshot.v1', RuleSetSnapshotV1Schema, {
  ruleSet: { id: 'CN', version: 1, hash: `sha256:${'a'.repeat(64)}` },
  content: '{"id":"CN","version":1,"hash":"sha256:…","grades":[…]}',
  recordedAt: '2024-03-01T08:00:00.000Z',
});
