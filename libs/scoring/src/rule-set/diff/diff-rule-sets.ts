import { formatPath, type PathSegment } from '../json-path';
import type { ResolvedRuleSet } from '../rule-set.schema';
import { diffBands } from './bands.diff';
import { diffForms } from './forms.diff';
import { leafDiff } from './leaf.diff';
import { diffChecks, diffRouting } from './named-rules.diff';
import { change, CHANGE_KINDS, same, show, type ChangeKind, type RuleSetChange } from './rule-set-change';
import { diffTiers } from './tiers.diff';

/** Identity and bookkeeping, not rules: a new version or hash alone is no change. */
const NOT_RULES = new Set(['id', 'version', 'hash', 'chain', 'resolvedFor']);

/** Names for the members reported generically. */
const LABELS: Record<string, string> = {
  '$.quantitative.positive.formula': '正向指标 (≥) 计分公式',
  '$.quantitative.reverse.formula': '反向指标 (≤) 计分公式',
  '$.quantitative.equals': '"=" 目标按',
  '$.quantitative.zeroTarget': '目标值为 0 时',
  '$.quantitative.dates': '日期目标',
  '$.quantitative.thresholdAsActual': '实际值写成阈值时',
  '$.quantitative.nonNumericActual': '实际值非数值时',
  '$.quantitative.unitMismatch': '单位不一致时',
  '$.quantitative.overAchievement': '超额完成',
  '$.rounding.precision': '保留小数位数',
  '$.rounding.mode': '舍入方式',
  '$.tolerance': '比对容差',
  '$.cap.indicator': '指标得分不超过分值',
  '$.notApplicable.markers': '不适用标记',
  '$.notApplicable.mode': '不适用行处理',
  '$.source.title': '依据文件',
  '$.source.documentNo': '文号',
  '$.region.names': '地区名称',
  '$.region.level': '地区级别',
};

function showYears(y: ResolvedRuleSet['years']): string {
  return y.from === null && y.to === null ? '所有年度' : `${y.from ?? '…'}–${y.to ?? '…'}`;
}

function generic(kind: ChangeKind, at: PathSegment[], a: unknown, b: unknown): RuleSetChange[] {
  return leafDiff(a, b, at).map((l) => {
    const path = formatPath(l.path);
    const label = LABELS[path] ? `${LABELS[path]} (${path.slice(2)})` : path;
    return change(kind, l.path, `${label}: ${show(l.from)} → ${show(l.to)}`, l.from, l.to);
  });
}

type Body = Record<string, unknown>;
type Differ = (a: ResolvedRuleSet, b: ResolvedRuleSet) => RuleSetChange[];

/** The members with a domain reading; any other member is compared generically (kind other). */
const DIFFERS: Record<string, Differ> = {
  years: (a, b) =>
    same(a.years, b.years)
      ? []
      : [change('years', ['years'], `适用年度: ${showYears(a.years)} → ${showYears(b.years)}`, a.years, b.years)],
  grades: (a, b) => diffBands(a.grades, b.grades),
  qualitative: (a, b) => diffTiers(a.qualitative, b.qualitative),
  forms: (a, b) => diffForms(a.forms, b.forms),
  quantitative: (a, b) => generic('formula', ['quantitative'], a.quantitative, b.quantitative),
  checks: (a, b) => diffChecks(a.checks, b.checks),
  routing: (a, b) => diffRouting(a.routing, b.routing),
};

const chainIds = (r: ResolvedRuleSet) => r.chain.map((c) => c.id);

/**
 * What differs between two rule sets (two versions of one, or one before and after a parent changed), in the
 * domain's terms: grade bands, qualitative tiers, section weights, execution-rate scoring, quantitative
 * formulas, checks, routing, years; any other member generically with its JSON path. A member that differs but
 * yields no domain change (a grade band rewritten to the same interval) is reported generically too, so nothing
 * is missed. Identical rules give []. Order: by kind, then as the members appear.
 */
export function diffRuleSets(from: ResolvedRuleSet, to: ResolvedRuleSet): RuleSetChange[] {
  const a = from as unknown as Body;
  const b = to as unknown as Body;
  const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))].filter((k) => !NOT_RULES.has(k));
  const out: RuleSetChange[] = [];
  for (const key of keys) {
    if (same(a[key], b[key])) continue;
    const found = DIFFERS[key]?.(from, to) ?? [];
    out.push(...(found.length ? found : generic('other', [key], a[key], b[key])));
  }
  if (!same(chainIds(from), chainIds(to))) {
    out.push(
      change(
        'other',
        ['chain'],
        `继承链: ${chainIds(from).join(' → ')} → ${chainIds(to).join(' → ')}`,
        chainIds(from),
        chainIds(to),
      ),
    );
  }
  const rank = (c: RuleSetChange) => CHANGE_KINDS.indexOf(c.kind);
  return out
    .map((c, i) => [c, i] as const)
    .sort((x, y) => rank(x[0]) - rank(y[0]) || x[1] - y[1])
    .map(([c]) => c);
}
