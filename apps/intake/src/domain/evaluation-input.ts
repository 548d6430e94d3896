import { z } from 'zod';
import { CanonicalEvaluationSchema, type CanonicalEvaluation } from '@jixiao/contracts';

/** The most evaluations one request may carry (one transaction, set-based inserts). */
export const MAX_EVALUATIONS_PER_REQUEST = 5_000;

const BatchSchema = z.object({
  evaluations: z.array(CanonicalEvaluationSchema).min(1).max(MAX_EVALUATIONS_PER_REQUEST),
  previousVersionId: z.string().min(1).optional(),
});
const SingleSchema = CanonicalEvaluationSchema.extend({ previousVersionId: z.string().min(1).optional() });

export class InvalidEvaluationInputError extends Error {
  override readonly name = 'InvalidEvaluationInputError';
  constructor(readonly problems: string[]) {
    super(`invalid evaluation: ${problems.join('; ')}`);
  }
}

export interface EvaluationInput {
  evaluations: CanonicalEvaluation[];
  previousVersionId: string | null;
}

/** `$.evaluations[0].indicators[2].weight` */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), '$');
}

/**
 * A request body → canonical evaluations: one evaluation, or `{ evaluations: [...] }`; either may carry
 * `previousVersionId`. Every problem names its JSON path (at most ten are listed).
 */
export function parseEvaluationInput(body: unknown): EvaluationInput {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidEvaluationInputError(['$: expected a JSON object (one evaluation, or { "evaluations": [ … ] })']);
  }
  const batch = 'evaluations' in body;
  const parsed = batch ? BatchSchema.safeParse(body) : SingleSchema.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.slice(0, 10).map((i) => `${jsonPath(i.path)}: ${i.message}`);
    const more = parsed.error.issues.length - problems.length;
    throw new InvalidEvaluationInputError(more > 0 ? [...problems, `… and ${more} more`] : problems);
  }
  if ('evaluations' in parsed.data) {
    return { evaluations: parsed.data.evaluations, previousVersionId: parsed.data.previousVersionId ?? null };
  }
  const { previousVersionId, ...evaluation } = parsed.data;
  return { evaluations: [evaluation], previousVersionId: previousVersionId ?? null };
}
