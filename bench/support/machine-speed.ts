import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { loadRuleSets, score, type RuleSetRegistry } from '@jixiao/scoring';
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
 */
export interface MachineSpeed {
  referencePerSecond: number;
  referencePerCpuSecond: number;
  cpuPressureSome10: number | null;
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
