import type { EventPayload } from '@jixiao/contracts';
import { prepareAuditEntry, Utf8Text, type PreparedAuditEntry } from '@jixiao/persistence';
import { score, type ResolvedRuleSet, type RuleSetRegistry } from '@jixiao/scoring';
import { addToSummary, type ImpactSummary } from '../domain/impact-summary';
import { SCORING_ACTOR, scoreRecord, type CurrentResult, type ScoreRecord } from '../domain/score-record';
import { decodeStoredEvaluation } from '../persistence/stored-evaluation';

type Item = EventPayload<'scoring.evaluations.rescored.v1'>['items'][number];

/** A stored evaluation with the result it currently has (one row of a chunk's query). */
export interface StoredEvaluation {
  evaluationId: string;
  submissionId: string;
  submissionVersion: number;
  region: string;
  fiscalYear: number | null;
  formType: 'project' | 'department';
  evaluation: string;
  current: CurrentResult | null;
}

export interface RescoreContext {
  runId: string;
  /** The run's rule generation: evaluations scored under a later one are left as they are. */
  generation: number;
  activated: { ruleSetId: string; version: number; by: string; reason: string | null };
  scoredAt: string;
}

export interface ChunkOutcome {
  /** What the write needs of each result: its row and the current-result pointer (not its event or audit entry). */
  records: Array<Pick<ScoreRecord, 'row' | 'current'>>;
  /**
   * The event's items, each serialised as soon as it is made and written as UTF-8 outside the heap, comma-separated
   * (the chunk's event payload wraps them): a chunk keeps neither a thousand object graphs nor a thousand strings
   * across its write, which every young-generation collection on the way would copy. Measured in memory over
   * 100,000 evaluations (`bench:rescore-cpu`), keeping the items as strings and joining them cost ~20 µs of CPU per
   * evaluation of ~150.
   */
  items: Utf8Text;
  changed: number;
  /**
   * Evaluations of the range already scored under their target rules, or under a later rule generation than the
   * run's (a later activation's run or scoring after it got there first): nothing to do.
   */
  unaffected: number;
  /**
   * Each record's evaluation's current result as read, the parts the write needs: its id (the write is a
   * compare-and-set on it) and the outcome the audit record compares with. The audit entries themselves are made
   * when the chunk is written (`rescoreAuditEntries`), from these and the records: a thousand prepared entries
   * (their reason, canonical JSON and payload hash, ~1.8 KB each) kept through the scoring would survive the young
   * generation's collections and be copied twice each; made just before they are written they die young.
   */
  previous: (PreviousOutcome | null)[];
  /** The rule sets the records were scored under (their snapshots are written with them, see RuleSnapshots). */
  ruleSets: Set<ResolvedRuleSet>;
}

type PreviousOutcome = Pick<CurrentResult, 'resultId' | 'total' | 'grade' | 'routing'>;

/** The rules an evaluation gets under the run's registry, or null when none apply (it is left as it is). */
function targetOf(registry: RuleSetRegistry, e: StoredEvaluation) {
  try {
    return registry.resolve(e.region, e.fiscalYear);
  } catch {
    return null;
  }
}

/** The stored evaluation as scoring reads it (parsed once per evaluation, scored once or twice). */
function readStored(e: StoredEvaluation) {
  return { ...decodeStoredEvaluation(e.evaluation), region: e.region, fiscalYear: e.fiscalYear };
}

function newer(e: StoredEvaluation, generation: number): boolean {
  return e.current !== null && e.current.generation !== null && e.current.generation > generation;
}

function outcomeChanged(prev: CurrentResult | null, next: CurrentResult): boolean {
  return !prev || prev.total !== next.total || prev.grade !== next.grade || prev.routing !== next.routing;
}

function describe(prev: PreviousOutcome | null, next: CurrentResult): string {
  if (!prev) return `总分 ${next.total ?? '—'}, 等级 ${next.grade ?? '—'}`;
  const parts = [`总分 ${prev.total ?? '—'} → ${next.total ?? '—'}`, `等级 ${prev.grade ?? '—'} → ${next.grade ?? '—'}`];
  if (prev.routing !== next.routing) parts.push(`审核路由 ${prev.routing} → ${next.routing}`);
  return parts.join(', ');
}

/**
 * A chunk's `scoring.evaluations.rescored.v1` payload as UTF-8 JSON, its fields in the contract's order, the items as
 * serialised when they were made (built from scoring's own typed results; every consumer validates it on receipt).
 */
export function rescoredPayload(
  head: { runId: string; chunk: number; activated: { ruleSetId: string; version: number }; scoredAt: string },
  items: Utf8Text,
): Buffer {
  const j = JSON.stringify;
  return items.toBuffer(
    `{"runId":${j(head.runId)},"chunk":${j(head.chunk)},` +
      `"activated":${j({ ruleSetId: head.activated.ruleSetId, version: head.activated.version })},` +
      `"scoredAt":${j(head.scoredAt)},"items":[`,
    ']}',
  );
}

