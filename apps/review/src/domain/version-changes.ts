import type { CanonicalEvaluation, Indicator, ProjectLine } from '@jixiao/contracts';

type Value = string | number | null;

/** One field that differs between two versions, with its label as the form names it. */
export interface FieldChange {
  field: string;
  label: string;
  from: Value;
  to: Value;
}

/** An indicator row added, removed, or changed (its level or figures), named as the later version names it. */
export interface IndicatorChange {
  kind: 'added' | 'removed' | 'changed';
  level1: string | null;
  level2: string | null;
  name: string;
  changes: FieldChange[];
}

/**
 * What a corrected version changed against the version it corrects: what a reviewer reads first when a returned
 * evaluation comes back (and whether it came back unchanged).
 */
export interface VersionChanges {
  previousVersionId: string;
  previousVersion: number;
  /** Names, funds and the reported total and grade. */
  form: FieldChange[];
  indicators: IndicatorChange[];
  /** A department report's project lines, by name. */
  projects: Array<{ kind: 'added' | 'removed' | 'changed'; name: string; changes: FieldChange[] }>;
  /** The rule's total and grade for each version (as the review read model holds them). */
  score: FieldChange[];
  /** Something else the unit wrote differs too (section totals, what the reader found missing …), not itemized. */
  otherChanges: boolean;
  /** Nothing the unit wrote differs (where each figure was read from aside). */
  unchanged: boolean;
}

const FORM_FIELDS: Array<[string, string, (e: CanonicalEvaluation) => Value | undefined]> = [
  ['projectName', '项目名称', (e) => e.projectName],
  ['unitName', '单位', (e) => e.unitName],
  ['department', '主管部门', (e) => e.department],
  ['fiscalYear', '年度', (e) => e.fiscalYear],
  ['goals.expected', '年度目标', (e) => e.goals?.expected],
  ['goals.achieved', '目标完成情况', (e) => e.goals?.achieved],
  ['funds.initialBudget', '年初预算', (e) => e.funds?.initialBudget],
  ['funds.adjustedBudget', '调整后预算', (e) => e.funds?.adjustedBudget],
  ['funds.executed', '执行数', (e) => e.funds?.executed],
  ['funds.unit', '金额单位', (e) => e.funds?.unit],
  ['funds.weight', '预算执行率分值', (e) => e.funds?.weight],
  ['funds.reportedRate', '填报执行率', (e) => e.funds?.reportedRate],
  ['funds.reportedScore', '预算执行率自评得分', (e) => e.funds?.reportedScore],
  ['reported.total', '自评总分', (e) => e.reported?.total],
  ['reported.grade', '自评等级', (e) => e.reported?.grade],
  ['reported.projectsExecutedTotal', '报告所述支出合计', (e) => e.reported?.projectsExecutedTotal],
];

const INDICATOR_FIELDS: Array<[keyof Indicator & string, string]> = [
  ['level1', '一级指标'],
  ['level2', '二级指标'],
  ['target', '指标值'],
  ['actual', '实际完成值'],
  ['unit', '度量单位'],
  ['weight', '分值'],
  ['reportedScore', '自评得分'],
  ['deviationReason', '偏差原因'],
];

const PROJECT_FIELDS: Array<[string, string, (p: ProjectLine) => Value | undefined]> = [
  ['budget', '预算', (p) => p.budget],
  ['executed', '实际支出', (p) => p.executed],
  ['reportedRate', '执行率', (p) => p.reportedRate],
  ['reportedScore', '自评得分', (p) => p.reportedScore],
];

const norm = (v: Value | undefined): Value => (v === undefined || v === '' ? null : v);
const compact = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, '');

function fieldChanges<T>(fields: Array<[string, string, (x: T) => Value | undefined]>, a: T, b: T): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [field, label, get] of fields) {
    const from = norm(get(a));
    const to = norm(get(b));
    if (from !== to) out.push({ field, label, from, to });
  }
  return out;
}

