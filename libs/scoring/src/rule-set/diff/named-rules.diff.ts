import type { CheckRule, RoutingRule } from '../rule-set.schema';
import { leafDiff } from './leaf.diff';
import { change, pairBy, same, show, type RuleSetChange } from './rule-set-change';
import { formatPath } from '../json-path';

const DECISIONS: Record<string, string> = {
  'manual-review': '人工审核 (manual-review)',
  'auto-approve': '自动通过 (auto-approve)',
};

/** The condition members that differ, as `all[0].value 0.01 → 0.5` (at most three, then a count). */
function conditionParts(a: unknown, b: unknown): string {
  const leaves = leafDiff(a, b);
  const parts = leaves.slice(0, 3).map((l) => `${formatPath(l.path).slice(2)} ${show(l.from, 40)} → ${show(l.to, 40)}`);
  if (leaves.length > 3) parts.push(`等 ${leaves.length} 处`);
  return `条件 ${parts.join(', ')}`;
}

function common(a: CheckRule | RoutingRule, b: CheckRule | RoutingRule): string[] {
  const out: string[] = [];
  if (!same(a.conditions, b.conditions)) out.push(conditionParts(a.conditions, b.conditions));
  if ((a.priority ?? 1) !== (b.priority ?? 1)) out.push(`优先级 ${a.priority ?? 1} → ${b.priority ?? 1}`);
  return out;
}

function checkParts(a: CheckRule, b: CheckRule): string[] {
  const [p, q] = [a.event.params, b.event.params];
  return [
    ...(p.severity !== q.severity ? [`严重程度 ${p.severity} → ${q.severity}`] : []),
    ...(p.code !== q.code ? [`代码 ${p.code} → ${q.code}`] : []),
    ...(a.scope !== b.scope ? [`范围 ${a.scope} → ${b.scope}`] : []),
    ...common(a, b),
  ];
}

function routingParts(a: RoutingRule, b: RoutingRule): string[] {
  const [p, q] = [a.event.params, b.event.params];
  return [
    ...(p.decision !== q.decision ? [`决定 ${DECISIONS[p.decision]} → ${DECISIONS[q.decision]}`] : []),
    ...(p.reason !== q.reason ? [`原因 ${p.reason} → ${q.reason}`] : []),
    ...common(a, b),
  ];
}

function diffNamed<T extends CheckRule | RoutingRule>(
  list: 'checks' | 'routing',
  what: string,
  describe: (r: T) => string,
  parts: (a: T, b: T) => string[],
  from: readonly T[],
  to: readonly T[],
): RuleSetChange[] {
  const kind = list === 'checks' ? 'check' : 'routing';
  const out: RuleSetChange[] = [];
  for (const [i, j] of pairBy(from, to, (r) => r.name)) {
    const a: T | undefined = from[i];
    const b: T | undefined = to[j];
    if (!b) out.push(change(kind, [list, i], `删除${what} ${a.name} (${describe(a)})`, a, undefined));
    else if (!a) out.push(change(kind, [list, j], `新增${what} ${b.name} (${describe(b)})`, undefined, b));
    else if (!same(a, b)) {
      const p = parts(a, b);
      out.push(change(kind, [list, j], `${what} ${b.name}: ${p.length ? p.join('; ') : '改变'}`, a, b));
    }
  }
  const order = (l: readonly T[]) =>
    l.map((r) => r.name).filter((n) => from.some((r) => r.name === n) && to.some((r) => r.name === n));
  if (!same(order(from), order(to))) out.push(change(kind, [list], `${what}顺序改变`, order(from), order(to)));
  return out;
}

/** Checks by name, with severity and finding code. */
export function diffChecks(from: readonly CheckRule[], to: readonly CheckRule[]): RuleSetChange[] {
  const describe = (r: CheckRule) => `${r.event.params.severity}, ${r.event.params.code}, ${r.scope}`;
  return diffNamed('checks', '检查', describe, checkParts, from, to);
}

/** Review routing rules by name, with decision and reason. */
export function diffRouting(from: readonly RoutingRule[], to: readonly RoutingRule[]): RuleSetChange[] {
  const describe = (r: RoutingRule) => `${DECISIONS[r.event.params.decision]}: ${r.event.params.reason}`;
  return diffNamed('routing', '审核规则', describe, routingParts, from, to);
}
