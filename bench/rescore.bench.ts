/**
 * `npm run bench:rescore -- --count N [--workers W] [--chunk-size S] [--seed X] [--keep] [--built]`
 *
 * Bulk re-scoring on PostgreSQL and Redis here: W scoring processes on a fresh schema and BullMQ prefix, N synthetic
 * evaluations seeded as already scored (COPY, not timed), then a change to CN (the 优 cutoff 90 → 92 and the
 * execution-rate check's tolerance, which every region inherits, so every evaluation is re-scored; see changedCn) is
 * uploaded as a draft and activated. Measured: from the
 * activate call until the run is completed and all its results are committed. Beside it, the floor: COPY of the same
 * result rows into an empty table of the same shape, and the ratio. Each worker's peak RSS (VmHWM, and the largest
 * RSS sampled while the run went on). The last line of output is one JSON object with the figures.
 *
 * The scoring processes run the TypeScript sources as `npm start` does; `--built` compiles dist/ first and runs
 * that, as the Docker image does (no compiler in the process: less memory).
 *
 * BENCH_CHILD_LOG=<file> keeps the services' logs (errors; RESCORE_LOG_LEVEL=info for more) in <file>.<n>.
 */
import { Client } from 'pg';
import { loadRuleSets } from '@jixiao/scoring';
import { buildDist, PG_URL, procMemoryKb, ROOT, ScoringCluster } from './support/rescore-cluster';
import { cpuSnapshot, cpuUsed } from './support/rescore-cpu';
import { copyFloor } from './support/rescore-floor';
import { describeMachine, measureMachine } from './support/machine-speed';
import {
  activateChange,
  changedGrades,
  changedCn,
  rescoredEventItems,
  runOutputs,
  waitForRun,
} from './support/rescore-run';
import { seedEvaluations } from './support/rescore-seed';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const COUNT = Number(arg('count', '100000'));
const WORKERS = Number(arg('workers', '2'));
const CHUNK_SIZE = Number(arg('chunk-size', '1000'));
const SEED = Number(arg('seed', '1'));
const KEEP = process.argv.includes('--keep');
const BUILT = process.argv.includes('--built');
const RULES = `${ROOT}/rules`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const mb = (kb: number) => Math.round(kb / 1024);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

