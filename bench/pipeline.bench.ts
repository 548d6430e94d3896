/**
 * `npm run bench:pipeline [-- --duration 20 --connections 32 --split | --processes intake,scoring/review,publication --rate N --keep --contend C]`
 *
 * Runs the system on PostgreSQL and Redis here (in a child process; four with --split; with --processes, one per
 * `/`-separated group of services, each group a SERVICE value), submits 20-indicator
 * project evaluations through `POST /evaluations` with autocannon from this process, and measures:
 * - sustained submissions/s (201 responses during the measured window),
 * - submit → scored latency per evaluation: from the moment the request body was built (a timestamp carried in the
 *   project name) to `scored_at` of its score result, p50/p95/p99. With `--rate N` the requests are paced: the i-th
 *   is due at start + i/N s (open loop, evenly spaced; at most `--connections` in flight, the rest wait their turn),
 *   and the timestamp is when it was due, so time spent waiting for a connection counts too. (autocannon's own rate
 *   limit sends each connection's whole quota for a second at the start of that second: bursts, not a rate.)
 * - where that time went, stage by stage (due → intake's transaction → the relay's claim → scoring's inbox → the
 *   result; `stagesMs`),
 * - CPU milliseconds per submission during the measured window: each service process, PostgreSQL (all its
 *   processes), Redis and the load generator (Linux /proc and Redis INFO) — where the time goes.
 * The last line of output is one JSON object with the figures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import Redis from 'ioredis';
import { Client } from 'pg';
import { signToken } from '@jixiao/auth';
import { cpuPerSubmission, cpuSnapshot } from './support/process-cpu';
import { describeMachine, measureMachine } from './support/machine-speed';
import { dropPrefix } from './support/rescore-cluster';
import { freePort } from '@jixiao/runtime';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const DURATION = Number(arg('duration', '20'));
const CONNECTIONS = Number(arg('connections', '32'));
const SPLIT = process.argv.includes('--split');
/** The processes to start, each a SERVICE value. */
const PROCESSES = SPLIT ? ['intake', 'scoring', 'review', 'publication'] : arg('processes', 'all').split('/');
const MODE = PROCESSES.length === 1 ? 'all-in-one' : PROCESSES.join(' | ');
/** `--rate N`: offer N submissions/s, evenly spaced (open loop), instead of as many as the connections take. */
const RATE = Number(arg('rate', '0'));
/** `--keep`: leave the schema and the queues' Redis keys in place (to look at what the run stored and sent). */
const KEEP = process.argv.includes('--keep');
/**
 * `--contend C`: while the load runs, other processes keep C of the machine's cores busy (each a loop busy for its
 * share of every 10 ms): a slower machine made on purpose, to see how the latency holds up when the services get
 * less CPU than on a quiet day (this shared VM's slow days take a similar share away).
 */
const CONTEND = Number(arg('contend', '0'));
if (!(CONTEND >= 0 && CONTEND <= 8)) throw new Error(`--contend ${arg('contend', '')}: cores to keep busy, 0 to 8`);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET = 'bench-secret-0123456789abcdef';
const ROOT = join(__dirname, '..');

function evaluation(tag: string) {
  const indicators = Array.from({ length: 20 }, (_, i) => {
    const kind = i % 4;
    if (kind === 0)
      return {
        level1: '产出指标',
        level2: '数量指标',
        name: `数量指标${i}`,
        target: '≥100个',
        actual: `${95 + (i % 7)}个`,
        weight: 3,
        reportedScore: 3,
      };
    if (kind === 1)
      return {
        level1: '产出指标',
        level2: '质量指标',
        name: `质量指标${i}`,
        target: '≥95%',
        actual: '97%',
        weight: 3,
        reportedScore: 3,
      };
    if (kind === 2)
      return {
        level1: '效益指标',
        level2: '社会效益指标',
        name: `效益指标${i}`,
        target: '持续推动',
        actual: '达成预期指标',
        weight: 6,
        reportedScore: 6,
      };
    return {
      level1: '满意度指标',
      level2: '服务对象满意度指标',
      name: `满意度${i}`,
      target: '≥90%',
      actual: '92%',
      weight: 2,
      reportedScore: 2,
    };
  });
  return {
    formType: 'project',
    region: '341522',
    fiscalYear: 2022,
    projectName: tag,
    unitName: '霍邱县人民政府办公室',
    funds: {
      initialBudget: 265.69,
      adjustedBudget: 265.69,
      executed: 137,
      unit: '万元',
      weight: 10,
      reportedRate: '51.56%',
      reportedScore: 5.16,
    },
    indicators,
    reported: { total: 95.16, grade: '优' },
  };
}

