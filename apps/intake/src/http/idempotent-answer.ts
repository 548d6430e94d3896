import { applyDecorators } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
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

/** OpenAPI for the header both submission routes take. */
export const ApiIdempotencyKey = () =>
  applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'a key of your choosing (a UUID) for this submission: a retry with the same key and request within 24 hours ' +
        'stores nothing and answers as the first did (header Idempotent-Replayed: true); the same key with another ' +
        'request → 422 (code IDEMPOTENCY_KEY_REUSED)',
    }),
  );
