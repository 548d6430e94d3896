import type { ResolvedRuleSet, Rounding } from '../rule-set/rule-set.schema';
import { normalizeText } from './values/normalize-text';
import { compileRules, type CompiledRules, type JsonRule, type RuleEvent } from '../rules-engine';
import type { RuleKind } from './rule-requests';

export interface TierParams {
  tier: string;
  label: string;
  min: number;
  max: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  default: number;
}

/** A rule set made ready to score: its rules grouped by kind and compiled once. */
export interface PreparedRuleSet {
  ruleSet: ResolvedRuleSet;
  rules: Record<RuleKind, JsonRule[]>;
  compiled: Record<RuleKind, CompiledRules>;
  /** The tier a qualitative row must reach to count as met (the one with the highest lower bound). */
  topTier: string | null;
  naMarkers: string[];
  /**
   * Parsed rows by their (target, actual, unit) texts. Cell texts repeat heavily across real forms ("≥90%",
   * "达成预期指标", "100%"), and parsing is pure, so bulk re-scoring parses each distinct row once.
   */
  inputCache: Map<string, unknown>;
  /** Parsed rows held in `inputCache` (all levels); the cache is emptied when it reaches its bound. */
  inputCount: number;
  /** Two check rules of one scope raise the same code, so findings may repeat and need de-duplicating. */
  repeatsCodes: boolean;
  /** Decimals shown in explanations (at least 2). */
  precision: number;
  /** The rounding of row and execution scores: the rule set's mode, at least 2 decimals (see ScoreContext). */
  partRounding: Rounding;
  /** Compiled tier results by their four facts (see score.ts). */
  tierCache: Map<string, Map<string, Map<number | null, RuleEvent[]>>>;
  /** Results held in `tierCache` (all levels); the cache is emptied when it reaches its bound. */
  tierCount: number;
}

/**
 * Prepared sets by content hash and identity (preparedKey), the least recently prepared dropped beyond PREPARED_LIMIT: a long-running process
 * that sees rule changes (each activation makes new hashes) must not keep every old version's caches.
 */
const cache = new Map<string, PreparedRuleSet>();
const PREPARED_LIMIT = 16;
const byObject = new WeakMap<ResolvedRuleSet, PreparedRuleSet>();

/**
 * Compiles per rule-set content hash and identity, so scoring a million evaluations compiles each rule set once.
 * The hash covers the rules alone: two versions of a set whose rules are the same (a new version that only corrects
 * its `source`, say) share it, and a result must still cite the version it was scored under, so the key also holds
 * what a result takes from the set besides its rules (id, version, region, years).
 */
export function prepareRuleSet(ruleSet: ResolvedRuleSet): PreparedRuleSet {
  const hit = byObject.get(ruleSet);
  if (hit) return hit;
  const key = preparedKey(ruleSet);
  let prepared = cache.get(key);
  if (!prepared) {
    prepared = build(ruleSet);
    if (cache.size >= PREPARED_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, prepared);
  }
  byObject.set(ruleSet, prepared);
  return prepared;
}

function preparedKey(r: ResolvedRuleSet): string {
  return JSON.stringify([r.hash, r.id, r.version, r.region.code, r.region.name, r.years.from, r.years.to]);
}

function build(ruleSet: ResolvedRuleSet): PreparedRuleSet {
  const active = <T extends { disabled?: boolean }>(rs: T[]) => rs.filter((r) => !r.disabled);
  const checks = active(ruleSet.checks);
  const rules: Record<RuleKind, JsonRule[]> = {
    grade: ruleSet.grades as JsonRule[],
    tier: ruleSet.qualitative.tiers as JsonRule[],
    routing: active(ruleSet.routing) as JsonRule[],
    evaluation: checks.filter((c) => c.scope === 'evaluation') as JsonRule[],
    indicator: checks.filter((c) => c.scope === 'indicator') as JsonRule[],
    section: checks.filter((c) => c.scope === 'section') as JsonRule[],
    project: checks.filter((c) => c.scope === 'project') as JsonRule[],
  };
  const compiled = Object.fromEntries(
    (Object.keys(rules) as RuleKind[]).map((k) => [k, compileRules(rules[k])]),
  ) as Record<RuleKind, CompiledRules>;
  let top: TierParams | null = null;
  for (const t of ruleSet.qualitative.tiers) if (!top || t.event.params.min > top.min) top = t.event.params;
  return {
    ruleSet,
    rules,
    compiled,
    topTier: top ? top.tier : null,
    naMarkers: ruleSet.notApplicable.markers.map((m) => normalizeText(m)),
    repeatsCodes: (['evaluation', 'indicator', 'section', 'project'] as const).some((scope) => {
      const codes = checks.filter((c) => c.scope === scope).map((c) => c.event.params.code);
      return new Set(codes).size !== codes.length;
    }),
    inputCache: new Map(),
    inputCount: 0,
    tierCache: new Map(),
    tierCount: 0,
    precision: Math.max(2, ruleSet.rounding.precision),
    partRounding: ruleSet.rounding.precision >= 2 ? ruleSet.rounding : { precision: 2, mode: ruleSet.rounding.mode },
  };
}
