/**
 * Driving a re-scoring run through the scoring service's HTTP API (upload a changed rule set as a draft, activate
 * it, poll the run), and reading what the run wrote from the database: results, audit records and outbox events.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from 'pg';
import { decompressPayload, GZIP_BASE64 } from '@jixiao/messaging';

export interface RunStatus {
  id: string;
  kind: string;
  status: 'planning' | 'running' | 'cancelled' | 'completed' | 'failed';
  total: number | null;
  done: number;
  rescored: number;
  changed: number;
  chunks: { total: number | null; done: number };
  ratePerSecond: number | null;
  etaSeconds: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  report: unknown;
}

/** What a run left in the database. */
export interface RunOutputs {
  /** scoring_results rows with this rescoring_run_id. */
  results: number;
  /** scoring_audit records that name the run (per evaluation re-scored, and the run's own). */
  auditRecords: number;
  /** scoring_outbox events that name the run, all names together, and by name. */
  events: number;
  eventsByName: Record<string, number>;
}

async function call<T>(
  method: string,
  url: string,
  token: string,
  body?: unknown,
): Promise<{ status: number; body: T; text: string }> {
  const res = await fetch(url, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body: parsed as T, text };
}

interface RuleFile {
  version: number;
  grades: Array<{ name: string; conditions: { all: Array<{ fact: string; operator: string; value: unknown }> } }>;
  checks: Array<{ name: string; scope: string; conditions: { all?: Array<{ fact: string; value: unknown }> } }>;
}

/**
 * rules/CN.json changed the way a national notice might change it, in two places every region inherits one of:
 * - the 优 cutoff from 90 to `cutoff` (良's upper bound with it): the grade changes for totals between 90 and the
 *   cutoff wherever the region keeps the national bands (灵寿 has bands of its own);
 * - the tolerance of 填报执行率与金额不符 from 0.5 to 1 percentage point: no region overrides the checks, so every
 *   evaluation's effective rules change and every one of them is re-scored.
 */
export function changedCn(rulesDir: string, cutoff = 92): Record<string, unknown> {
  const cn = JSON.parse(readFileSync(join(rulesDir, 'CN.json'), 'utf8')) as RuleFile;
  for (const g of cn.grades)
    for (const c of g.conditions.all)
      if (c.fact === 'total' && c.value === 90 && (g.name === '优' || g.name === '良')) c.value = cutoff;
  for (const check of cn.checks)
    if (check.scope === 'evaluation')
      for (const c of check.conditions.all ?? []) if (c.fact === 'rateDifference' && c.value === 0.5) c.value = 1;
  return { ...cn, version: cn.version + 1 };
}

/** Uploads `body` as a draft of rule set `id` and activates it; returns the run it started. */
export async function activateChange(
  baseUrl: string,
  token: string,
  id: string,
  body: unknown,
  reason: string,
): Promise<{ version: number; runId: string; hash: string; activateStartedAt: number }> {
  const draft = await call<{ version: number; hash: string }>(
    'POST',
    `${baseUrl}/rule-sets/${id}/versions`,
    token,
    body,
  );
  if (draft.status !== 201) throw new Error(`upload of a ${id} draft: HTTP ${draft.status} ${draft.text}`);
  const activateStartedAt = performance.now();
  const act = await call<{ version: number; runId: string }>(
    'POST',
    `${baseUrl}/rule-sets/${id}/versions/${draft.body.version}/activate`,
    token,
    { reason },
  );
  if (act.status !== 202 || !act.body.runId)
    throw new Error(`activation of ${id} v${draft.body.version}: HTTP ${act.status} ${act.text}`);
  return { version: draft.body.version, hash: draft.body.hash, runId: act.body.runId, activateStartedAt };
}

export async function getRun(baseUrl: string, token: string, runId: string): Promise<RunStatus> {
  const r = await call<RunStatus>('GET', `${baseUrl}/rescoring-runs/${runId}`, token);
  if (r.status !== 200) throw new Error(`GET /rescoring-runs/${runId}: HTTP ${r.status} ${r.text}`);
  return r.body;
}

/**
 * An outbox row of the run ($1, $2: `namesRunParams`): its payload names the run, or, stored compressed (a chunk's
 * large event), its correlation id is the run's.
 */
const NAMES_RUN =
  '(payload_encoding IS NULL AND payload LIKE $1) OR (payload_encoding IS NOT NULL AND correlation_id = $2)';
const namesRunParams = (runId: string) => [`%"${runId}"%`, runId];

