import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Redis from 'ioredis';
import { freePort } from './free-port';

export interface RedisEndpoint {
  url: string;
  /** Stops the private redis-server when this process started one. */
  stop(): Promise<void>;
  private: boolean;
}

export class RedisUnavailableError extends Error {}

/**
 * REDIS_URL when given; else localhost:6379 when something answers there; else a private redis-server
 * (noeviction, AOF, data under DATA_DIR/redis) started for this process and stopped on exit; else a clear error.
 */
export async function ensureRedis(opts: {
  url?: string;
  dataDir: string;
  log?: (msg: string) => void;
  /** Where to look before starting a private server (tests point it at a closed port). */
  localUrl?: string;
}): Promise<RedisEndpoint> {
  const log = opts.log ?? (() => undefined);
  if (opts.url) {
    if (!(await answers(opts.url))) {
      throw new RedisUnavailableError(`Redis at REDIS_URL=${opts.url} does not answer; start it or fix REDIS_URL`);
    }
    return { url: opts.url, private: false, stop: async () => undefined };
  }
  const local = opts.localUrl ?? 'redis://127.0.0.1:6379';
  if (await answers(local)) return { url: local, private: false, stop: async () => undefined };
  if (!hasRedisServer()) {
    throw new RedisUnavailableError(
      'no Redis answers on localhost:6379 and redis-server is not installed: install it (apt-get install redis-server) or set REDIS_URL',
    );
  }
  const port = await freePort();
  const dir = resolve(opts.dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--logfile', join(dir, 'redis.log')],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; i < 50 && !(await answers(url)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await answers(url))) {
    child.kill('SIGTERM');
    throw new RedisUnavailableError(`started a private redis-server on port ${port} but it does not answer; see ${dir}/redis.log`);
  }
  log(`started a private redis-server on ${url} (data in ${dir})`);
  // where the command line's operator tools (jixiao queues) find it while it runs
  const urlFile = join(dir, URL_FILE);
  writeFileSync(urlFile, `${url}\n`);
  const killOnExit = () => {
    child.kill('SIGTERM');
    rmSync(urlFile, { force: true });
  };
  process.once('exit', killOnExit);
  return {
    url,
    private: true,
    stop: async () => {
      await stopChild(child, killOnExit);
      rmSync(urlFile, { force: true });
    },
  };
}

const URL_FILE = 'url';

/**
 * The Redis a command-line tool should use for a deployment: REDIS_URL when given; else the private redis-server a
 * running `npm start` started for DATA_DIR (its URL is kept in DATA_DIR/redis/url while it runs); else localhost:6379.
 */
export function redisUrlFor(opts: { url?: string; dataDir: string }): string {
  if (opts.url) return opts.url;
  const file = join(resolve(opts.dataDir), 'redis', URL_FILE);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  return 'redis://127.0.0.1:6379';
}

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

function stopChild(child: ChildProcess, listener: () => void): Promise<void> {
  process.removeListener('exit', listener);
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((res) => {
    child.once('exit', () => res());
    child.kill('SIGTERM');
  });
}
