import type { ChangeKind, RuleSetChange } from './rule-set-change';
import { CHANGE_KINDS } from './rule-set-change';

export const KIND_TITLES: Record<ChangeKind, string> = {
  years: '适用年度 (years)',
  band: '评价等级 (grade bands)',
  tier: '定性指标档次 (qualitative tiers)',
  weight: '一级指标分值 (section weights)',
  execution: '预算执行率 (execution rate)',
  formula: '定量指标公式 (quantitative formulas)',
  check: '审核检查 (checks)',
  routing: '审核分流 (review routing)',
  other: '其他 (other)',
};

export interface FormatDiffOptions {
  /** A first line, e.g. `130126 灵寿县 v1 → v2`. */
  title?: string;
  /** Show each change's JSON path after it. */
  paths?: boolean;
  /** Indent of the change lines (default two spaces under each kind's heading). */
  indent?: string;
}

/** The changes grouped by kind, one line each; `no change (无变化)` when there are none. */
export function formatRuleSetDiff(changes: readonly RuleSetChange[], opts: FormatDiffOptions = {}): string {
  const indent = opts.indent ?? '  ';
  const lines = opts.title ? [opts.title] : [];
  if (changes.length === 0) return [...lines, `${indent}no change (无变化)`].join('\n');
  for (const kind of CHANGE_KINDS) {
    const list = changes.filter((c) => c.kind === kind);
    if (list.length === 0) continue;
    lines.push(`${opts.title ? indent : ''}${KIND_TITLES[kind]}`);
    for (const c of list)
      lines.push(`${opts.title ? indent : ''}${indent}${c.summary}${opts.paths ? `  [${c.path}]` : ''}`);
  }
  return lines.join('\n');
}
