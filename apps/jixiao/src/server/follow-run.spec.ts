import { describe, expect, it } from 'vitest';
import type { Run } from './api-types';
import { ApiError } from './api-client';
import { followRun, type FollowIo } from './follow-run';
import { aRun } from './__fixtures__/runs';

/** A client answering the given runs in turn (the last one again once they run out). */
function client(runs: Run[]) {
  let i = 0;
  return { run: async () => runs[Math.min(i++, runs.length - 1)] };
}

/** A clock that moves on by each sleep; `onSleep` runs at every sleep (to press Ctrl-C). */
function io(isTTY: boolean, onSleep: () => void = () => {}) {
  let now = 0;
  let out = '';
  const io: FollowIo = {
    isTTY,
    write: (s) => void (out += s),
    now: () => now,
    sleep: async (ms) => {
      now += ms;
      onSleep();
    },
  };
  return { io, out: () => out };
}

const steps = (n: number) =>
  Array.from({ length: n }, (_, k) => aRun({ done: k * 1000, total: n * 1000, etaSeconds: null, ratePerSecond: null }));

describe('followRun', () => {
  it('on a terminal rewrites one line with \\r and ends it when the run finishes', async () => {
    const t = io(true);
    const last = aRun({ status: 'completed', done: 3000, total: 3000 });
    const run = await followRun(client([...steps(3), last]), 'run-1', t.io, new AbortController().signal);
    expect(run?.status).toBe('completed');
    const out = t.out();
    expect(out.split('\r')).toHaveLength(5);
    expect(out).not.toMatch(/\n.+/); // one line, rewritten
    expect(out).toMatch(/\r\[#+\] 3,000\/3,000 100% 8,123\/s · 130 changed\x1b\[K\n$/);
  });

  it('not on a terminal prints a line every 2 s at most (polling every 500 ms), and the last one', async () => {
    const t = io(false);
    const last = aRun({ status: 'completed', done: 10000, total: 10000 });
    await followRun(client([...steps(10), last]), 'run-1', t.io, new AbortController().signal);
    const lines = t.out().trim().split('\n');
    expect(lines.map((l) => l.split(' ')[1])).toEqual(['0/10,000', '4,000/10,000', '8,000/10,000', '10,000/10,000']);
  });

  it('stops following (null) when interrupted, without waiting for the run', async () => {
    const controller = new AbortController();
    const t = io(true, () => controller.abort());
    expect(await followRun(client(steps(5)), 'run-1', t.io, controller.signal)).toBeNull();
    expect(t.out().endsWith('\n')).toBe(true);
  });

  it('waits out a server that stops answering once the run has been seen, saying so once, and follows on', async () => {
    const t = io(false);
    const answers: Array<Run | Error> = [
      ...steps(2),
      new ApiError('GET /rescoring-runs/run-1: 503 the database does not answer', 503),
      new ApiError('cannot reach the Jixiao server at http://x', null),
      aRun({ status: 'completed', done: 2000, total: 2000 }),
    ];
    let i = 0;
    const flaky = {
      run: async () => {
        const a = answers[i++];
        if (a instanceof Error) throw a;
        return a;
      },
    };
    const run = await followRun(flaky, 'run-1', t.io, new AbortController().signal);
    expect(run?.status).toBe('completed');
    const said = t
      .out()
      .split('\n')
      .filter((l) => l.includes('still following'));
    expect(said).toEqual(['GET /rescoring-runs/run-1: 503 the database does not answer; still following run run-1']);
  });

  it('gives up at once on a server it never reached, or one that refuses (not 503)', async () => {
    const unreachable = { run: async () => Promise.reject(new ApiError('cannot reach the Jixiao server', null)) };
    await expect(followRun(unreachable, 'run-1', io(false).io, new AbortController().signal)).rejects.toThrow(
      'cannot reach',
    );
    let i = 0;
    const refusing = {
      run: async () => {
        if (i++ === 0) return steps(1)[0];
        throw new ApiError('401 the token was refused', 401);
      },
    };
    await expect(followRun(refusing, 'run-1', io(false).io, new AbortController().signal)).rejects.toThrow('401');
  });
});
