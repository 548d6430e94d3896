/**
 * Seeds the scoring service's tables with synthetic evaluations already scored, as if each had come through the
 * inbox: `scoring_evaluations` rows (current_* from the result) and `scoring_results` rows made by the service's own
 * `scoreRecord` (the figures, as scoring stores them), scored by the real engine under the rules/ registry. The API path would take
 * hours for a million; COPY FROM STDIN takes the rows as fast as PostgreSQL can store them.
 *
 * Memory stays bounded: rows are generated, scored and written a batch at a time, each COPY stream's back-pressure
 * respected, so a million evaluations need no more than a few batches in memory.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { loadRuleSets, score, type RuleSetRegistry } from '@jixiao/scoring';
import { RESULT_COLUMNS, resultId as resultIdOf, scoreRecord, type ScoreRecord } from '../../apps/scoring/src/domain/score-record';
import { encodeStoredEvaluation } from '../../apps/scoring/src/persistence/stored-evaluation';
import { syntheticEvaluation } from './rescore-data';

export const EVALUATION_SEED_COLUMNS = [
  'evaluation_id',
  'submission_id',
  'submission_version',
  'region',
  'fiscal_year',
  'form_type',
  'evaluation',
  'received_at',
  'current_result_id',
  'current_rule_set_id',
  'current_rule_set_version',
  'current_hash',
  'current_total',
  'current_grade',
  'current_routing',
  'current_scored_at',
] as const;

export interface SeedOptions {
  pgUrl: string;
  schema: string;
  count: number;
  /** The synthetic population (same seed, same rows). */
  seed?: number;
  /** Id tag: evaluations are `ev_<tag>_<index>`. */
  tag?: string;
  /** First index (to add to an already seeded population). */
  from?: number;
  rulesDir?: string;
  registry?: RuleSetRegistry;
  /** Rows per write to the COPY streams. */
  batch?: number;
  /** When the seeded evaluations were received and scored (one instant for all). */
  scoredAt?: string;
  onProgress?: (done: number) => void;
}

export interface SeedSummary {
  count: number;
  seconds: number;
  /** Seeded evaluations per effective rule set id. */
  byRuleSet: Record<string, number>;
}

/** One value in COPY text format (`\N` for null; backslash, tab and line breaks escaped). */
export function copyField(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]) : s;
}
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

export function copyLine(values: readonly unknown[]): string {
  let line = '';
  for (let i = 0; i < values.length; i++) line += (i ? '\t' : '') + copyField(values[i]);
  return `${line}\n`;
}

/**
 * The service's `scoreRecord`, whichever of its signatures is in the tree: the one that takes the result id, or the
 * one that derives it from the evaluation and the rule-set hash (the extra option is then ignored). The row's own
 * id is what the evaluation's current result points at.
 */
const record = scoreRecord as (
  received: Parameters<typeof scoreRecord>[0],
  result: Parameters<typeof scoreRecord>[1],
  opts: { resultId: string; scoredAt: string; rescoringRunId: null; includeResult: boolean; compact: boolean },
) => ScoreRecord;

async function write(stream: Writable, chunk: string): Promise<void> {
  if (!stream.write(chunk)) await once(stream, 'drain');
}

async function finish(stream: Writable): Promise<void> {
  const done = once(stream, 'finish');
  stream.end();
  await done;
}

export async function seedEvaluations(opts: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const registry = opts.registry ?? loadRuleSets(opts.rulesDir ?? 'rules');
  const seed = opts.seed ?? 1;
  const tag = opts.tag ?? 's';
  const from = opts.from ?? 0;
  const batch = opts.batch ?? 2_000;
  const scoredAt = opts.scoredAt ?? new Date(Date.now() - 86_400_000).toISOString();
  const receivedAt = scoredAt;
  const byRuleSet: Record<string, number> = {};

  const connect = async () => {
    // the server's default TOAST compression, as the service's own writes get (lz4 would seed faster but store
    // the evaluations differently from the way the service stores them)
    const c = new Client({ connectionString: opts.pgUrl, options: `-c search_path=${opts.schema}` });
    await c.connect();
    return c;
  };
  const [evClient, resClient] = await Promise.all([connect(), connect()]);
  try {
    const evStream = evClient.query(
      copyFrom(`COPY scoring_evaluations (${EVALUATION_SEED_COLUMNS.join(', ')}) FROM STDIN`),
    );
    const resStream = resClient.query(copyFrom(`COPY scoring_results (${RESULT_COLUMNS.join(', ')}) FROM STDIN`));
    // a failed COPY errors its stream: surface it instead of waiting for a drain that never comes
    const failed = new Promise<never>((_, reject) => {
      evStream.once('error', reject);
      resStream.once('error', reject);
    });
    failed.catch(() => undefined);

    for (let start = from; start < from + opts.count; start += batch) {
      const end = Math.min(from + opts.count, start + batch);
      let evChunk = '';
      let resChunk = '';
      for (let i = start; i < end; i++) {
        const s = syntheticEvaluation(registry, seed, i, tag);
        const result = score(s.evaluation, registry.resolve(s.region, s.fiscalYear), { explain: false });
        const { row } = record(s, result, {
          resultId: resultIdOf(s.evaluationId, result.ruleSet.hash),
          scoredAt,
          rescoringRunId: null,
          includeResult: false,
          // the figures, as scoring stores a result (older trees ignore the option and store the result whole)
          compact: true,
        });
        const resultId = row[RESULT_COLUMNS.indexOf('id')];
        byRuleSet[result.ruleSet.id] = (byRuleSet[result.ruleSet.id] ?? 0) + 1;
        resChunk += copyLine(row);
        evChunk += copyLine([
          s.evaluationId,
          s.submissionId,
          s.version,
          s.region,
          s.fiscalYear,
          s.formType,
          encodeStoredEvaluation(s.evaluation),
          receivedAt,
          resultId,
          result.ruleSet.id,
          result.ruleSet.version,
          result.ruleSet.hash,
          result.computed.total,
          result.computed.grade,
          result.routing.decision,
          scoredAt,
        ]);
      }
      await Promise.race([Promise.all([write(evStream, evChunk), write(resStream, resChunk)]), failed]);
      opts.onProgress?.(end - from);
    }
    await Promise.race([Promise.all([finish(evStream), finish(resStream)]), failed]);
  } finally {
    await Promise.all([evClient.end(), resClient.end()]);
  }
  return { count: opts.count, seconds: (performance.now() - started) / 1000, byRuleSet };
}