/** Counts what the run wrote (committed rows only: this is another connection). */
export async function runOutputs(pg: Client, runId: string): Promise<RunOutputs> {
  const n = async (sql: string, params: unknown[]) => Number((await pg.query<{ n: string }>(sql, params)).rows[0].n);
  const results = await n(`SELECT count(*) AS n FROM scoring_results WHERE rescoring_run_id = $1`, [runId]);
  const auditRecords = await n(`SELECT count(*) AS n FROM scoring_audit WHERE reason LIKE $1 OR entity_id = $2`, [
    `%${runId}%`,
    runId,
  ]);
  const { rows } = await pg.query<{ name: string; n: string }>(
    `SELECT name, count(*) AS n FROM scoring_outbox WHERE ${NAMES_RUN} GROUP BY name ORDER BY name`,
    namesRunParams(runId),
  );
  const eventsByName = Object.fromEntries(rows.map((r) => [r.name, Number(r.n)]));
  const events = rows.reduce((s, r) => s + Number(r.n), 0);
  return { results, auditRecords, events, eventsByName };
}

/** Evaluations whose grade under the run's result differs from their grade before (their seeded result). */
export async function changedGrades(pg: Client, runId: string): Promise<number> {
  const { rows } = await pg.query<{ n: string }>(
    `SELECT count(*) AS n
       FROM scoring_results n
       JOIN scoring_results o ON o.evaluation_id = n.evaluation_id AND o.rescoring_run_id IS NULL
      WHERE n.rescoring_run_id = $1 AND n.grade IS DISTINCT FROM o.grade`,
    [runId],
  );
  return Number(rows[0].n);
}

/**
 * Items carried by the run's `scoring.evaluations.rescored.v1` events, and how many distinct evaluations they name
 * (each evaluation whose rules changed must appear exactly once however often a chunk was retried).
 */
export async function rescoredEventItems(pg: Client, runId: string): Promise<{ items: number; distinct: number }> {
  const ids = new Set<string>();
  let items = 0;
  let after = 0;
  for (;;) {
    // a few payloads at a time (a chunk's is ~1.4 MB of JSON): compressed ones are read back here
    const { rows } = await pg.query<{ id: string; payload: string; payload_encoding: string | null }>(
      `SELECT id, payload, payload_encoding FROM scoring_outbox
        WHERE name = 'scoring.evaluations.rescored.v1' AND id > $3 AND (${NAMES_RUN})
        ORDER BY id LIMIT 50`,
      [...namesRunParams(runId), after],
    );
    if (rows.length === 0) return { items, distinct: ids.size };
    for (const row of rows) {
      if (row.payload_encoding !== null && row.payload_encoding !== GZIP_BASE64)
        throw new Error(`outbox row ${row.id}: unknown payload_encoding ${row.payload_encoding}`);
      const json = row.payload_encoding === GZIP_BASE64 ? await decompressPayload(row.payload) : row.payload;
      const payload = JSON.parse(json) as { runId: string; items: Array<{ evaluationId: string }> };
      if (payload.runId !== runId) continue;
      for (const item of payload.items) ids.add(item.evaluationId);
      items += payload.items.length;
    }
    after = Number(rows[rows.length - 1].id);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls the run every `everyMs` until it is completed and its results are all committed (as many result rows as
 * the run says it re-scored), or it failed / was cancelled (thrown). `onPoll` sees each status (progress output,
 * RSS sampling, a crash injected part-way). `observedAt` is when the status that showed it finished was received:
 * the moment to stop a clock (not after the counting, which on a million rows takes seconds of its own). Audit
 * records and events are committed with the results they belong to: count them with runOutputs afterwards.
 */
export async function waitForRun(
  baseUrl: () => string,
  token: string,
  pg: Client,
  runId: string,
  opts: {
    everyMs?: number;
    timeoutMs: number;
    onPoll?: (s: RunStatus) => void | Promise<void>;
    /** Says why waiting is pointless (every scoring process died), or null to go on. */
    fatal?: () => string | null;
  },
): Promise<{ status: RunStatus; observedAt: number }> {
  const deadline = Date.now() + opts.timeoutMs;
  let last: RunStatus | null = null;
  for (;;) {
    const fatal = opts.fatal?.();
    if (fatal) throw new Error(`run ${runId}: ${fatal} (last: ${JSON.stringify(last)})`);
    let status: RunStatus | null = null;
    try {
      status = await getRun(baseUrl(), token, runId);
    } catch (err) {
      // a process being killed or restarted by the test: ask again (another one, or the same once it is back)
      if (Date.now() > deadline) throw err;
    }
    const observedAt = performance.now();
    if (status) {
      last = status;
      await opts.onPoll?.(status);
      if (status.status === 'failed' || status.status === 'cancelled')
        throw new Error(`run ${runId} ${status.status}: ${status.error ?? ''}`);
      if (status.status === 'completed') {
        const { rows } = await pg.query<{ n: string }>(
          `SELECT count(*) AS n FROM scoring_results WHERE rescoring_run_id = $1`,
          [runId],
        );
        if (Number(rows[0].n) >= status.rescored) return { status, observedAt };
      }
    }
    if (Date.now() > deadline)
      throw new Error(`run ${runId} not completed after ${opts.timeoutMs} ms (last: ${JSON.stringify(last)})`);
    await sleep(opts.everyMs ?? 250);
  }
}
