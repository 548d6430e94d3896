import type { Response } from 'express';
import type { SubmitResult } from '../commands/submit-evaluations.command';
import { REPLAYED_HEADER } from '../domain/idempotency';

/**
 * A submission's answer as the API sends it: a replay (same `Idempotency-Key`, same request) is the first answer
 * again, word for word, marked only by the `Idempotent-Replayed: true` header.
 */
export function idempotentAnswer<T extends SubmitResult>(res: Response, result: T): Omit<T, 'replayed'> {
  const { replayed, ...answer } = result;
  if (replayed) res.setHeader(REPLAYED_HEADER, 'true');
  return answer;
}
