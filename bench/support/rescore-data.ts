/**
 * Synthetic canonical evaluations for re-scoring benchmarks and tests: deterministic from (seed, index), so any
 * slice of a million can be generated again without keeping the others, and two runs seeded alike hold the same rows.
 *
 * Each form is laid out by the effective rule set of its region, year and form type (its sections, their weights,
 * its execution weight and grade bands), with 20 indicator rows of the usual kinds: counts, percentages, costs
 * (reverse), deadlines and qualitative text. The numbers people wrote vary around a per-form quality, and a few
 * percent of forms carry the inconsistencies real forms have (self-scores that do not follow the rule, weights
 * not adding up, a wrong total, a rate that does not match the amounts, a threshold written as the actual value…).
 * Totals spread over roughly 60–100 with most between 80 and 95, so moving a grade cutoff by a few points changes
 * the grade of a noticeable share of forms.
 */
import type { CanonicalEvaluation, Indicator } from '@jixiao/contracts';
import type { ResolvedRuleSet, RuleSetRegistry } from '@jixiao/scoring';

/** What the scoring service keeps per evaluation (the received event's fields it stores). */
export interface SyntheticEvaluation {
  evaluationId: string;
  submissionId: string;
  version: number;
  region: string;
  fiscalYear: number;
  formType: 'project' | 'department';
  evaluation: CanonicalEvaluation;
}

/** Regions with their share of forms: rule files of their own, sub-regions inheriting a province's, CN-only. */
export const SYNTHETIC_REGIONS: ReadonlyArray<{ code: string; name: string; share: number }> = [
  { code: '130126', name: '灵寿县', share: 14 },
  { code: '341522', name: '霍邱县', share: 12 },
  { code: '410105', name: '金水区', share: 10 },
  { code: '640323', name: '盐池县', share: 8 },
  { code: '420100', name: '武汉市', share: 7 },
  { code: '420106', name: '武昌区', share: 5 },
  { code: '421000', name: '荆州市', share: 4 },
  { code: '430100', name: '长沙市', share: 6 },
  { code: '430602', name: '岳阳楼区', share: 4 },
  { code: '500000', name: '重庆市', share: 4 },
  { code: '500155', name: '梁平区', share: 5 },
  { code: '510105', name: '青羊区', share: 5 },
  { code: '110101', name: '东城区', share: 8 },
  { code: '320581', name: '常熟市', share: 4 },
  { code: '610102', name: '新城区', share: 4 },
];
export const SYNTHETIC_YEARS = [2021, 2022, 2023, 2024] as const;

const REGION_TABLE: string[] = SYNTHETIC_REGIONS.flatMap((r) => Array<string>(r.share).fill(r.code));
const REGION_NAME = new Map(SYNTHETIC_REGIONS.map((r) => [r.code, r.name]));

