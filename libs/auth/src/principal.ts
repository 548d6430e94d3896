import { z } from 'zod';

export const ROLES = ['submitter', 'reviewer', 'rule_admin', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: carried in the JWT (`sub`, `role`, `regions`, optional `unit` for submitters). */
export const PrincipalSchema = z.object({
  sub: z.string().min(1),
  role: z.enum(ROLES),
  regions: z.array(z.string().regex(/^(CN|\d{6})$/)).min(1),
  unit: z.string().min(1).optional(),
});
export type Principal = z.infer<typeof PrincipalSchema>;
