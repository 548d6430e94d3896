import type { DataSource, EntityManager } from 'typeorm';
import type { ScoreResult } from '@jixiao/contracts';
import { dialectOf } from '@jixiao/persistence';
import { ruleSetFromSnapshot, score, type ResolvedRuleSet } from '@jixiao/scoring';
import type { ReviewCase } from './review-case.entity';
import { ReviewDetail } from './review-detail.entity';
import { REVIEW_TABLES } from './review-tables';

const T = REVIEW_TABLES.ruleSnapshots;

type Cited = Pick<ReviewCase, 'ruleSetId' | 'ruleSetVersion' | 'ruleSetHash'>;

const keyOf = (id: string, version: number, hash: string) => `${id}|${version}|${hash}`;
const citedKey = (c: Cited) => keyOf(c.ruleSetId!, c.ruleSetVersion!, c.ruleSetHash!);

/**
 * The details with the full breakdown (per-indicator scores with explanations, findings with messages) of each
 * case's current score. Scores on submission arrive as figures only; their breakdown is recomputed here from the
 * evaluation and the effective rules the score cites (`review_rule_snapshots`, from scoring's
 * `scoring.ruleset.snapshot.v1`): scoring is deterministic given both. A detail that already holds the current
 * score's breakdown (a score that came with its result, as scores did before they travelled as figures) is kept as
 * it is, and so is one that cannot be recomputed (no evaluation yet, no snapshot, or a recomputed total that is not
 * the score's): it shows the breakdown it has, if any, marked as another score's.
 */
export async function withBreakdowns(
  manager: EntityManager,
  items: ReadonlyArray<{ case: ReviewCase; detail: ReviewDetail | null }>,
): Promise<Array<ReviewDetail | null>> {
  const due = items.filter(({ case: c, detail }) => needsBreakdown(c, detail));
  if (due.length === 0) return items.map((i) => i.detail);
  const rules = await snapshotsOf(
    manager,
    due.map((i) => i.case),
  );
  return items.map(({ case: c, detail }) => {
    if (!needsBreakdown(c, detail)) return detail;
    const ruleSet = rules.get(citedKey(c));
    if (!ruleSet) return detail;
    const result = recompute(c, detail!, ruleSet);
    if (!result) return detail;
    return Object.assign(new ReviewDetail(), detail, { resultId: c.resultId, scoreResult: result });
  });
}

/** withBreakdowns for one case. */
export async function withBreakdown(
  manager: EntityManager,
  c: ReviewCase,
  detail: ReviewDetail | null,
): Promise<ReviewDetail | null> {
  return (await withBreakdowns(manager, [{ case: c, detail }]))[0];
}

function needsBreakdown(c: ReviewCase, detail: ReviewDetail | null): boolean {
  if (!c.resultId || !c.ruleSetId || c.ruleSetVersion === null || !c.ruleSetHash || !detail?.evaluation) return false;
  return !(detail.scoreResult && detail.resultId === c.resultId);
}

/** The score again, with explanations; null if it does not come out as the case recorded it. */
function recompute(c: ReviewCase, detail: ReviewDetail, ruleSet: ResolvedRuleSet): ScoreResult | null {
  let result: ScoreResult;
  try {
    result = score({ ...detail.evaluation!, region: c.region, fiscalYear: c.fiscalYear }, ruleSet, { explain: true });
  } catch {
    return null;
  }
  return result.computed.total === c.total && result.computed.grade === c.grade ? result : null;
}

/** Parsed and checked snapshots by data source and key (they never change): a process reads and checks each once. */
const parsedBySource = new WeakMap<DataSource, Map<string, ResolvedRuleSet>>();
const MAX_PARSED = 256;

async function snapshotsOf(manager: EntityManager, cases: readonly Cited[]): Promise<Map<string, ResolvedRuleSet>> {
  let parsed = parsedBySource.get(manager.connection);
  if (!parsed) parsedBySource.set(manager.connection, (parsed = new Map()));
  const found = new Map<string, ResolvedRuleSet>();
  const wanted = new Set<string>();
  for (const c of cases) {
    const key = citedKey(c);
    const hit = parsed.get(key);
    if (hit) found.set(key, hit);
    else wanted.add(c.ruleSetHash!);
  }
  if (wanted.size === 0) return found;
  const hashes = [...wanted];
  const pg = dialectOf(manager) === 'postgres';
  const rows: Array<{ rule_set_id: string; rule_set_version: unknown; hash: string; content: string }> =
    await manager.query(
      `SELECT rule_set_id, rule_set_version, hash, content FROM ${T} WHERE hash ${
        pg ? '= ANY($1::varchar[])' : `IN (${hashes.map(() => '?').join(', ')})`
      }`,
      pg ? [hashes] : hashes,
    );
  for (const row of rows) {
    const key = keyOf(row.rule_set_id, Number(row.rule_set_version), row.hash);
    let ruleSet: ResolvedRuleSet;
    try {
      // checked: its rules must hash to the hash the scores cite
      ruleSet = ruleSetFromSnapshot(row.content);
    } catch {
      continue;
    }
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(key, ruleSet);
    found.set(key, ruleSet);
  }
  return found;
}
