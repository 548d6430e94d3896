import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

/**
 * A request's query or body checked against its schema: the parsed value, or 400 naming each bad field
 * (`query.year: …`, `body.reason: …`) in `message` and one per line in `errors`.
 */
export function parseRequest<S extends z.ZodType>(schema: S, input: unknown, where: 'query' | 'body'): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const errors = result.error.issues.map((i) => `${[where, ...i.path].join('.')}: ${i.message}`);
  throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: errors.join('; '), errors });
}
