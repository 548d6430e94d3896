import { finalLine, progressLine } from '../output/run-progress';
import { renderImpactReport } from '../output/impact-report';
import { CliError } from '../cli-error';
import { ApiError, type ApiClient } from './api-client';
import { FINISHED, type Run } from './api-types';

export interface FollowIo {
  write(s: string): void;
  /** A terminal gets one line rewritten in place; a pipe or log gets a line every `logEveryMs` at most. */
  isTTY: boolean;
  now(): number;
  /** Resolves after `ms`, or as soon as `signal` aborts. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
}

export interface FollowOptions {
  intervalMs?: number;
  logEveryMs?: number;
}

/**
 * Poll a run until it finishes; null when `signal` stopped the following first (the run goes on). Once the run has
 * been seen, a server that stops answering for a while (its database away: 503; the process restarting: no answer)
 * is waited for, saying so once: the run goes on without it, and a long run outlives such a blip.
 */
export async function followRun(
  client: Pick<ApiClient, 'run'>,
  runId: string,
  io: FollowIo,
  signal: AbortSignal,
  opts: FollowOptions = {},
): Promise<Run | null> {
  const interval = opts.intervalMs ?? 500;
  const logEvery = opts.logEveryMs ?? 2000;
  let lastLog = -Infinity;
  let seen = false;
  let waiting = false;
  for (;;) {
    let run: Run;
    try {
      run = await client.run(runId);
    } catch (err) {
      if (!seen || !passing(err)) throw err;
      if (!waiting) io.write(`${io.isTTY ? '\r\x1b[K' : ''}${err.message}; still following run ${runId}\n`);
      waiting = true;
      await io.sleep(Math.max(interval, 2_000), signal);
      if (signal.aborted) return null;
      continue;
    }
    seen = true;
    waiting = false;
    const finished = FINISHED.includes(run.status);
    if (io.isTTY) io.write(`\r${progressLine(run)}\x1b[K${finished ? '\n' : ''}`);
    else if (finished || io.now() - lastLog >= logEvery) {
      io.write(`${progressLine(run)}\n`);
      lastLog = io.now();
    }
    if (finished) return run;
    await io.sleep(interval, signal);
    if (signal.aborted) {
      if (io.isTTY) io.write('\n');
      return null;
    }
  }
}

/** A server away for now (503, or no answer at all), as opposed to one refusing the request. */
function passing(err: unknown): err is ApiError {
  return err instanceof ApiError && (err.status === null || err.status === 503);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(); // Ctrl-C during a request
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Follow a run on the terminal until it ends, then print the closing line (and the impact report when
 * `report`). Ctrl-C stops following, not the run. Exit code: 0 completed, 1 failed or cancelled, 130 stopped.
 */
export async function followOnTerminal(
  client: ApiClient,
  runId: string,
  opts: { report: boolean; json?: boolean },
): Promise<void> {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  const out = (s: string) => process.stdout.write(s);
  const io: FollowIo = {
    write: opts.json ? (s) => process.stderr.write(s) : out,
    isTTY: Boolean(opts.json ? process.stderr.isTTY : process.stdout.isTTY),
    now: () => Date.now(),
    sleep,
  };
  try {
    // the polling waits out a server that stops answering itself, quietly: no per-request retries
    const run = await followRun(client.withoutRetries(), runId, io, controller.signal);
    if (!run) {
      process.stderr.write(
        `stopped following; run ${runId} goes on on the server. Follow again: jixiao rescore ${runId} --follow\n`,
      );
      process.exitCode = 130;
      return;
    }
    printRun(run, opts);
  } finally {
    process.off('SIGINT', stop);
  }
}

/** A run as the user sees it at the end: the report (when asked and present) and the closing line; --json: the run. */
export function printRun(run: Run, opts: { report: boolean; json?: boolean }): void {
  if (opts.json) process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
  else {
    if (opts.report && run.report) process.stdout.write(`\n${renderImpactReport(run.report)}\n\n`);
    process.stdout.write(`${finalLine(run)}\n`);
  }
  if (run.status === 'failed' || run.status === 'cancelled') process.exitCode = 1;
}

/** `--version 3` → 3. */
export function parseVersion(text: string | undefined, option = '--version'): number {
  if (text === undefined || !/^[1-9]\d*$/.test(text))
    throw new CliError(`${option} ${text ?? ''}: expected a version number (1, 2, …)`);
  return Number(text);
}
