import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Client } from 'pg';
import { loadRuleSets, score, type RuleSetRegistry } from '@jixiao/scoring';
import { processCpuSeconds } from './process-cpu';
import { syntheticEvaluation } from './rescore-data';

/**
 * How fast this machine is right now, before a bench puts its load on it: the figures of these benches drift by up to
 * half from one day to the next on the same code (a shared virtual machine), and this gives the reader a yardstick.
 *
 * - `referencePerSecond`: a fixed single-threaded workload — 200 synthetic 20-indicator evaluations, each serialised,
 *   parsed, hashed and scored (no memo, no explanations), over and over — counted per second of wall time, the best of
 *   three slices of a third of a second after a warm-up. Slower when the machine is busy or its host is.
 * - `referencePerCpuSecond`: the same slice per second of this process's CPU time.
 * - `cpuPressureSome10`: Linux's CPU pressure (share of the last 10 s in which some task waited for a CPU), if known.
 *   With nothing of ours running it is the host's load showing through.
 * - `postgresRoundTrip` (from `measureMachine`): one `SELECT $1` to PostgreSQL and back, µs of wall time, of this
 *   process's CPU and of the server backend's CPU (null when the server is not on this machine) — the kernel's and
 *   PostgreSQL's side of the machine, which the reference workload does not see: on one day the workers' CPU per
 *   re-scored evaluation moved from 202 to 262 µs within minutes while the reference stayed at 10,700–11,500/s.
 */
export interface MachineSpeed {
  referencePerSecond: number;
  referencePerCpuSecond: number;
  cpuPressureSome10: number | null;
  postgresRoundTrip?: { wallUs: number; clientCpuUs: number; serverCpuUs: number | null };
}

/** `machineSpeed` and, against the PostgreSQL at `pgUrl`, the round trip. */
export async function measureMachine(rulesDir: string, pgUrl: string): Promise<MachineSpeed> {
  const speed = machineSpeed(rulesDir);
  return { ...speed, postgresRoundTrip: await postgresRoundTrip(pgUrl) };
}

/** One line for a bench's output. */
export function describeMachine(m: MachineSpeed): string {
  const rt = m.postgresRoundTrip;
  return (
    `machine: reference workload ${m.referencePerSecond.toLocaleString('en-US')}/s ` +
    `(${m.referencePerCpuSecond.toLocaleString('en-US')} per CPU-second), CPU pressure ${m.cpuPressureSome10 ?? '?'}%` +
    (rt
      ? `, PostgreSQL round trip ${rt.wallUs} µs (CPU: ${rt.clientCpuUs} here, ${rt.serverCpuUs ?? '?'} in the server)`
      : '')
  );
}

/**
 * Round trips of `SELECT $1::int` on one connection, after a warm-up: µs per round trip of wall time, of this
 * process's CPU and of the backend's (from /proc, when it runs here; clock ticks, so 10,000 round trips).
 */
async function postgresRoundTrip(pgUrl: string, count = 10_000): Promise<MachineSpeed['postgresRoundTrip']> {
  const pg = new Client({ connectionString: pgUrl });
  await pg.connect();
  try {
    const pid = Number((await pg.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid);
    for (let i = 0; i < 500; i++) await pg.query('SELECT $1::int', [i]);
    const server0 = processCpuSeconds(pid);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < count; i++) await pg.query('SELECT $1::int', [i]);
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const server1 = processCpuSeconds(pid);
    const per = (us: number) => Math.round((us / count) * 10) / 10;
    return {
      wallUs: per(wall * 1000),
      clientCpuUs: per(cpu.user + cpu.system),
      serverCpuUs: server0 === null || server1 === null ? null : per((server1 - server0) * 1e6),
    };
  } finally {
    await pg.end();
  }
}

export function machineSpeed(rulesDir: string, seconds = 1): MachineSpeed {
  const registry: RuleSetRegistry = loadRuleSets(rulesDir);
  const forms = Array.from({ length: 200 }, (_, i) => syntheticEvaluation(registry, 7, i, 'ref'));
  const once = (i: number) => {
    const f = forms[i % forms.length];
    const copy = JSON.parse(JSON.stringify(f.evaluation)) as typeof f.evaluation;
    createHash('sha256').update(JSON.stringify(copy)).digest('hex');
    return score(copy, registry.resolve(f.region, f.fiscalYear), { memo: false, explain: false }).computed.total;
  };
  for (let i = 0; i < 3000; i++) once(i); // warm up the compiler
  // the best of three slices: a moment's hiccup says less about the machine than its best
  let best = { wall: 0, cpu: 0 };
  for (let slice = 0; slice < 3; slice++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let n = 0;
    while (performance.now() - t0 < (seconds * 1000) / 3) for (let k = 0; k < 20; k++) once(n++);
    const wall = n / ((performance.now() - t0) / 1000);
    const used = process.cpuUsage(cpu0);
    if (wall > best.wall) best = { wall, cpu: n / ((used.user + used.system) / 1e6) };
  }
  return {
    referencePerSecond: Math.round(best.wall),
    referencePerCpuSecond: Math.round(best.cpu),
    cpuPressureSome10: cpuPressure(),
  };
}

function cpuPressure(): number | null {
  try {
    const m = /^some avg10=([\d.]+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}
