import { Engine, type RuleProperties } from 'json-rules-engine';
import { CUSTOM_OPERATORS } from './operators';
import type { Facts, JsonRule, RuleEvent } from './rule.types';

/** A json-rules-engine Engine with Jixiao's custom operators and `allowUndefinedFacts: true`. */
export function createEngine(rules: readonly JsonRule[] = []): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  for (const [name, fn] of Object.entries(CUSTOM_OPERATORS)) engine.addOperator(name, fn);
  for (const rule of rules) engine.addRule(rule as unknown as RuleProperties);
  return engine;
}

// Engines are not re-entrant (engine.run sets a shared status that a concurrent run would flip to FINISHED),
// so idle engines are pooled per rule array and a busy one is never shared.
const pools = new WeakMap<readonly JsonRule[], Engine[]>();

/** Rules renamed to their declaration index so results can be put back in declaration order. */
function indexedEngine(rules: readonly JsonRule[]): Engine {
  return createEngine(rules.map((r, i) => ({ ...r, name: String(i) })));
}

/**
 * The naive path: json-rules-engine's own `engine.run(facts)`. Returns the events of the rules whose
 * conditions hold, ordered by priority (highest first) then declaration order. (json-rules-engine evaluates
 * rules of one priority concurrently, so its own event order depends on condition depth, not on declaration.)
 */
export async function runNaive(rules: readonly JsonRule[], facts: Facts): Promise<RuleEvent[]> {
  let pool = pools.get(rules);
  if (!pool) pools.set(rules, (pool = []));
  const engine = pool.pop() ?? indexedEngine(rules);
  try {
    const { results } = await engine.run({ ...facts });
    const hits = results.map((r) => Number(r.name));
    hits.sort((a, b) => priorityOf(rules[b]) - priorityOf(rules[a]) || a - b);
    return hits.map((i) => eventOf(rules[i]));
  } finally {
    pool.push(engine);
  }
}

/** json-rules-engine's rule priority: `parseInt(priority) || 1`. */
export function priorityOf(rule: JsonRule): number {
  return parseInt(String(rule.priority ?? 1), 10) || 1;
}

/** The event as json-rules-engine reports it: `type`, and `params` only when truthy. */
export function eventOf(rule: JsonRule): RuleEvent {
  const { type, params } = rule.event;
  return params ? { type, params } : { type };
}
