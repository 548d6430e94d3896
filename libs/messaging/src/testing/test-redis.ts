import { randomBytes } from 'node:crypto';
import { createServer, Socket, type Server } from 'node:net';
import IORedis from 'ioredis';

/** Test helpers (import from `@jixiao/messaging/testing`, never from production code). */

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A BullMQ prefix of its own, so parallel runs never see each other's jobs. */
export function testPrefix(): string {
  return `jxt-${randomBytes(5).toString('hex')}`;
}

/** Deletes every key under the prefix. */
export async function deletePrefix(prefix: string): Promise<void> {
  const redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
  try {
    await deleteKeys(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

async function deleteKeys(redis: IORedis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

/**
 * Deletes every key under the prefix on the Redis at `url`, if it still answers (a private server a test or bench
 * started may be gone already: then there is nothing to clean).
 */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await deleteKeys(redis, prefix);
  } catch {
    // Redis gone: nothing to clean
  } finally {
    redis.disconnect();
  }
}

/** Polls `check` until it returns true; fails after `timeoutMs` naming what it waited for. A bound, not a timing assertion. */
export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A TCP forwarder in front of the real Redis (or PostgreSQL) that can be cut and restored: a genuine network outage
 * for the clients behind it (connections are destroyed, new ones refused), while the server itself keeps running.
 */
export class OutageProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target = { host: '127.0.0.1', port: 6379 }) {}

  /** Redis through the proxy. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** A PostgreSQL URL (`postgres://user@host:port/db`) with the proxy's host and port instead. */
  postgresUrl(target: string): string {
    const url = new URL(target);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** The server "goes away": open connections drop, new ones are refused. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The server "comes back" on the same port (nothing to do when it is not cut). */
  async restore(): Promise<void> {
    if (!this.server) await this.start();
  }
}
