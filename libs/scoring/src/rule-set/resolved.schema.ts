import { z } from 'zod';
import {
  CheckRuleSchema,
  FormRulesSchema,
  GradeRuleSchema,
  NotApplicableSchema,
  QualitativeSchema,
  QuantitativeSchema,
  RoundingSchema,
  RoutingRuleSchema,
} from './rule-set.schema';

/** The inherited body once merged: every parameter present (what `ResolvedRuleSet` holds beside its identity). */
export const ResolvedBodySchema = z.strictObject({
  forms: z.strictObject({ project: FormRulesSchema, department: FormRulesSchema }),
  quantitative: QuantitativeSchema,
  qualitative: QualitativeSchema,
  notApplicable: NotApplicableSchema,
  rounding: RoundingSchema,
  cap: z.strictObject({ indicator: z.boolean() }),
  tolerance: z.number().min(0),
  grades: z.array(GradeRuleSchema).min(1),
  checks: z.array(CheckRuleSchema),
  routing: z.array(RoutingRuleSchema),
});
export type ResolvedBody = z.infer<typeof ResolvedBodySchema>;