export function emptyOutcome(): ChunkOutcome {
  return { records: [], items: new Utf8Text(',', 256 * 1024), changed: 0, unaffected: 0, previous: [], ruleSets: new Set() };
}

/**
 * A run scores each evaluation once: the engine's memo of rows by cell texts would cost more than it saves
 * (ScoreOptions.memo).
 */
const FIGURES = { memo: false, explain: false } as const;

/**
 * Re-scores the evaluations of a chunk whose effective rules under the run's registry differ from those of their
 * current result, adding to `out` (so a caller can go slice by slice; pure: the caller writes). Results and the
 * event's items carry figures only, even where the outcome changed: review recomputes the breakdown of those it
 * sends back to a reviewer or on to publication. Scoring each changed one again with explanations here cost ~10–20
 * µs per evaluation of the whole run (~7% changed in the bench) and made their items ~10 KB instead of ~0.8.
 */
export function rescoreChunk(
  rows: readonly StoredEvaluation[],
  registry: RuleSetRegistry,
  ctx: RescoreContext,
  out: ChunkOutcome = emptyOutcome(),
): ChunkOutcome {
  for (const e of rows) {
    const target = targetOf(registry, e);
    if (!target || target.hash === e.current?.hash || newer(e, ctx.generation)) {
      out.unaffected += 1;
      continue;
    }
    out.ruleSets.add(target);
    const evaluation = readStored(e);
    const result = score(evaluation, target, FIGURES);
    const r = scoreRecord(
      { ...e, version: e.submissionVersion },
      result,
      { scoredAt: ctx.scoredAt, rescoringRunId: ctx.runId, compact: true, generation: ctx.generation },
    );
    const prev = e.current;
    const changed = outcomeChanged(prev, r.current);
    if (changed) out.changed += 1;
    const item: Item = {
      ...r.event,
      previous: prev
        ? {
            resultId: prev.resultId,
            ruleSet: { id: prev.ruleSetId, version: prev.ruleSetVersion, hash: prev.hash },
            total: prev.total,
            grade: prev.grade,
            routing: prev.routing,
          }
        : null,
    };
    out.records.push({ row: r.row, current: r.current });
    out.previous.push(prev ? { resultId: prev.resultId, total: prev.total, grade: prev.grade, routing: prev.routing } : null);
    out.items.append(JSON.stringify(item));
  }
  return out;
}

/**
 * The audit entries of a chunk's records (one per re-scored evaluation, in order): why it was re-scored (the
 * activation, its actor and reason), what changed, under which rules; the payload names the result, the rules, the
 * outcome, the result replaced and the run.
 */
export function rescoreAuditEntries(out: Pick<ChunkOutcome, 'records' | 'previous'>, ctx: RescoreContext): PreparedAuditEntry[] {
  const a = ctx.activated;
  const why =
    `规则集 ${a.ruleSetId} v${a.version} 启用后重新评分 (re-scoring run ${ctx.runId}, activated by ${a.by}` +
    `${a.reason ? `: ${a.reason}` : ''}): `;
  return out.records.map(({ current: c }, i) => {
    const prev = out.previous[i];
    return prepareAuditEntry(
      {
        actor: SCORING_ACTOR,
        entityType: 'evaluation',
        entityId: c.evaluationId,
        action: 're-scored',
        fromState: 'scored',
        toState: 'scored',
        reason: `${why}${describe(prev, c)}; rules ${c.ruleSetId} v${c.ruleSetVersion} ${c.hash}`,
        payload: {
          resultId: c.resultId,
          ruleSet: { id: c.ruleSetId, version: c.ruleSetVersion, hash: c.hash },
          total: c.total,
          grade: c.grade,
          routing: c.routing,
          previousResultId: prev?.resultId ?? null,
          runId: ctx.runId,
        },
        at: ctx.scoredAt,
      },
      ctx.scoredAt,
    );
  });
}

/** The what-if of a chunk: the same re-scoring, summarised, nothing written. */
export function previewChunk(rows: readonly StoredEvaluation[], registry: RuleSetRegistry, summary: ImpactSummary): number {
  let unaffected = 0;
  for (const e of rows) {
    const target = targetOf(registry, e);
    if (!target || target.hash === e.current?.hash) {
      unaffected += 1;
      continue;
    }
    const result = score(readStored(e), target, FIGURES);
    addToSummary(summary, {
      evaluationId: e.evaluationId,
      region: e.region,
      fiscalYear: e.fiscalYear,
      unit: result.unitName,
      project: result.projectName,
      oldTotal: e.current?.total ?? null,
      newTotal: result.computed.total,
      oldGrade: e.current?.grade ?? null,
      newGrade: result.computed.grade,
      oldRouting: e.current?.routing ?? null,
      newRouting: result.routing.decision,
    });
  }
  return unaffected;
}