/**
 * Pairs the rows of two versions: first by first, second and third level together, then what is left by the
 * indicator's name alone (a row moved to another level), in order; the rest were added or removed.
 */
function pairIndicators(before: readonly Indicator[], after: readonly Indicator[]) {
  const left = new Set(before.keys());
  const pairs: Array<[Indicator | null, Indicator | null]> = [];
  const unmatched: Indicator[] = [];
  const take = (key: (i: Indicator) => string, row: Indicator) => {
    for (const k of left)
      if (key(before[k]) === key(row)) {
        left.delete(k);
        return before[k];
      }
    return null;
  };
  const full = (i: Indicator) => `${compact(i.level1)}|${compact(i.level2)}|${compact(i.name)}`;
  const named = (i: Indicator) => compact(i.name);
  for (const row of after) {
    const found = take(full, row);
    if (found) pairs.push([found, row]);
    else unmatched.push(row);
  }
  for (const row of unmatched) pairs.push([take(named, row), row]);
  for (const k of left) pairs.push([before[k], null]);
  return pairs;
}

export function versionChanges(
  previous: {
    evaluationId: string;
    version: number;
    evaluation: CanonicalEvaluation;
    total: number | null;
    grade: string | null;
  },
  current: { evaluation: CanonicalEvaluation; total: number | null; grade: string | null },
): VersionChanges {
  const form = fieldChanges(FORM_FIELDS, previous.evaluation, current.evaluation);
  const indicators: IndicatorChange[] = [];
  const rowFields = INDICATOR_FIELDS.map(
    ([field, label]) =>
      [field, label, (i: Indicator) => i[field] as Value | undefined] as [
        string,
        string,
        (i: Indicator) => Value | undefined,
      ],
  );
  for (const [a, b] of pairIndicators(previous.evaluation.indicators ?? [], current.evaluation.indicators ?? [])) {
    const row = (b ?? a)!;
    const named = { level1: row.level1 ?? null, level2: row.level2 ?? null, name: row.name };
    if (!a) indicators.push({ kind: 'added', ...named, changes: [] });
    else if (!b) indicators.push({ kind: 'removed', ...named, changes: [] });
    else {
      const changes = fieldChanges(rowFields, a, b);
      if (changes.length) indicators.push({ kind: 'changed', ...named, changes });
    }
  }
  const projects: VersionChanges['projects'] = [];
  const before = new Map((previous.evaluation.projects ?? []).map((p) => [compact(p.name), p]));
  for (const p of current.evaluation.projects ?? []) {
    const was = before.get(compact(p.name));
    before.delete(compact(p.name));
    if (!was) projects.push({ kind: 'added', name: p.name, changes: [] });
    else {
      const changes = fieldChanges(PROJECT_FIELDS, was, p);
      if (changes.length) projects.push({ kind: 'changed', name: p.name, changes });
    }
  }
  for (const p of before.values()) projects.push({ kind: 'removed', name: p.name, changes: [] });
  const score = fieldChanges<{ total: number | null; grade: string | null }>(
    [
      ['total', '复核总分', (s) => s.total],
      ['grade', '复核等级', (s) => s.grade],
    ],
    previous,
    current,
  );
  const itemized = form.length + indicators.length + projects.length;
  const same = sameContent(previous.evaluation, current.evaluation);
  return {
    previousVersionId: previous.evaluationId,
    previousVersion: previous.version,
    form,
    indicators,
    projects,
    score,
    otherChanges: !same && itemized === 0,
    unchanged: same,
  };
}

/** Where a figure was read (line, cell) and the document's name are not what the unit wrote. */
const PROVENANCE = new Set(['sources', 'source']);

/** The two evaluations hold the same content: every field compared, wherever it sits, provenance aside. */
function sameContent(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === '' || a === undefined || a === null) return b === '' || b === undefined || b === null;
  if (typeof a !== 'object' || typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((x, i) => sameContent(x, bs[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)].filter((k) => !PROVENANCE.has(k)));
  return [...keys].every((k) => sameContent(ao[k], bo[k]));
}
