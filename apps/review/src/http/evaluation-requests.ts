import { BadRequestException } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { z } from 'zod';
import { REVIEW_STATES } from '../domain/review-state';
import type { EvaluationFilters } from '../queries/evaluation.queries';

const ListQuerySchema = z.object({
  region: z
    .string()
    .regex(/^(CN|\d{6})$/, 'expected a 6-digit division code or CN')
    .optional(),
  year: z.coerce.number().int().min(1990).max(2100).optional(),
  state: z.enum(REVIEW_STATES).optional(),
  grade: z.string().min(1).max(20).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

const ApproveBodySchema = z.object({ comment: z.string().trim().max(2000).optional().nullable() }).nullish();
const ReturnBodySchema = z.object(
  { reason: z.string({ error: 'reason is required' }).trim().min(1, 'reason must not be empty').max(2000) },
  { error: 'expected a JSON body { "reason": "…" }' },
);

/** 400 naming each bad field (`query.year: …`, `body.reason: …`). */
function parse<S extends z.ZodType>(schema: S, input: unknown, where: 'query' | 'body'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((i) => `${[where, ...i.path].join('.')}: ${i.message}`);
  throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: errors.join('; '), errors });
}

export function parseListQuery(query: unknown): EvaluationFilters {
  const q = parse(ListQuerySchema, query, 'query');
  return { ...q, year: q.year };
}

export function parseApproveBody(body: unknown): string | null {
  const empty = body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0);
  return empty ? null : (parse(ApproveBodySchema, body, 'body')?.comment ?? null) || null;
}

export function parseReturnBody(body: unknown): string {
  return parse(ReturnBodySchema, body ?? undefined, 'body').reason;
}

/** OpenAPI shapes of the request bodies (validation is the zod schemas above). */
export class ApproveEvaluationBody {
  @ApiPropertyOptional({
    description: 'Reviewer comment, kept in the history and sent with the approval',
    maxLength: 2000,
  })
  comment?: string;
}

export class ReturnEvaluationBody {
  @ApiProperty({
    description: 'Why the evaluation goes back to its unit (required, not empty)',
    maxLength: 2000,
    example: '执行率与预算执行数不一致，请核实后重新提交',
  })
  reason!: string;
}