async function main(): Promise<void> {
  if (BUILT) buildDist();
  // before anything of ours runs: how fast the machine is today (see machine-speed.ts)
  const machine = await measureMachine(RULES, PG_URL);
  out(describeMachine(machine));
  const cluster = new ScoringCluster({
    label: 'bench_rescore',
    entry: BUILT ? 'built' : 'sources',
    logFile: process.env.BENCH_CHILD_LOG,
    extraEnv: { RESCORE_CHUNK_SIZE: String(CHUNK_SIZE) },
  });
  let pg: Client | null = null;
  try {
    out(
      `schema ${cluster.schema}, prefix ${cluster.prefix}: ${COUNT.toLocaleString('en-US')} evaluations, ${WORKERS} scoring processes${BUILT ? ' (dist/)' : ''}, chunks of ${CHUNK_SIZE}`,
    );
    // the first process runs the migrations; the others start once the seed is in
    await cluster.add();
    pg = new Client({ connectionString: PG_URL, options: `-c search_path=${cluster.schema}` });
    await pg.connect();

    let lastPrint = 0;
    const seed = await seedEvaluations({
      pgUrl: PG_URL,
      schema: cluster.schema,
      count: COUNT,
      seed: SEED,
      registry: loadRuleSets(RULES),
      batch: 2_000,
      onProgress: (n) => {
        if (performance.now() - lastPrint > 5_000 || n === COUNT) {
          lastPrint = performance.now();
          out(`  seeded ${n.toLocaleString('en-US')}`);
        }
      },
    });
    await pg.query(`ANALYZE scoring_evaluations`);
    await pg.query(`ANALYZE scoring_results`);
    out(
      `seeded ${COUNT.toLocaleString('en-US')} evaluations in ${round(seed.seconds)} s (not measured): ${JSON.stringify(seed.byRuleSet)}`,
    );
    for (let i = 1; i < WORKERS; i++) await cluster.add();

    const token = cluster.token('rule_admin', ['CN']);
    const change = changedCn(RULES, 92);
    const cpuBefore = cpuSnapshot(cluster.workers.map((w) => w.pid));
    const { runId, version, activateStartedAt } = await activateChange(
      cluster.url,
      token,
      'CN',
      change,
      'bench: 优 from 92 points, execution rate tolerance 1 point',
    );
    out(`activated CN v${version}: run ${runId}`);
    const { status, observedAt } = await waitForRun(() => cluster.url, token, pg, runId, {
      everyMs: 250,
      timeoutMs: 3_600_000,
      fatal: () => cluster.unexpectedExits().join('; ') || null,
      onPoll: (s) => {
        cluster.sampleRss();
        const t = (performance.now() - activateStartedAt) / 1000;
        if (Math.floor(t * 4) % 8 === 0 || s.status === 'completed')
          out(
            `  ${t.toFixed(1).padStart(6)} s ${s.status.padEnd(9)} ${s.done}/${s.total ?? '?'} done, ${s.rescored} re-scored, ${s.changed} changed, ` +
              `chunks ${s.chunks.done}/${s.chunks.total ?? '?'}, ${Math.round(s.ratePerSecond ?? 0)}/s, ETA ${s.etaSeconds ?? '?'} s`,
          );
      },
    });
    // the clock stops at the status that showed the run completed with its results committed (not after counting)
    const seconds = (observedAt - activateStartedAt) / 1000;
    const cpu = cpuUsed(cpuBefore, cpuSnapshot(cluster.workers.map((w) => w.pid)));
    cluster.sampleRss();
    const peaks = cluster.workers.map((w) => {
      const m = procMemoryKb(w.pid);
      return { hwm: m?.hwm ?? w.maxRssKb, sampled: w.maxRssKb };
    });

    const outputs = await runOutputs(pg, runId);
    const changed = await changedGrades(pg, runId);
    const items = await rescoredEventItems(pg, runId);
    out(
      `run ${runId} completed: ${outputs.results} results, ${outputs.auditRecords} audit records, ${outputs.events} events ${JSON.stringify(outputs.eventsByName)}`,
    );
    out(
      `  rescored events carry ${items.items} items for ${items.distinct} evaluations; run says ${status.rescored} re-scored, ${status.changed} changed; ${changed} grades changed`,
    );
    if (outputs.results !== COUNT) out(`  NOTE: ${outputs.results} of the ${COUNT} evaluations were re-scored`);
    const perSecond = Math.round(outputs.results / seconds);
    out(`measured ${round(seconds, 2)} s: ${perSecond.toLocaleString('en-US')} evaluations re-scored per second`);

    out(
      `CPU seconds during the run: scoring processes ${cpu.workers.map((c) => (c === null ? '?' : round(c))).join(' + ')}, ` +
        `PostgreSQL ≥${round(cpu.postgres)}, Redis ${round(cpu.redis)} (load average ${round(cpu.loadBefore, 2)} → ${round(cpu.loadAfter, 2)})`,
    );
    const workerCpu = cpu.workers.reduce<number>((a, c) => a + (c ?? 0), 0);
    const perEvaluation = (seconds: number) => Math.round((seconds * 1e6) / Math.max(1, outputs.results));
    const cpuUs = { workers: perEvaluation(workerCpu), postgres: perEvaluation(cpu.postgres), redis: perEvaluation(cpu.redis) };
    out(
      `CPU µs per evaluation re-scored: scoring processes ${cpuUs.workers}, PostgreSQL ≥${cpuUs.postgres}, Redis ${cpuUs.redis}; ` +
        `total ${cpuUs.workers + cpuUs.postgres + cpuUs.redis} (2 cores at 8,000/s allow 250)`,
    );
    const floor = await copyFloor(pg, runId);
    out(
      `floor: COPY of the ${floor.rows} result rows (${mb(floor.bytes / 1024)} MB) into an empty scoring_results twin: ${round(floor.seconds, 2)} s → ratio ${round(seconds / floor.seconds, 2)}`,
    );
    out(
      `workers' peak RSS (VmHWM / largest sampled): ${peaks.map((p) => `${mb(p.hwm)}/${mb(p.sampled)} MB`).join(', ')}`,
    );
    out(
      // the issue gives both "at most 120 s" and "at least 8,000 per second", which differ: 8,000/s is 125 s a million
      `targets: 1,000,000 in ≤120 s (≥8,334/s): ${perSecond >= 1_000_000 / 120 ? 'met' : 'NOT met'} at ${perSecond}/s ` +
        `(${round(1_000_000 / perSecond, 1)} s a million); ≥8,000/s: ${perSecond >= 8000 ? 'met' : 'NOT met'}; ` +
        `≤4× floor: ${seconds / floor.seconds <= 4 ? 'met' : 'NOT met'}; each worker <512 MB: ${peaks.every((p) => p.hwm < 512 * 1024) ? 'met' : 'NOT met'}`,
    );
    out(
      JSON.stringify({
        count: COUNT,
        workers: WORKERS,
        entry: BUILT ? 'built' : 'sources',
        chunkSize: CHUNK_SIZE,
        seedSeconds: round(seed.seconds, 2),
        seconds: round(seconds, 2),
        perSecond,
        floorSeconds: round(floor.seconds, 2),
        ratio: round(seconds / floor.seconds, 2),
        peakWorkerRssMB: peaks.map((p) => mb(p.hwm)),
        cpuUsPerEvaluation: cpuUs,
        results: outputs.results,
        auditRecords: outputs.auditRecords,
        events: outputs.events,
        changedGrades: changed,
        machine,
      }),
    );
  } finally {
    await pg?.end().catch(() => undefined);
    await cluster.destroy({ keepSchema: KEEP });
    if (KEEP) out(`kept schema ${cluster.schema}`);
  }
}

main().catch((err) => {
  process.stderr.write(`bench:rescore failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
