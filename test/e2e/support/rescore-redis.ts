import { type ChildProcess, spawn } from 'node:child_process';
import Redis from 'ioredis';
import { freePort, waitFor } from './system';

/**
 * A redis-server of the test's own that keeps nothing on disk (no AOF, no snapshots), like the Redis the services
 * run with here: restarting it loses every queue and job. What was queued must come back from the database.
 */
export class VolatileRedis {
  private child: ChildProcess | null = null;
  private constructor(readonly port: number) {}

  static async start(): Promise<VolatileRedis> {
    const r = new VolatileRedis(await freePort());
    await r.up();
    return r;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async up(): Promise<void> {
    this.child = spawn(
      'redis-server',
      [
        '--bind',
        '127.0.0.1',
        '--port',
        String(this.port),
        '--appendonly',
        'no',
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
      ],
      { stdio: 'ignore' },
    );
    await waitFor('volatile redis up', () => this.ping(), 10_000);
  }

  /** Stops the server; with nothing on disk, everything it held is gone. */
  async down(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((res) => {
      child.once('exit', () => res());
      child.kill('SIGTERM');
    });
    this.child = null;
  }

  private async ping(): Promise<boolean> {
    const c = new Redis(this.url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    c.on('error', () => undefined);
    try {
      await c.connect();
      return (await c.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      c.disconnect();
    }
  }
}
