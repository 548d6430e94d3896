import { contentHash } from './hash';
import { ResolvedBodySchema } from './resolved.schema';
import type { ResolvedRuleSet } from './rule-set.schema';

/**
 * A resolved (effective) rule set as text, to keep beside the results scored under it: the rules after inheritance
 * with the identity a result cites (id, version, region, years, chain, source), not how a lookup found it
 * (`resolvedFor`). Scoring is deterministic given an evaluation and this, so a result's breakdown with explanations
 * can be recomputed from it long after the combination of versions that produced it stopped being active.
 */
export function ruleSetSnapshot(ruleSet: ResolvedRuleSet): string {
  const { resolvedFor: _lookup, ...kept } = ruleSet;
  return JSON.stringify(kept);
}

/** A snapshot that does not hold what its hash says: it was edited or damaged after it was written. */
export class RuleSnapshotError extends Error {}

/**
 * The rule set a snapshot holds, checked: its rules are validated as on load and must hash to the hash it names
 * (so a result is never explained with rules other than those it was scored under). Throws RuleSnapshotError.
 */
export function ruleSetFromSnapshot(text: string): ResolvedRuleSet {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RuleSnapshotError(`rule-set snapshot is not JSON: ${(err as Error).message}`);
  }
  const { id, version, hash, region, years, chain, source, ...body } = json;
  const name = `rule-set snapshot ${String(id)} v${String(version)}`;
  const parsed = ResolvedBodySchema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new RuleSnapshotError(`${name}: its rules do not validate at ${first.path.join('.') || '(top)'}: ${first.message}`);
  }
  const actual = contentHash(parsed.data);
  if (actual !== hash) throw new RuleSnapshotError(`${name}: its rules hash to ${actual}, not ${String(hash)}`);
  return deepFreeze({ id, version, hash, region, years, chain, source, ...parsed.data } as ResolvedRuleSet);
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
