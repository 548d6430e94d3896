import type { CanonicalEvaluation, ScoreResult } from '@jixiao/contracts';
import type { ResolvedRuleSet } from '../rule-set/rule-set.schema';
import { runNaive } from '../rules-engine';
import { prepareRuleSet, type PreparedRuleSet } from './prepared-rule-set';
import type { Facts, RuleEvent } from './rule-requests';
import type { ScoreOptions } from './score-options';
import { ScoringRun } from './scoring-run';

/**
 * Scores one (already validated) evaluation under an effective rule set. Synchronous, pure and
 * deterministic: the rule set's json-rules-engine rules run through evaluators compiled once per rule set.
 */
export function score(evaluation: CanonicalEvaluation, ruleSet: ResolvedRuleSet, options?: ScoreOptions): ScoreResult {
  const prep = prepareRuleSet(ruleSet);
  const c = prep.compiled;
  const memo = options?.memo !== false;
  const run = new ScoringRun(evaluation, prep, options, memo);
  const tiers = run.tierRequests();
  const tierAnswers: RuleEvent[][] = new Array(tiers.length);
  for (let i = 0; i < tiers.length; i++) tierAnswers[i] = memo ? tierEvents(prep, tiers[i]) : c.tier.run(tiers[i]);
  run.applyTiers(tierAnswers);
  const grades = run.gradeRequests();
  const gradeAnswers: RuleEvent[][] = new Array(grades.length);
  for (let i = 0; i < grades.length; i++) gradeAnswers[i] = c.grade.run(grades[i]);
  run.applyGrades(gradeAnswers);
  const q = run.checkRequests();
  const indicator: (RuleEvent[] | undefined)[] = q.indicator.length === 0 ? [] : new Array(q.indicator.length);
  for (let i = 0; i < q.indicator.length; i++) {
    const f = q.indicator[i];
    indicator[i] = f === null ? undefined : c.indicator.run(f);
  }
  run.applyChecks({
    evaluation: q.evaluation === null ? [] : c.evaluation.run(q.evaluation),
    indicator,
    section: runAll(c.section, q.section),
    project: runAll(c.project, q.project),
  });
  run.applyRouting(c.routing.run(run.routingRequest()));
  return run.result();
}

/**
 * The same scoring with every rule evaluation done by json-rules-engine itself, per evaluation (no memory
 * between evaluations). It is the reference the compiled path is checked against, and the benchmark's
 * baseline; not for production.
 */
export async function scoreNaive(
  evaluation: CanonicalEvaluation,
  ruleSet: ResolvedRuleSet,
  options?: ScoreOptions,
): Promise<ScoreResult> {
  const prep = prepareRuleSet(ruleSet);
  const r = prep.rules;
  const all = async (rules: (typeof r)['grade'], facts: Facts[]) => {
    const out: RuleEvent[][] = [];
    for (const f of facts) out.push(await runNaive(rules, f));
    return out;
  };
  const run = new ScoringRun(evaluation, prep, options, false);
  run.applyTiers(await all(r.tier, run.tierRequests()));
  run.applyGrades(await all(r.grade, run.gradeRequests()));
  const q = run.checkRequests();
  run.applyChecks({
    evaluation: q.evaluation === null ? [] : await runNaive(r.evaluation, q.evaluation),
    indicator: await Promise.resolve(q.indicator).then(async (fs) => {
      const out: (RuleEvent[] | undefined)[] = [];
      for (const f of fs) out.push(f === null ? undefined : await runNaive(r.indicator, f));
      return out;
    }),
    section: await all(r.section, q.section),
    project: await all(r.project, q.project),
  });
  run.applyRouting(await runNaive(r.routing, run.routingRequest()));
  return run.result();
}

function runAll(rules: PreparedRuleSet['compiled']['grade'], facts: Facts[]): RuleEvent[][] {
  const out: RuleEvent[][] = new Array(facts.length);
  for (let i = 0; i < facts.length; i++) out[i] = rules.run(facts[i]);
  return out;
}

/** Tier results kept per rule set, counted over all levels of the cache (emptied when full). */
const TIER_CACHE_LIMIT = 4_000;

/**
 * Tier rules see four facts only, and the same phrases recur across forms ("达成预期指标" at full marks), so
 * their compiled result is memoised per rule set by those facts.
 */
function tierEvents(prep: PreparedRuleSet, facts: Facts): RuleEvent[] {
  // actualEqualsTarget follows from actual and target, so three keys suffice
  const cache = prep.tierCache;
  const actual = facts.actual as string;
  if (prep.tierCount >= TIER_CACHE_LIMIT) {
    cache.clear();
    prep.tierCount = 0;
  }
  let byTarget = cache.get(actual);
  if (byTarget === undefined) cache.set(actual, (byTarget = new Map()));
  let byRatio = byTarget.get(facts.target as string);
  if (byRatio === undefined) byTarget.set(facts.target as string, (byRatio = new Map()));
  const ratio = facts.reportedRatio as number | null;
  let events = byRatio.get(ratio);
  if (events === undefined) {
    events = prep.compiled.tier.run(facts);
    prep.tierCount++;
    byRatio.set(ratio, events);
  }
  return events;
}
