import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a caller may send as `x-correlation-id` and have kept: an id, not text (at most 100 of `A-Za-z0-9._:-`). */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The request's correlation id: the caller's `x-correlation-id` when it looks like an id, else a new UUID (so a long
 * or odd header cannot fill every log line and event with it). Sent back in the response's `x-correlation-id`.
 */
export function requestCorrelationId(req: IncomingMessage, res: ServerResponse): string {
  const given = req.headers['x-correlation-id'];
  const first = Array.isArray(given) ? given[0] : given;
  const id = first && CORRELATION_ID.test(first) ? first : randomUUID();
  res.setHeader('x-correlation-id', id);
  return id;
}

/**
 * The request's correlation id as a handler reads it (`req.id`, set by requestCorrelationId), to pass on in the
 * events the request causes.
 */
export function correlationIdOf(req: { id?: unknown }): string | null {
  return typeof req.id === 'string' ? req.id.slice(0, 100) : null;
}

/**
 * What a request's log lines say about it: its correlation id, method, URL and the client's address — not its
 * headers (tokens, cookies and the rest stay out of the logs, and a request line is a fifth of the size).
 */
export function requestLogFields(req: { id?: unknown; method?: string; url?: string; remoteAddress?: string }) {
  return { id: req.id, method: req.method, url: req.url, remoteAddress: req.remoteAddress };
}

/** What a response's log line says about it: its status (its correlation id is the request's). */
export function responseLogFields(res: { statusCode?: number }) {
  return { statusCode: res.statusCode };
}
