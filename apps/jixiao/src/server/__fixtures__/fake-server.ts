import { afterEach } from 'vitest';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
  idempotencyKey: string | undefined;
  body: string;
}

/** An answer: status and JSON body (a string body is sent as is), and any headers besides the content type. */
export type Answer = { status: number; body: unknown; headers?: Record<string, string> };
export type Route = (req: Recorded) => Answer;

/**
 * A local stand-in answering the scoring service's documented shapes, for the CLI's client and formatting
 * tests only (the real server is tested end to end elsewhere). Routes are keyed `METHOD /path?query`.
 */
export async function fakeServer(
  routes: Record<string, Route>,
): Promise<{ url: string; calls: Recorded[]; close(): Promise<void> }> {
  const calls: Recorded[] = [];
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += String(chunk);
    const rec = {
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      idempotencyKey: req.headers['idempotency-key'] as string | undefined,
      body,
    };
    calls.push(rec);
    const route = routes[`${rec.method} ${rec.url}`];
    const answer = route
      ? route(rec)
      : { status: 404, body: { statusCode: 404, message: `no route ${rec.method} ${rec.url}` } };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/**
 * For a test file of CLI commands: `server(routes)` starts a stand-in, closed after the test, and gives the flags
 * that point a command at it (`--url`, `--token tok`) and the calls it received.
 */
export function fakeServerPerTest(): (
  routes: Record<string, Route>,
) => Promise<{ flags: string[]; calls: Recorded[]; url: string }> {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });
  return async (routes) => {
    const s = await fakeServer(routes);
    close = s.close;
    return { flags: ['--url', s.url, '--token', 'tok'], calls: s.calls, url: s.url };
  };
}
