/**
 * Scoring services as separate processes (`SERVICE=scoring`, apps/server/src/main.ts, as `npm start` runs them) on
 * one PostgreSQL schema and one BullMQ prefix: the re-scoring benchmark and the crash tests start, kill and add them.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { signToken, type Role } from '@jixiao/auth';
import { dropPrefix } from '@jixiao/messaging/testing/test-redis';
import { freePort } from '@jixiao/runtime';

export { dropPrefix };

export const ROOT = join(__dirname, '../..');
export const PG_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'rescore-secret-0123456789abcdef';

export interface ScoringWorker {
  child: ChildProcess;
  pid: number;
  port: number;
  url: string;
  /** Largest resident set seen by `sampleRss` (kB). */
  maxRssKb: number;
  /** Stopped or killed on purpose. */
  stopping: boolean;
}

/** `VmHWM` / `VmRSS` of a live process from /proc, in kB (null once it has exited). */
export function procMemoryKb(pid: number): { hwm: number; rss: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { hwm: kb('VmHWM'), rss: kb('VmRSS') };
  } catch {
    return null;
  }
}

/** `npm run build`: the sources compiled into dist/ (what the Docker image runs). */
export function buildDist(): void {
  execFileSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

export class ScoringCluster {
  readonly workers: ScoringWorker[] = [];
  readonly id = randomBytes(4).toString('hex');
  readonly schema: string;
  readonly prefix: string;
  private readonly dataDir = mkdtempSync(join(tmpdir(), 'jixiao-rescore-'));

  constructor(
    private readonly opts: {
      label: string;
      redisUrl?: string;
      /** Service logs (errors unless LOG_LEVEL says otherwise) appended to `<logFile>.<n>`; else discarded. */
      logFile?: string;
      extraEnv?: Record<string, string>;
      /**
       * What the processes run: the TypeScript sources through SWC's require hook (as `npm start` does; default), or
       * dist/ as `npm run build` makes it (as the Docker image does: no compiler in the process). Call
       * `buildDist()` first for `built`.
       */
      entry?: 'sources' | 'built';
    },
  ) {
    this.schema = `${opts.label}_${this.id}`;
    this.prefix = `${opts.label.replace(/_/g, '-')}-${this.id}`;
  }

  get url(): string {
    const live = this.workers.find((w) => w.child.exitCode === null && w.child.signalCode === null);
    if (!live) throw new Error('no scoring process is running');
    return live.url;
  }

  get redisUrl(): string {
    return this.opts.redisUrl ?? REDIS_URL;
  }

  token(role: Role = 'rule_admin', regions = ['CN']): string {
    return signToken({ sub: `${role}-bench`, role, regions }, SECRET);
  }

  /** Starts one more scoring process and waits until it answers /health (its migrations have run). */
  async add(): Promise<ScoringWorker> {
    const port = await freePort();
    const n = this.workers.length;
    // RESCORE_WORKER_NODE_ARGS: node flags for the scoring processes only (`--max-old-space-size=256`,
    // `--cpu-prof --cpu-prof-dir=/tmp/prof`)
    const nodeArgs = (process.env.RESCORE_WORKER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
    const entry =
      this.opts.entry === 'built' ? ['dist/apps/server/src/main.js'] : ['-r', './apps/jixiao/register.js', 'apps/server/src/main.ts'];
    const child = spawn(process.execPath, [...nodeArgs, ...entry], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: PG_URL,
        DATABASE_SCHEMA: this.schema,
        REDIS_URL: this.redisUrl,
        QUEUE_PREFIX: this.prefix,
        JWT_SECRET: SECRET,
        LOG_LEVEL: process.env.RESCORE_LOG_LEVEL ?? 'error',
        DATA_DIR: this.dataDir,
        SERVICE: 'scoring',
        PORT: String(port),
        ...this.opts.extraEnv,
      },
      stdio: ['ignore', this.opts.logFile ? openSync(`${this.opts.logFile}.${n}`, 'a') : 'ignore', 'inherit'],
    });
    const worker: ScoringWorker = {
      child,
      pid: child.pid!,
      port,
      url: `http://127.0.0.1:${port}`,
      maxRssKb: 0,
      stopping: false,
    };
    this.workers.push(worker);
    await waitHealthy(worker);
    return worker;
  }

  /** Workers that exited without being told to (a crash, an out-of-memory abort), with their exit code or signal. */
  unexpectedExits(): string[] {
    return this.workers
      .filter((w) => !w.stopping && (w.child.exitCode !== null || w.child.signalCode !== null))
      .map((w) => `scoring process ${w.pid} exited (${w.child.exitCode ?? w.child.signalCode})`);
  }

  /** Samples every live worker's RSS (call it while a run goes on). */
  sampleRss(): void {
    for (const w of this.workers) {
      const m = procMemoryKb(w.pid);
      if (m && m.rss > w.maxRssKb) w.maxRssKb = m.rss;
    }
  }

  /** SIGKILL, as the kernel's OOM killer or a pulled plug would: no shutdown hook runs. */
  async kill9(worker: ScoringWorker): Promise<void> {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) return;
    const exited = new Promise((r) => worker.child.once('exit', r));
    worker.stopping = true;
    worker.child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    for (const w of this.workers) {
      w.stopping = true;
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    }
    await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<void>((r) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) return r();
            const t = setTimeout(() => w.child.kill('SIGKILL'), 20_000);
            w.child.once('exit', () => {
              clearTimeout(t);
              r();
            });
          }),
      ),
    );
  }

  /** Stops the processes, drops the schema and the BullMQ keys, removes the data dir. */
  async destroy(opts: { keepSchema?: boolean } = {}): Promise<void> {
    await this.stop();
    if (!opts.keepSchema) {
      const pg = new Client({ connectionString: PG_URL });
      await pg.connect();
      await pg.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`).catch(() => undefined);
      await pg.end();
    }
    await dropPrefix(this.redisUrl, this.prefix);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

async function waitHealthy(w: ScoringWorker): Promise<void> {
  for (let i = 0; i < 900; i++) {
    if (w.child.exitCode !== null || w.child.signalCode !== null)
      throw new Error(
        `scoring process ${w.pid} exited (${w.child.exitCode ?? w.child.signalCode}) before it was healthy`,
      );
    try {
      const r = await fetch(`${w.url}/health`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`scoring process ${w.pid} did not become healthy`);
}

