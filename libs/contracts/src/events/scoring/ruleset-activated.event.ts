import { z } from 'zod';
import { ActorSchema, IsoTimestampSchema, RegionCodeSchema } from '../common.schema';
import { defineEvent } from '../define-event';

/**
 * A rule-set version became active for some fiscal years (null ends: open). The evaluations it governs (its region,
 * every sub-region that inherits from it, those years) are re-scored by the bulk re-scoring run `runId`.
 */
export const RuleSetActivatedV1Schema = z.object({
  ruleSetId: z.string().min(1),
  region: RegionCodeSchema,
  version: z.number().int().min(1),
  hash: z.string().regex(/^sha256:[0-9a-f]{64}$/),
  years: z.object({ from: z.number().int().nullable(), to: z.number().int().nullable() }),
  /** The version it replaced for those years, if any. */
  previousVersion: z.number().int().min(1).nullable(),
  runId: z.string().min(1),
  actor: ActorSchema,
  reason: z.string().nullable(),
  activatedAt: IsoTimestampSchema,
});

export const RuleSetActivatedV1 = defineEvent('scoring.ruleset.activated.v1', RuleSetActivatedV1Schema, {
  ruleSetId: '130126',
  region: '130126',
  version: 2,
  hash: `sha256:${'b'.repeat(64)}`,
  years: { from: 2023, to: null },
  previousVersion: 1,
  runId: 'run_01',
  actor: { user: 'admin-lingshou', role: 'rule_admin' },
  reason: '优秀 cutoff raised from 85 to 90',
  activatedAt: '2024-04-01T00:00:00.000Z',
});
