/**
 * CPU seconds spent by processes during a measured window, from /proc (utime + stime of each process, and of the
 * exited children it reaped): where a run's time went — the scoring processes, PostgreSQL's, Redis — on a machine
 * whose load other work may share (the load average is printed beside).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const TICKS = 100; // USER_HZ on Linux

function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after the command (which may hold spaces) in parentheses
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS;
  } catch {
    return null;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** CPU seconds of every process whose command is `comm` (postgres, redis-server), summed. */
function cpuSecondsByCommand(comm: string): number {
  let total = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (commandOf(pid) !== comm) continue;
    total += cpuSecondsOf(pid) ?? 0;
  }
  return total;
}

export interface CpuSnapshot {
  at: number;
  workers: Array<number | null>;
  postgres: number;
  redis: number;
  load: number[];
}

export function cpuSnapshot(workerPids: readonly number[]): CpuSnapshot {
  return {
    at: performance.now(),
    workers: workerPids.map(cpuSecondsOf),
    postgres: cpuSecondsByCommand('postgres'),
    redis: cpuSecondsByCommand('redis-server'),
    load: loadavg(),
  };
}

/**
 * CPU seconds used between two snapshots. PostgreSQL's backends that exited in between are not counted (a
 * connection closed during the run), so its figure is a lower bound.
 */
export function cpuUsed(a: CpuSnapshot, b: CpuSnapshot) {
  return {
    wallSeconds: (b.at - a.at) / 1000,
    workers: b.workers.map((v, i) => (v === null || a.workers[i] === null ? null : v - (a.workers[i] ?? 0))),
    postgres: b.postgres - a.postgres,
    redis: b.redis - a.redis,
    loadBefore: a.load[0],
    loadAfter: b.load[0],
  };
}