/** mulberry32 over a 32-bit state mixed from seed and index: fast, and the same numbers on every machine. */
function rng(seed: number, index: number): () => number {
  let a = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const pct = (x: number) => `${round2(x * 100)}%`;

/** Ids sort in generation order, as intake's time-ordered ids do (re-scoring chunks by evaluation id ranges). */
export function syntheticIds(tag: string, index: number): { evaluationId: string; submissionId: string } {
  const n = String(index).padStart(9, '0');
  return { evaluationId: `ev_${tag}_${n}`, submissionId: `sub_${tag}_${n}` };
}

type Section = ResolvedRuleSet['forms']['project']['sections'][number];

interface Row {
  indicator: Indicator;
  /** The score the unit believes the row earns (before any deliberate inconsistency). */
  earned: number;
}

/** A row with a fixed shape (same property order for every row: cheaper to build and to serialise). */
function row(
  level1: string,
  level2: string,
  name: string,
  target: string,
  actual: string,
  weight: number,
  reason: string | null,
): Indicator {
  const out: Indicator = { level1, level2, name, target, actual, weight };
  if (reason !== null) out.deviationReason = reason;
  return out;
}

const QUANTITY_UNITS = ['个', '人次', '台', '亩', '户'];
const QUANTITY_NAMES = ['培训数量', '覆盖数量', '建设数量', '采购数量', '帮扶数量'];
const QUALITY_NAMES = ['验收合格率', '达标率', '完好率'];
const SATISFACTION_NAMES = ['群众满意度', '服务对象满意度', '受益人满意度'];
const SOCIAL_TARGETS = ['持续推动', '有效提升', '明显改善'];
const LASTING = ['长期', '有效', '已完成'];
const LASTING_TARGETS = ['长期', '有效', '完成'];
const REASON = '受客观因素影响，部分工作延后';

/** One indicator row, its achievement drawn around the form's quality `q`. */
function indicatorRow(
  r: () => number,
  q: number,
  level1: string,
  satisfaction: boolean,
  slot: number,
  weight: number,
  year: number,
): Row {
  const achieved = r() < q * q * q; // fully met
  const ratio = achieved ? 1 : 0.4 + r() * 0.55;
  const odd = r(); // a rare way of writing it that the rules flag
  const reason = !achieved && r() < 0.97 ? REASON : null;
  const kind = (slot + Math.floor(r() * 2)) % 7;
  const n = slot + 1;
  if (satisfaction) {
    const target = [85, 90, 95][slot % 3];
    const actual = achieved ? target + Math.floor(r() * (100 - target)) : Math.round(target * ratio);
    return {
      indicator: row(
        level1,
        '服务对象满意度指标',
        SATISFACTION_NAMES[slot % 3],
        `≥${target}%`,
        `${actual}%`,
        weight,
        reason,
      ),
      earned: weight * Math.min(1, actual / target),
    };
  }
  switch (kind) {
    case 0: {
      const target = 20 + Math.floor(r() * 980);
      const unit = QUANTITY_UNITS[slot % 5];
      const actual = achieved ? target + Math.floor(r() * target * 0.1) : Math.max(1, Math.floor(target * ratio));
      const written = odd < 0.01 ? `${actual}${unit === '个' ? '台' : '个'}` : odd < 0.02 ? '完成' : `${actual}${unit}`;
      return {
        indicator: row(
          level1,
          '数量指标',
          `${QUANTITY_NAMES[slot % 5]}${n}`,
          `≥${target}${unit}`,
          written,
          weight,
          reason,
        ),
        earned: weight * Math.min(1, actual / target),
      };
    }
    case 1: {
      const target = [90, 95, 98][slot % 3];
      const actual = achieved ? target + round2(r() * (100 - target)) : round2(target * ratio);
      const written = odd < 0.015 ? `≥${target}%` : `${actual}%`;
      return {
        indicator: row(level1, '质量指标', `${QUALITY_NAMES[slot % 3]}${n}`, `≥${target}%`, written, weight, reason),
        earned: weight * Math.min(1, actual / target),
      };
    }
    case 2: {
      const target = round2(10 + r() * 290);
      const actual = achieved ? round2(target * (0.8 + r() * 0.2)) : round2(target / ratio);
      return {
        indicator: row(level1, '成本指标', `成本控制${n}`, `≤${target}万元`, `${actual}万元`, weight, reason),
        earned: weight * Math.min(1, target / actual),
      };
    }
    case 3: {
      const actual = achieved ? `${year}年${6 + Math.floor(r() * 7)}月` : `${year + 1}年${1 + Math.floor(r() * 5)}月`;
      return {
        indicator: row(level1, '时效指标', `完成时间${n}`, `${year}年12月31日前`, actual, weight, reason),
        earned: achieved ? weight : 0,
      };
    }
    case 4: {
      const tierDraw = r();
      let text = '达成预期指标';
      let lo = 0.8;
      let hi = 1;
      if (!achieved && tierDraw >= 0.3) {
        if (tierDraw < 0.9) [text, lo, hi] = ['部分达成预期指标并具有一定效果', 0.6, 0.8];
        else [text, lo, hi] = ['未达成预期指标', 0, 0.6];
      }
      const share = odd < 0.02 ? hi + 0.05 : lo + (hi - lo) * (achieved ? 1 : 0.5 + r() * 0.45);
      return {
        indicator: row(level1, '社会效益指标', `社会效益${n}`, SOCIAL_TARGETS[slot % 3], text, weight, reason),
        earned: weight * Math.min(1, share),
      };
    }
    case 5: {
      const target = 5 + Math.floor(r() * 95);
      const actual = achieved ? target + Math.floor(r() * 5) : Math.max(1, Math.floor(target * ratio));
      return {
        indicator: row(level1, '经济效益指标', `带动就业人数${n}`, `≥${target}人`, `${actual}人`, weight, reason),
        earned: weight * Math.min(1, actual / target),
      };
    }
    default:
      return {
        indicator: row(
          level1,
          '可持续影响指标',
          `长效机制${n}`,
          LASTING_TARGETS[slot % 3],
          achieved ? LASTING[slot % 3] : '基本完成',
          weight,
          reason,
        ),
        earned: weight * (achieved ? 1 : 0.7),
      };
  }
}

/** The level-1 label a form would write for a section (one that the section's match words recognise). */
function level1For(section: Section, slot: number): string {
  const label = section.label;
  if (section.match.some((m) => label.includes(m))) return label.endsWith('指标') ? label : `${label}指标`;
  const word = section.match[slot % Math.min(4, section.match.length)];
  return `${word}指标`;
}

/** Splits `total` points over `n` rows in whole or half points, adding up exactly. */
function splitWeight(total: number, n: number): number[] {
  const unit = Math.floor((total / n) * 2) / 2;
  const out = Array<number>(n).fill(unit);
  let rest = round2(total - unit * n);
  for (let i = 0; rest > 0; i = (i + 1) % n) {
    const add = Math.min(rest, 0.5);
    out[i] = round2(out[i] + add);
    rest = round2(rest - add);
  }
  return out;
}

/** The grade a unit would write for its own total under the rule set's bands (greatest lower bound it reaches). */
function selfGrade(rs: ResolvedRuleSet, total: number): string | null {
  let best: { grade: string; bound: number } | null = null;
  for (const g of rs.grades) {
    const all = (g.conditions as { all?: Array<{ operator: string; value: unknown }> }).all ?? [];
    const lower = all.find((c) => c.operator === 'greaterThanInclusive');
    const bound = lower ? Number(lower.value) : -Infinity;
    const grade = String((g.event.params as { grade?: string }).grade ?? g.name);
    if (total >= bound && (!best || bound > best.bound)) best = { grade, bound };
  }
  return best?.grade ?? null;
}

/** Evaluation number `index` of the synthetic population `seed` (ids tagged with `tag`). */
export function syntheticEvaluation(
  registry: RuleSetRegistry,
  seed: number,
  index: number,
  tag = 's',
): SyntheticEvaluation {
  const r = rng(seed, index);
  const region = REGION_TABLE[Math.floor(r() * REGION_TABLE.length)];
  const fiscalYear = SYNTHETIC_YEARS[Math.floor(r() * SYNTHETIC_YEARS.length)];
  const formType: 'project' | 'department' = r() < 0.7 ? 'project' : 'department';
  const rs = registry.resolve(region, fiscalYear);
  const form = rs.forms[formType];
  // quality: most forms do well, a tail does not
  const q = Math.max(0.35, Math.min(1, 0.86 + (r() + r() + r() - 1.5) * 0.16));

  // 20 rows over the sections in proportion to their weights, at least one each
  const sectionWeight = form.sections.reduce((s, x) => s + x.weight, 0);
  const counts = form.sections.map((s) => Math.max(1, Math.round((20 * s.weight) / sectionWeight)));
  while (counts.reduce((a, b) => a + b, 0) > 20) counts[counts.indexOf(Math.max(...counts))] -= 1;
  while (counts.reduce((a, b) => a + b, 0) < 20) counts[counts.indexOf(Math.max(...counts))] += 1;

  const indicators: Indicator[] = [];
  let earnedTotal = 0;
  let slot = 0;
  const flaw = r(); // at most one form-level inconsistency, on a few percent of forms
  form.sections.forEach((section, k) => {
    const weights = splitWeight(section.weight, counts[k]);
    if (flaw < 0.02 && k === 0) weights[0] = round2(weights[0] + 2); // weights add up to 102
    weights.forEach((w, j) => {
      const level1 = level1For(section, j);
      const satisfaction = level1.includes('满意') || section.label.includes('满意');
      const { indicator, earned } = indicatorRow(r, q, level1, satisfaction, slot++, w, fiscalYear);
      let reported = round2(earned);
      const sway = r();
      if (sway < 0.01)
        reported = round2(Math.min(w, reported + w * 0.2)); // generous self-score
      else if (sway < 0.0015) reported = round2(w + 1); // over the row's weight
      indicator.reportedScore = reported;
      indicators.push(indicator);
      earnedTotal += reported;
    });
  });

  const execution = form.execution;
  const adjustedBudget = round2(5 + r() * r() * 2000);
  const initialBudget = r() < 0.8 ? adjustedBudget : round2(adjustedBudget * (0.8 + r() * 0.3));
  const rate = flaw > 0.02 && flaw < 0.03 ? 1.02 + r() * 0.05 : Math.min(1, q + 0.05 + r() * 0.1);
  const executed = round2(adjustedBudget * rate);
  const realRate = executed / adjustedBudget;
  const reportedRate = flaw > 0.03 && flaw < 0.05 ? realRate + 0.03 : realRate;
  const executionScore = round2(execution.weight * Math.min(1, realRate));
  let total = round2(earnedTotal + executionScore);
  if (flaw > 0.05 && flaw < 0.08) total = round2(total + 1 + Math.floor(r() * 3)); // arithmetic slip
  const grade = flaw > 0.08 && flaw < 0.1 ? (rs.grades[0]?.name ?? null) : selfGrade(rs, total);

  const ids = syntheticIds(tag, index);
  const name = REGION_NAME.get(region) ?? region;
  const unitName = `${name}${['农业农村局', '教育局', '卫生健康委员会', '交通运输局', '生态环境局', '人民政府办公室'][index % 6]}`;
  const evaluation: CanonicalEvaluation = {
    formType,
    region,
    fiscalYear,
    ...(formType === 'project' ? { projectName: `${fiscalYear}年度${name}专项项目${index}` } : {}),
    unitName,
    funds: {
      initialBudget,
      adjustedBudget,
      executed,
      unit: '万元',
      weight: execution.weight,
      reportedRate: pct(reportedRate),
      reportedScore: executionScore,
    },
    indicators,
    reported: { total, grade },
  };
  return { ...ids, version: 1, region, fiscalYear, formType, evaluation };
}
