import { ApiPropertyOptional } from '@nestjs/swagger';
import { z } from 'zod';
import { FindingCodeSchema } from '@jixiao/contracts';
import { parseRequest as parse } from '@jixiao/runtime';
import { REVIEW_STATES } from '../domain/review-state';
import type { EvaluationFilters, ProgressFilters } from '../queries/evaluation.queries';

const ListQuerySchema = z.object({
  region: z
    .string()
    .regex(/^(CN|\d{6})$/, 'expected a 6-digit division code or CN')
    .optional(),
  year: z.coerce.number().int().min(1990).max(2100).optional(),
  state: z.enum(REVIEW_STATES).optional(),
  grade: z.string().min(1).max(20).optional(),
  q: z.string().trim().min(1).max(200).optional(),
  sort: z.enum(['newest', 'oldest']).optional(),
  /** `me`: only those the caller holds (taken from the queue or claimed, the hold in force). */
  held: z.enum(['me']).optional(),
  finding: FindingCodeSchema.optional(),
  current: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** The case's revision the reviewer decided on (GET /evaluations/:id gives it): 409 when it has moved on since. */
const Revision = z.number().int().min(1).optional().nullable();
const ApproveBodySchema = z
  .object({ comment: z.string().trim().max(2000).optional().nullable(), revision: Revision })
  .nullish();
const FINDING_KEY = /^[A-Z][A-Z0-9_]*(#\d+|\|.+)?$/s;
const ReturnBodySchema = z
  .object(
    {
      reason: z.string({ error: 'reason must be a string' }).trim().max(2000).optional(),
      findings: z
        .array(
          z
            .string()
            .max(500)
            .regex(
              FINDING_KEY,
              'expected a finding key (the `key` GET /evaluations/:id gives a finding: CODE or CODE|subject)',
            ),
        )
        .max(200)
        .optional(),
      revision: Revision,
    },
    { error: 'expected a JSON body { "reason": "…" }' },
  )
  .refine((b) => Boolean(b.reason) || (b.findings?.length ?? 0) > 0, {
    path: ['reason'],
    message: 'reason is required (it may be left out when findings are named)',
  });

const ProgressQuerySchema = ListQuerySchema.pick({ region: true, year: true }).extend({
  by: z.enum(['region']).optional(),
  findings: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});

export function parseProgressQuery(query: unknown): ProgressFilters {
  return parse(ProgressQuerySchema, query, 'query');
}

export function parseListQuery(query: unknown): EvaluationFilters {
  const q = parse(ListQuerySchema, query, 'query');
  return { ...q, year: q.year };
}

/** A decision's body as the command takes it: the comment or reason, and the revision it was made on (if given). */
export interface ApproveBody {
  comment: string | null;
  revision: number | null;
}

export function parseApproveBody(body: unknown): ApproveBody {
  const empty = body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0);
  const parsed = empty ? null : parse(ApproveBodySchema, body, 'body');
  return { comment: parsed?.comment || null, revision: parsed?.revision ?? null };
}

export interface ReturnBody {
  /** Empty when only findings were named (the command then says DEFAULT_RETURN_REASON). */
  reason: string;
  findings: string[];
  revision: number | null;
}

export function parseReturnBody(body: unknown): ReturnBody {
  const parsed = parse(ReturnBodySchema, body ?? undefined, 'body');
  return {
    reason: parsed.reason ?? '',
    findings: [...new Set(parsed.findings ?? [])],
    revision: parsed.revision ?? null,
  };
}

/** OpenAPI shapes of the request bodies (validation is the zod schemas above). */
export class ApproveEvaluationBody {
  @ApiPropertyOptional({
    description: 'Reviewer comment, kept in the history and sent with the approval',
    maxLength: 2000,
  })
  comment?: string;

  @ApiPropertyOptional({
    description:
      'The revision of the case the reviewer decided on (`revision` of GET /evaluations/:id): when the case has changed ' +
      'since (re-scored, say), the decision is refused with 409 instead of applied to what the reviewer did not see',
    example: 3,
  })
  revision?: number;
}

export class ReturnEvaluationBody {
  @ApiPropertyOptional({
    description:
      'Why the evaluation goes back to its unit (required unless `findings` names some; then, left out, the reason is ' +
      '“请核实并修改退回时指出的问题后重新提交”)',
    maxLength: 2000,
    example: '执行率与预算执行数不一致，请核实后重新提交',
  })
  reason?: string;

  @ApiPropertyOptional({
    description:
      'Findings of the current score the unit must correct: the `key` of each (GET /evaluations/:id lists them in ' +
      '`score.breakdown.findings`). They are kept with the return, shown to the unit, and the corrected version shows ' +
      'each as resolved or remaining. 400 names any key the current score does not have',
    type: [String],
    example: ['EXECUTION_RATE_MISMATCH', 'SCORE_DIFFERS_FROM_RULE|群众满意度'],
  })
  findings?: string[];

  @ApiPropertyOptional({
    description: 'The revision of the case the reviewer decided on: 409 when the case has changed since',
    example: 3,
  })
  revision?: number;
}