async function waitHealthy(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not become healthy`);
}

/** What a load run reports, closed loop (autocannon) or paced. */
interface LoadResult {
  '2xx': number;
  non2xx: number;
  /** Requests that got no response (connection errors). */
  errors: number;
  /** From the first request to the last response. */
  seconds: number;
  /** HTTP latency in ms (paced: from when the request was due). */
  latency: { p50: number; p97_5: number; p99: number };
}

/**
 * The measured submissions' way from due to scored, from the times the services stored: due → intake's transaction
 * (`intake_versions.created_at`, when the handler ran), → the relay's claim of its event (`intake_outbox.sent_at`),
 * → scoring's inbox transaction (`scoring_inbox.processed_at`), → the result (`scoring_results.scored_at`). Each stage
 * is a p50 and p95 of its own, so they do not add up to submit → scored's.
 */
async function stageLatencies(pg: Client): Promise<Record<string, { p50: number; p95: number }>> {
  const { rows } = await pg.query<{ project: string; stored: string; relayed: string; inbox: string; scored: string }>(
    `SELECT v.evaluation::json->>'projectName' AS project, v.created_at AS stored, o.sent_at AS relayed,
            i.processed_at AS inbox, r.scored_at AS scored
       FROM intake_versions v
       JOIN intake_outbox o ON o.payload::json->>'evaluationId' = v.evaluation_id
       JOIN scoring_inbox i ON i.event_id = 'intake-' || o.id
       JOIN scoring_results r ON r.evaluation_id = v.evaluation_id
      WHERE v.evaluation::json->>'projectName' LIKE 'run|%'`,
  );
  const at = (t: string | Date) => new Date(t).getTime();
  const stage = (f: (r: (typeof rows)[number]) => number) => {
    const sorted = rows.map(f).sort((a, b) => a - b);
    return { p50: Math.round(percentile(sorted, 50)), p95: Math.round(percentile(sorted, 95)) };
  };
  return {
    dueToStored: stage((r) => at(r.stored) - Number(r.project.split('|')[1])),
    storedToRelayed: stage((r) => at(r.relayed) - at(r.stored)),
    relayedToScoringInbox: stage((r) => at(r.inbox) - at(r.relayed)),
    inboxToScored: stage((r) => at(r.scored) - at(r.inbox)),
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

async function main(): Promise<void> {
  // before anything of ours runs: how fast the machine is today (see machine-speed.ts)
  const machine = await measureMachine(join(ROOT, 'rules'), PG_URL);
  process.stdout.write(`${describeMachine(machine)}\n`);
  const id = randomBytes(4).toString('hex');
  const schema = `bench_${id}`;
  const prefix = `bench-${id}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'jixiao-bench-'));
  const baseEnv = {
    ...process.env,
    DATABASE_URL: PG_URL,
    DATABASE_SCHEMA: schema,
    REDIS_URL,
    QUEUE_PREFIX: prefix,
    JWT_SECRET: SECRET,
    LOG_LEVEL: 'error',
    DATA_DIR: dataDir,
  };
  const pg = new Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await pg.connect();
  /** For Redis's INFO cpu (the figures per submission). */
  const monitor = new Redis(REDIS_URL);
  const children: ChildProcess[] = [];
  const contenders: ChildProcess[] = [];

  // inside the try: a service that fails to start still has its processes stopped and the schema dropped
  try {
    const ports: Record<string, number> = {};
    for (const service of PROCESSES) {
      ports[service] = await freePort();
      const child = spawn(
        process.execPath,
        [
          ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
          // BENCH_NODE_ARGS="--flag …": extra Node.js flags for the services (to try V8 settings)
          ...(process.env.BENCH_NODE_ARGS?.split(/\s+/).filter(Boolean) ?? []),
          '-r',
          './apps/jixiao/register.js',
          'apps/server/src/main.ts',
        ],
        {
          cwd: ROOT,
          env: { ...baseEnv, SERVICE: service, PORT: String(ports[service]) },
          // BENCH_CHILD_LOG=<file>: the services' JSON logs (errors only) go there instead of nowhere
          stdio: [
            'ignore',
            process.env.BENCH_CHILD_LOG ? openSync(`${process.env.BENCH_CHILD_LOG}.${service}`, 'a') : 'ignore',
            'inherit',
          ],
        },
      );
      children.push(child);
      // migrations of one schema must not race: start the next service once this one answers
      await waitHealthy(`http://127.0.0.1:${ports[service]}`);
    }
    const front = PROCESSES.find((p) => p === 'all' || p.split(',').includes('intake'));
    if (!front) throw new Error('--processes: no process runs intake');
    const url = `http://127.0.0.1:${ports[front]}`;
    const token = signToken({ sub: 'bench', role: 'submitter', regions: ['341522'] }, SECRET);

    /** Closed loop: each of the connections sends its next request as soon as its last one is answered. */
    const run = (duration: number, label: string) =>
      new Promise<LoadResult>((resolve, reject) => {
        let n = 0;
        const instance = autocannon(
          {
            url: `${url}/evaluations`,
            connections: CONNECTIONS,
            duration,
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            requests: [
              {
                setupRequest: (req) => ({ ...req, body: JSON.stringify(evaluation(`${label}|${Date.now()}|${n++}`)) }),
              },
            ],
          },
          (err, r) =>
            err
              ? reject(err)
              : resolve({ '2xx': r['2xx'], non2xx: r.non2xx, errors: r.errors, seconds: r.duration, latency: { p50: r.latency.p50, p97_5: r.latency.p97_5, p99: r.latency.p99 } }),
        );
        void instance;
      });

    /** Open loop: request i is due at i/RATE s after the start, whatever happened to the ones before it. */
    const paced = (duration: number, label: string) =>
      new Promise<LoadResult>((resolve) => {
        const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
        const target = new URL(`${url}/evaluations`);
        const total = Math.round(duration * RATE);
        const epoch = Date.now();
        const start = performance.now();
        const latencies: number[] = [];
        let ok = 0;
        let non2xx = 0;
        let errors = 0;
        let sent = 0;
        let finished = 0;
        const settle = (dueAt: number, status: number) => {
          if (status >= 200 && status < 300) ok++;
          else if (status > 0) non2xx++;
          else errors++;
          latencies.push(performance.now() - dueAt);
          if (++finished === total) {
            agent.destroy();
            latencies.sort((a, b) => a - b);
            const p = (q: number) => Math.round(percentile(latencies, q));
            const seconds = (performance.now() - start) / 1000;
            resolve({ '2xx': ok, non2xx, errors, seconds, latency: { p50: p(50), p97_5: p(97.5), p99: p(99) } });
          }
        };
        const fire = (i: number) => {
          const offset = (i * 1000) / RATE;
          const dueAt = start + offset;
          const body = JSON.stringify(evaluation(`${label}|${Math.round(epoch + offset)}|${i}`));
          const req = request(target, {
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
              authorization: `Bearer ${token}`,
            },
          });
          // each request settles once: answered, or failed before or during its response
          let settled = false;
          const once = (status: number) => {
            if (settled) return;
            settled = true;
            settle(dueAt, status);
          };
          req.on('response', (res) => {
            res.resume();
            res.on('end', () => once(res.statusCode ?? 0));
            res.on('error', () => once(0));
          });
          req.on('error', () => once(0));
          req.end(body);
        };
        const tick = () => {
          const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000) + 1);
          while (sent < due) fire(sent++);
          if (sent < total) setTimeout(tick, 1);
        };
        tick();
      });
    const load = (duration: number, label: string): Promise<LoadResult> =>
      RATE > 0 ? paced(duration, label) : run(duration, label);

    contenders.push(...contend(CONTEND));
    process.stdout.write(
      `warm-up 3 s (${MODE}, ${RATE > 0 ? `${RATE}/s paced, at most ${CONNECTIONS} in flight` : `${CONNECTIONS} connections`}` +
        `${CONTEND > 0 ? `, ${CONTEND} cores kept busy by other processes` : ''})…\n`,
    );
    await load(3, 'warm');
    process.stdout.write(`measuring ${DURATION} s…\n`);
    const pids = new Map(PROCESSES.map((p, i) => [p, children[i].pid!]));
    const cpuBefore = await cpuSnapshot(pids, pg, monitor);
    const measured = await load(DURATION, 'run');
    const accepted = measured['2xx'];
    const cpu = cpuPerSubmission(cpuBefore, await cpuSnapshot(pids, pg, monitor), accepted);
    const submitted = async () => Number((await pg.query(`SELECT count(*) AS n FROM intake_versions`)).rows[0].n);
    const scored = async () => Number((await pg.query(`SELECT count(*) AS n FROM scoring_results`)).rows[0].n);
    const total = await submitted();
    const drainStart = Date.now();
    while ((await scored()) < total && Date.now() - drainStart < 300_000) await new Promise((r) => setTimeout(r, 250));
    const drainSeconds = (Date.now() - drainStart) / 1000;

    const { rows } = await pg.query<{ project: string; scored_at: string | Date }>(
      `SELECT v.evaluation::json->>'projectName' AS project, r.scored_at
         FROM intake_versions v JOIN scoring_results r ON r.evaluation_id = v.evaluation_id`,
    );
    const latencies = rows
      .filter((r) => r.project.startsWith('run|'))
      .map((r) => new Date(r.scored_at).getTime() - Number(r.project.split('|')[1]))
      .sort((a, b) => a - b);
    const stages = await stageLatencies(pg);
    // The rest of the pipeline (not in the latency figure): how far review and publication got by now, then how long
    // review takes to catch up (has every case its score and a routing decision?) — whether it keeps pace, not only scoring.
    const count = async (sql: string) => Number((await pg.query(sql)).rows[0].n);
    const reviewScored = () => count(`SELECT count(*) AS n FROM review_cases WHERE result_id IS NOT NULL`);
    const downstream = {
      reviewInbox: await count(`SELECT count(*) AS n FROM review_inbox`),
      reviewScored: await reviewScored(),
      published: await count(`SELECT count(*) AS n FROM publication_disclosures`),
    };
    const reviewStart = Date.now();
    while ((await reviewScored()) < total && Date.now() - reviewStart < 300_000) await new Promise((r) => setTimeout(r, 250));
    const reviewDrainSeconds = (Date.now() - drainStart) / 1000;
    const figures = {
      mode: MODE,
      database: 'postgresql',
      connections: CONNECTIONS,
      offeredRate: RATE > 0 ? RATE : null,
      contendCores: CONTEND > 0 ? CONTEND : null,
      durationSeconds: DURATION,
      // paced: over the time it took to answer them all (longer than the duration when the system fell behind)
      submissionsPerSecond: Math.round((accepted / Math.max(DURATION, measured.seconds)) * 10) / 10,
      non2xx: measured.non2xx,
      errors: measured.errors,
      httpLatencyMs: { p50: measured.latency.p50, p97_5: measured.latency.p97_5, p99: measured.latency.p99 },
      submitToScoredMs: {
        count: latencies.length,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
      },
      /** Where submit → scored went, stage by stage, p50 and p95 of each (see stageLatencies). */
      stagesMs: stages,
      drainAfterLoadSeconds: Math.round(drainSeconds * 10) / 10,
      /** Seconds after the load stopped until review had recorded every evaluation's score (and routed it). */
      reviewDrainAfterLoadSeconds: Math.round(reviewDrainSeconds * 10) / 10,
      /** CPU ms per accepted submission during the measured window, by part (services by SERVICE value). */
      cpuMsPerSubmission: cpu,
      submitted: total,
      downstreamAtDrain: downstream,
      machine,
    };
    process.stdout.write(
      `submissions/s ${figures.submissionsPerSecond} (non-2xx ${figures.non2xx}); submit→scored p50 ${figures.submitToScoredMs.p50} ms, ` +
        `p95 ${figures.submitToScoredMs.p95} ms, p99 ${figures.submitToScoredMs.p99} ms over ${latencies.length} evaluations; ` +
        `scoring's backlog drained ${figures.drainAfterLoadSeconds} s after the load stopped, review's ${figures.reviewDrainAfterLoadSeconds} s\n`,
    );
    process.stdout.write(
      `stages, p50 / p95 ms: ${Object.entries(stages).map(([k, v]) => `${k} ${v.p50} / ${v.p95}`).join(', ')}\n`,
    );
    process.stdout.write(
      `CPU ms per submission: ${Object.entries(cpu.services).map(([k, v]) => `${k} ${v}`).join(', ')}, ` +
        `PostgreSQL ${cpu.postgres}, Redis ${cpu.redis}, load generator ${cpu.load}; total ${cpu.total}\n`,
    );
    process.stdout.write(`${JSON.stringify(figures)}\n`);
  } finally {
    for (const c of contenders) c.kill('SIGKILL');
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))));
    if (KEEP) process.stdout.write(`kept schema ${schema} and the queues under ${prefix}:*\n`);
    else await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
    await pg.end();
    monitor.disconnect();
    if (!KEEP) await dropPrefix(REDIS_URL, prefix);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Processes that keep `cores` cores busy (each a whole core, the last the rest of it), until killed. */
function contend(cores: number): ChildProcess[] {
  const shares: number[] = [];
  for (let left = cores; left > 1e-9; left -= 1) shares.push(Math.min(1, left));
  const loop = (share: number) =>
    share >= 1
      ? 'for (;;);'
      : `(function tick(){const end=performance.now()+${share * 10};while(performance.now()<end);setTimeout(tick,${(1 - share) * 10})})()`;
  return shares.map((share) => spawn(process.execPath, ['-e', loop(share)], { stdio: 'ignore' }));
}

main().catch((err) => {
  process.stderr.write(`bench:pipeline failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
