import { z } from 'zod';

/** Payloads carry timestamps as ISO-8601 strings in UTC (`2026-03-01T08:00:00.000Z`). */
export const IsoTimestampSchema = z.iso.datetime({ offset: true });

export const RegionCodeSchema = z
  .string()
  .regex(/^(CN|\d{6})$/, 'region must be a 6-digit administrative division code or CN');

/** Who caused a change. `system` is the pipeline itself (auto-approval, bulk re-scoring). */
export const ActorSchema = z.object({
  user: z.string().min(1),
  role: z.enum(['submitter', 'reviewer', 'rule_admin', 'auditor', 'system']),
});
export type Actor = z.infer<typeof ActorSchema>;

export const FormTypeSchema = z.enum(['project', 'department']);
