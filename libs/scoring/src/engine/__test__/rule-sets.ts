import type { CanonicalEvaluation, Indicator } from '@jixiao/contracts';
import { contentHash } from '../../rule-set/hash';
import { defaultRulesDir } from '../../rule-set/rules-dir';
import { loadRuleSets } from '../../rule-set/load-rule-sets';
import type { ResolvedRuleSet } from '../../rule-set/rule-set.schema';

/** The shipped rule sets, loaded with the real loader. */
export const registry = loadRuleSets(defaultRulesDir());
export const CN = registry.resolveById('CN');

type Patch = { [K in keyof ResolvedRuleSet]?: Partial<ResolvedRuleSet[K]> };

/** A rule set differing from `base` in a few parameters (with its own content hash, as the loader would give). */
export function variant(base: ResolvedRuleSet, patch: Patch): ResolvedRuleSet {
  const out = { ...base } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) {
    const cur = out[k];
    out[k] = Array.isArray(v) || typeof v !== 'object' || v === null || Array.isArray(cur) ? v : { ...(cur as object), ...v };
  }
  const { hash: _h, ...body } = out;
  out.hash = contentHash(body);
  return out as unknown as ResolvedRuleSet;
}

export function row(target: string, actual: string, weight = 10, reportedScore?: number, extra: Partial<Indicator> = {}): Indicator {
  return { level1: '产出指标', level2: '数量指标', name: '测试指标', target, actual, weight, reportedScore, ...extra };
}

export function projectForm(indicators: Indicator[], funds: CanonicalEvaluation['funds'] = { adjustedBudget: 100, executed: 100, weight: 10 }): CanonicalEvaluation {
  return { formType: 'project', region: 'CN', fiscalYear: 2022, projectName: '测试项目', funds, indicators };
}
