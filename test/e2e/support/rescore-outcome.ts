import { Client } from 'pg';
import { loadRuleSets } from '@jixiao/scoring';
import { PG_URL, ROOT, ScoringCluster } from '../../../bench/support/rescore-cluster';
import {
  activateChange,
  changedCn,
  changedGrades,
  rescoredEventItems,
  runOutputs,
  type RunStatus,
  waitForRun,
} from '../../../bench/support/rescore-run';
import { seedEvaluations } from '../../../bench/support/rescore-seed';

const RULES = `${ROOT}/rules`;

/** Everything a finished re-scoring run left behind that a clean run and a disturbed one must agree on. */
export interface RescoreOutcome {
  runId: string;
  rescored: number;
  changed: number;
  results: number;
  auditRecords: number;
  /** Audit records of evaluations re-scored by the run, and how many distinct evaluations they name. */
  evaluationAudit: { records: number; evaluations: number };
  events: number;
  eventsByName: Record<string, number>;
  eventItems: { items: number; distinct: number };
  changedGrades: number;
  /** Evaluations whose current result is now one the run wrote. */
  currentFromRun: number;
  /** Seeded (rule set, hash) pairs the service's active rule sets do not have: the seed scored under other rules. */
  seedMismatches: string[];
  /** md5 over every result of the run (id, grade, total, routing, finding codes): identical runs, identical digest. */
  resultsDigest: string;
}

export interface Disturbance {
  /** Called on each poll until it returns true (it did its damage). */
  during: (cluster: ScoringCluster, status: RunStatus) => Promise<boolean>;
}

/**
 * Seeds `count` synthetic evaluations (seed 7) on a fresh schema, runs two scoring processes, activates the CN
 * change and waits for the run, applying `disturbance` part-way; returns what the run left. The schema is dropped.
 */
export async function rescoreOutcome(opts: {
  label: string;
  count: number;
  redisUrl?: string;
  /** The PostgreSQL the scoring processes use (default PG_URL; the test itself always reads PG_URL). */
  databaseUrl?: string;
  disturbance?: Disturbance;
  timeoutMs?: number;
}): Promise<RescoreOutcome & { disturbed: boolean }> {
  const cluster = new ScoringCluster({
    label: opts.label,
    redisUrl: opts.redisUrl,
    logFile: process.env.RESCORE_TEST_LOG,
    extraEnv: { RESCORE_CHUNK_SIZE: '500', ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {}) },
  });
  const pg = new Client({ connectionString: PG_URL, options: `-c search_path=${cluster.schema}` });
  try {
    await cluster.add();
    await pg.connect();
    await seedEvaluations({
      pgUrl: PG_URL,
      schema: cluster.schema,
      count: opts.count,
      seed: 7,
      registry: loadRuleSets(RULES),
    });
    await cluster.add();
    const token = cluster.token('rule_admin', ['CN']);
    const active = (await (
      await fetch(`${cluster.url}/rule-sets`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as Array<{ id: string; hash: string }>;
    const activeKeys = new Set(active.map((r) => `${r.id} ${r.hash}`));
    const seeded = await pg.query<{ id: string; hash: string }>(
      `SELECT DISTINCT current_rule_set_id AS id, current_hash AS hash FROM scoring_evaluations`,
    );
    const seedMismatches = seeded.rows.map((r) => `${r.id} ${r.hash}`).filter((k) => !activeKeys.has(k));
    const { runId } = await activateChange(cluster.url, token, 'CN', changedCn(RULES), 'e2e: re-scoring under faults');
    let disturbed = !opts.disturbance;
    const { status } = await waitForRun(() => cluster.url, token, pg, runId, {
      everyMs: 100,
      timeoutMs: opts.timeoutMs ?? 150_000,
      fatal: () => cluster.unexpectedExits().join('; ') || null,
      onPoll: async (s) => {
        if (!disturbed && opts.disturbance) disturbed = await opts.disturbance.during(cluster, s);
      },
    });
    const outputs = await runOutputs(pg, runId);
    const one = async <T>(sql: string): Promise<T> => (await pg.query(sql, [runId])).rows[0] as T;
    const evaluationAudit = await one<{ records: string; evaluations: string }>(
      `SELECT count(*) AS records, count(DISTINCT entity_id) AS evaluations
         FROM scoring_audit WHERE entity_type = 'evaluation' AND reason LIKE '%' || $1 || '%'`,
    );
    const current = await one<{ n: string }>(
      `SELECT count(*) AS n FROM scoring_evaluations e JOIN scoring_results r ON r.id = e.current_result_id
        WHERE r.rescoring_run_id = $1`,
    );
    const digest = await one<{ d: string }>(
      `SELECT md5(string_agg(concat_ws('|', evaluation_id, grade, total, routing_decision, finding_codes), ',' ORDER BY evaluation_id)) AS d
         FROM scoring_results WHERE rescoring_run_id = $1`,
    );
    return {
      runId,
      disturbed,
      rescored: status.rescored,
      changed: status.changed,
      results: outputs.results,
      auditRecords: outputs.auditRecords,
      evaluationAudit: { records: Number(evaluationAudit.records), evaluations: Number(evaluationAudit.evaluations) },
      events: outputs.events,
      eventsByName: outputs.eventsByName,
      eventItems: await rescoredEventItems(pg, runId),
      changedGrades: await changedGrades(pg, runId),
      currentFromRun: Number(current.n),
      seedMismatches,
      resultsDigest: digest.d,
    };
  } finally {
    await pg.end().catch(() => undefined);
    await cluster.destroy({ keepSchema: process.env.RESCORE_KEEP_SCHEMA === '1' });
  }
}

/** The parts of an outcome that must not depend on faults (run ids differ between schemas). */
export function comparable(o: RescoreOutcome & { disturbed?: boolean }): Omit<RescoreOutcome, 'runId'> {
  const { runId: _runId, disturbed: _disturbed, ...rest } = o;
  void _runId;
  void _disturbed;
  return rest;
}
