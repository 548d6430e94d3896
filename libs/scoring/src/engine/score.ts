import type { CanonicalEvaluation, ScoreResult } from '@jixiao/contracts';
import type { ResolvedRuleSet } from '../rule-set/rule-set.schema';
import { runNaive } from '../rules-engine';
import { prepareRuleSet, type PreparedRuleSet } from './prepared-rule-set';
import type { Facts, RuleEvent } from './rule-requests';
import { scoreFlow, type ScoreOptions } from './score-flow';

/**
 * Scores one (already validated) evaluation under an effective rule set. Synchronous, pure and
 * deterministic: the rule set's json-rules-engine rules run through evaluators compiled once per rule set.
 */
export function score(evaluation: CanonicalEvaluation, ruleSet: ResolvedRuleSet, options?: ScoreOptions): ScoreResult {
  const prep = prepareRuleSet(ruleSet);
  const flow = scoreFlow(evaluation, prep, options);
  let step = flow.next();
  while (!step.done) {
    const { kind, facts } = step.value;
    step = flow.next(kind === 'tier' ? tierEvents(prep, facts) : prep.compiled[kind].run(facts));
  }
  return step.value;
}

const TIER_CACHE_LIMIT = 20_000;

/**
 * Tier rules see four facts only, and the same phrases recur across forms ("达成预期指标" at full marks), so
 * their compiled result is memoised per rule set by those facts.
 */
function tierEvents(prep: PreparedRuleSet, facts: Facts): RuleEvent[] {
  // actualEqualsTarget follows from actual and target, so three keys suffice
  const cache = prep.tierCache;
  const actual = facts.actual as string;
  let byTarget = cache.get(actual);
  if (byTarget === undefined) {
    if (cache.size >= TIER_CACHE_LIMIT) cache.clear();
    cache.set(actual, (byTarget = new Map()));
  }
  let byRatio = byTarget.get(facts.target as string);
  if (byRatio === undefined) byTarget.set(facts.target as string, (byRatio = new Map()));
  const ratio = facts.reportedRatio as number | null;
  let events = byRatio.get(ratio);
  if (events === undefined) {
    events = prep.compiled.tier.run(facts);
    byRatio.set(ratio, events);
  }
  return events;
}

/**
 * The same scoring with every rule evaluation done by json-rules-engine itself, per evaluation. It is the
 * reference the compiled path is checked against, and the baseline of the benchmark; not for production.
 */
export async function scoreNaive(
  evaluation: CanonicalEvaluation,
  ruleSet: ResolvedRuleSet,
  options?: ScoreOptions,
): Promise<ScoreResult> {
  const prep = prepareRuleSet(ruleSet);
  const flow = scoreFlow(evaluation, prep, options);
  let step = flow.next();
  while (!step.done) step = flow.next(await runNaive(prep.rules[step.value.kind], step.value.facts));
  return step.value;
}
