/**
 * The request's correlation id: the runtime's request logger takes it from `x-correlation-id` (or makes one), sets it
 * as `req.id` and answers with it. Services pass it on in the events a request causes (at most 100 characters).
 */
export function correlationIdOf(req: { id?: unknown }): string | null {
  return typeof req.id === 'string' ? req.id.slice(0, 100) : null;
}
