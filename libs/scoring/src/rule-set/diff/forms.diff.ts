import type { PathSegment } from '../json-path';
import type { ExecutionFormula, FormRules, Section } from '../rule-set.schema';
import type { ResolvedBody } from '../resolved.schema';
import { leafDiff } from './leaf.diff';
import { change, pairBy, same, show, type RuleSetChange } from './rule-set-change';

export const FORM_LABELS = { project: '项目支出', department: '部门整体' } as const;

const DENOMINATORS: Record<string, string> = {
  adjusted: '调整后预算数 (adjusted)',
  initial: '年初预算数 (initial)',
};

const FORMULA_KINDS: Record<string, string> = {
  linear: '执行率×分值 (linear)',
  deduction: '每低一档扣分 (deduction)',
  steps: '按执行率分档 (steps)',
  none: '不计分 (none)',
};

const FORMULA_PARAMS: Record<string, string> = {
  cap: '封顶 (cap)',
  step: '每档 (step)',
  points: '每档扣分 (points)',
  partialStep: '不足一档 (partialStep)',
  steps: '分档 (steps)',
};

function showFormula(f: ExecutionFormula): string {
  if (f.kind === 'steps') return `${FORMULA_KINDS.steps} ${f.steps.map((s) => `≥${s.minRate}: ${s.score}`).join(', ')}`;
  const params = Object.entries(f)
    .filter(([k]) => k !== 'kind')
    .map(([k, v]) => `${k} ${show(v)}`);
  return [FORMULA_KINDS[f.kind] ?? f.kind, ...params].join(' ');
}

function diffFormula(label: string, at: PathSegment[], a: ExecutionFormula, b: ExecutionFormula): RuleSetChange[] {
  if (same(a, b)) return [];
  if (a.kind !== b.kind)
    return [change('execution', at, `${label} 计分公式: ${showFormula(a)} → ${showFormula(b)}`, a, b)];
  return leafDiff(a, b).map((l) => {
    const name = FORMULA_PARAMS[String(l.path[0])] ?? String(l.path.join('.'));
    return change(
      'execution',
      [...at, ...l.path],
      `${label} 计分公式 ${name}: ${show(l.from)} → ${show(l.to)}`,
      l.from,
      l.to,
    );
  });
}

function diffExecution(
  form: string,
  at: PathSegment[],
  a: FormRules['execution'],
  b: FormRules['execution'],
): RuleSetChange[] {
  const label = `${form} ${b.label}`;
  const out: RuleSetChange[] = [];
  if (a.weight !== b.weight)
    out.push(change('execution', [...at, 'weight'], `${label} 分值: ${a.weight} → ${b.weight}`, a.weight, b.weight));
  if (a.denominator !== b.denominator) {
    const [x, y] = [DENOMINATORS[a.denominator] ?? a.denominator, DENOMINATORS[b.denominator] ?? b.denominator];
    out.push(
      change('execution', [...at, 'denominator'], `${label} 执行率分母: ${x} → ${y}`, a.denominator, b.denominator),
    );
  }
  if (a.label !== b.label)
    out.push(change('execution', [...at, 'label'], `${form} 执行率名称: ${a.label} → ${b.label}`, a.label, b.label));
  out.push(...diffFormula(label, [...at, 'formula'], a.formula, b.formula));
  return out;
}

function diffSections(form: string, at: PathSegment[], from: Section[], to: Section[]): RuleSetChange[] {
  const out: RuleSetChange[] = [];
  for (const [i, j] of pairBy(from, to, (s) => s.key)) {
    const a = from[i];
    const b = to[j];
    if (!b) out.push(change('weight', [...at, i], `${form} 删除一级指标 ${a.label} (分值 ${a.weight})`, a, undefined));
    else if (!a)
      out.push(change('weight', [...at, j], `${form} 新增一级指标 ${b.label} (分值 ${b.weight})`, undefined, b));
    else {
      if (a.weight !== b.weight)
        out.push(
          change(
            'weight',
            [...at, j, 'weight'],
            `${form} ${b.label} 分值: ${a.weight} → ${b.weight}`,
            a.weight,
            b.weight,
          ),
        );
      if (a.label !== b.label)
        out.push(
          change('weight', [...at, j, 'label'], `${form} 一级指标名称: ${a.label} → ${b.label}`, a.label, b.label),
        );
      if (!same(a.match, b.match)) {
        out.push(
          change(
            'weight',
            [...at, j, 'match'],
            `${form} ${b.label} 匹配: ${a.match.join('、')} → ${b.match.join('、')}`,
            a.match,
            b.match,
          ),
        );
      }
    }
  }
  const order = (list: Section[]) =>
    list.map((s) => s.key).filter((k) => from.some((s) => s.key === k) && to.some((s) => s.key === k));
  if (!same(order(from), order(to))) {
    out.push(
      change(
        'weight',
        at,
        `${form} 一级指标顺序: ${order(from).join(', ')} → ${order(to).join(', ')}`,
        order(from),
        order(to),
      ),
    );
  }
  return out;
}

/** Section weights (kind weight) and execution-rate scoring (kind execution), per form type. */
export function diffForms(from: ResolvedBody['forms'], to: ResolvedBody['forms']): RuleSetChange[] {
  return (['project', 'department'] as const).flatMap((type) => {
    const form = FORM_LABELS[type];
    return [
      ...diffSections(form, ['forms', type, 'sections'], from[type].sections, to[type].sections),
      ...diffExecution(form, ['forms', type, 'execution'], from[type].execution, to[type].execution),
    ];
  });
}
