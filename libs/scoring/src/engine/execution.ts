import type { Funds } from '@jixiao/contracts';
import type { FormRules } from '../rule-set/rule-set.schema';
import { fixed, num, pct } from './format';
import { roundTo } from './rounding';
import type { ScoreContext } from './score-context';

export interface ExecutionOutcome {
  /** unrounded executed / denominator, null when it cannot be computed */
  rate: number | null;
  score: number | null;
  weight: number;
  method: string;
  budget: number | null;
  executed: number | null;
  explanation?: string;
}

const METHOD = { linear: 'execution-linear', deduction: 'execution-deduction', steps: 'execution-steps', none: 'execution-none' } as const;

/** Budget execution (预算执行率): rate = 全年执行数 / 全年预算数 (or 年初预算数), then the region's formula. */
export function scoreExecution(funds: Funds | undefined, form: FormRules, ctx: ScoreContext): ExecutionOutcome {
  const ex = form.execution;
  const f = ex.formula;
  const weight = f.kind === 'none' ? 0 : ex.weight;
  const useInitial = ex.denominator === 'initial';
  const budget = (useInitial ? funds?.initialBudget ?? funds?.adjustedBudget : funds?.adjustedBudget ?? funds?.initialBudget) ?? null;
  const executed = funds?.executed ?? null;
  const rate = budget != null && executed != null && budget > 0 ? executed / budget : null;
  const out: ExecutionOutcome = { rate, score: null, weight, method: METHOD[f.kind], budget, executed, explanation: undefined };
  if (f.kind === 'none') {
    if (ctx.explain) out.explanation = '本规则集不对预算执行率计分';
    return out;
  }
  if (rate === null) {
    if (ctx.explain) out.explanation = funds ? '缺少预算数或执行数（或预算数为 0），无法计算执行率' : '表中没有资金情况，无法计算执行率';
    return out;
  }
  let raw: number;
  let how = '';
  const explain = ctx.explain;
  const W = explain ? num(weight) : '';
  switch (f.kind) {
    case 'linear': {
      raw = rate * weight;
      if (f.cap) raw = Math.min(raw, weight);
      if (explain) how = `执行率×分值 = ${pct(rate)}×${W}`;
      break;
    }
    case 'deduction': {
      const shortfall = Math.max(0, 1 - rate);
      const ratio = shortfall / f.step;
      const steps = f.partialStep === 'ceil' ? Math.ceil(ratio - 1e-9) : Math.floor(ratio + 1e-9);
      raw = Math.max(0, weight - steps * f.points);
      if (explain) how = `每低于 100% ${num(f.step * 100)}% 扣 ${num(f.points)} 分：低 ${num(shortfall * 100)}%，扣 ${steps} 档，${W}−${num(steps * f.points)}`;
      break;
    }
    case 'steps': {
      const sorted = [...f.steps].sort((a, b) => b.minRate - a.minRate);
      const step = sorted.find((s) => rate + 1e-12 >= s.minRate);
      raw = step ? Math.min(step.score, weight) : 0;
      if (explain) how = step ? `执行率达到 ${pct(step.minRate)} 档，得 ${num(step.score)} 分` : '执行率低于最低一档';
      break;
    }
  }
  out.score = roundTo(raw, ctx.partRounding);
  if (ctx.explain) {
    const denom = useInitial ? '年初预算数' : '全年预算数';
    out.explanation = `执行率 = 全年执行数/${denom} = ${num(executed!)}/${num(budget!)} = ${pct(rate)}，得分 = ${how} = ${fixed(out.score, ctx.precision)}`;
  }
  return out;
}
