import type { CanonicalEvaluation, ScoreResult } from '@jixiao/contracts';
import type { ResolvedRuleSet } from '../rule-set/rule-set.schema';
import { runNaive } from '../rules-engine';
import { prepareRuleSet } from './prepared-rule-set';
import { scoreFlow, type ScoreOptions } from './score-flow';

/**
 * Scores one (already validated) evaluation under an effective rule set. Synchronous, pure and
 * deterministic: the rule set's json-rules-engine rules run through evaluators compiled once per rule set.
 */
export function score(evaluation: CanonicalEvaluation, ruleSet: ResolvedRuleSet, options?: ScoreOptions): ScoreResult {
  const prep = prepareRuleSet(ruleSet);
  const flow = scoreFlow(evaluation, prep, options);
  let step = flow.next();
  while (!step.done) step = flow.next(prep.compiled[step.value.kind].run(step.value.facts));
  return step.value;
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
