import { readFileSync } from 'node:fs';
import type Redis from 'ioredis';
import type { Client } from 'pg';

/** CPU seconds (user + system, all threads) a process has used so far, from /proc; null where /proc cannot tell. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return null;
  }
}

/** Every PostgreSQL server process (backends and background workers) of the server `pg` is connected to. */
async function postgresPids(pg: Client): Promise<number[]> {
  const { rows } = await pg.query<{ pid: number }>('SELECT pid FROM pg_stat_activity');
  return rows.map((r) => Number(r.pid));
}

/** Redis's own CPU seconds (main and background threads), from INFO cpu. */
async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return field('used_cpu_user') + field('used_cpu_sys');
}

export interface CpuSnapshot {
  at: number;
  services: Map<string, number | null>;
  postgres: Map<number, number | null>;
  redis: number;
  load: number;
}

/**
 * What each part of the system has used so far: the service processes (by label), PostgreSQL's processes, Redis,
 * and this process (the load generator). Two snapshots give CPU per submission by part — the figure that says
 * where the time goes when the machine, not one piece, is the limit. Linux only (/proc); elsewhere the service
 * and PostgreSQL figures are null.
 */
export async function cpuSnapshot(services: Map<string, number>, pg: Client, redis: Redis): Promise<CpuSnapshot> {
  const own = process.cpuUsage();
  return {
    at: Date.now(),
    services: new Map([...services].map(([label, pid]) => [label, processCpuSeconds(pid)])),
    postgres: new Map((await postgresPids(pg)).map((pid) => [pid, processCpuSeconds(pid)])),
    redis: await redisCpuSeconds(redis),
    load: (own.user + own.system) / 1e6,
  };
}

const round = (x: number) => Math.round(x * 100) / 100;

/** CPU milliseconds per submission of each part between two snapshots (a PostgreSQL process gone meanwhile counts 0). */
export function cpuPerSubmission(before: CpuSnapshot, after: CpuSnapshot, submissions: number) {
  const per = (seconds: number) => round((seconds * 1000) / Math.max(1, submissions));
  const services = Object.fromEntries(
    [...after.services].map(([label, s]) => [label, s === null ? null : per(s - (before.services.get(label) ?? 0))]),
  );
  let postgres = 0;
  let known = true;
  for (const [pid, s] of after.postgres) {
    if (s === null) known = false;
    else postgres += s - (before.postgres.get(pid) ?? 0);
  }
  const parts = {
    services,
    postgres: known ? per(postgres) : null,
    redis: per(after.redis - before.redis),
    load: per(after.load - before.load),
  };
  const all = [...Object.values(services), parts.postgres, parts.redis, parts.load];
  const total = all.every((v) => v !== null) ? round((all as number[]).reduce((a, b) => a + b, 0)) : null;
  return { ...parts, total, seconds: (after.at - before.at) / 1000 };
}
