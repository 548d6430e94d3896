import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { requestCorrelationId, requestLogFields, responseLogFields } from './request-logging';

const exchange = (header?: string | string[]) => {
  const sent: Record<string, unknown> = {};
  const req = { headers: header === undefined ? {} : { 'x-correlation-id': header } } as unknown as IncomingMessage;
  const res = { setHeader: (k: string, v: unknown) => (sent[k] = v) } as unknown as ServerResponse;
  return { id: requestCorrelationId(req, res), sent };
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('request correlation ids', () => {
  it("keeps the caller's id when it looks like one, and answers with it", () => {
    for (const given of ['trace-me-123', 'a1b2.c3:d4_E5', '0af7651916cd43dd8448eb211c80319c', 'x'.repeat(100)]) {
      const { id, sent } = exchange(given);
      expect(id).toBe(given);
      expect(sent['x-correlation-id']).toBe(given);
    }
    expect(exchange(['first-id', 'second-id']).id).toBe('first-id');
  });

  it('makes a new one when none is given, or the given one is not an id (too long, spaces, other characters)', () => {
    for (const given of [undefined, '', 'x'.repeat(101), 'two words', '<script>', '审核-1', 'a/b']) {
      const { id, sent } = exchange(given);
      expect(id).toMatch(UUID);
      expect(sent['x-correlation-id']).toBe(id);
    }
  });
});

describe('request log fields', () => {
  it('name the request by id, method, URL and client address, and leave its headers out', () => {
    const logged = requestLogFields({
      id: 'req-1',
      method: 'POST',
      url: '/evaluations/ev_1/approve',
      remoteAddress: '10.0.0.7',
      headers: { authorization: 'Bearer secret', cookie: 'jixiao_queues_token=secret' },
    } as never);
    expect(logged).toEqual({
      id: 'req-1',
      method: 'POST',
      url: '/evaluations/ev_1/approve',
      remoteAddress: '10.0.0.7',
    });
    expect(JSON.stringify(logged)).not.toContain('secret');
    expect(responseLogFields({ statusCode: 409, headers: { 'x-correlation-id': 'req-1' } } as never)).toEqual({
      statusCode: 409,
    });
  });
});
