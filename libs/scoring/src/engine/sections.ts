import type { CanonicalEvaluation } from '@jixiao/contracts';
import type { FormRules, Section } from '../rule-set/rule-set.schema';
import { clean } from './rounding';
import { memoize } from './values/memo';
import { normalizeLevel1, normalizeText } from './values/normalize-text';

const level1Of = memoize(normalizeLevel1);
const matchText = memoize(normalizeText, 10_000);

const sectionCache = new WeakMap<FormRules, Map<string, number>>();

/** The section indices of 一级指标 texts already seen under `form` (fetch once per evaluation). */
export function sectionMemo(form: FormRules): Map<string, number> {
  let memo = sectionCache.get(form);
  if (!memo) sectionCache.set(form, (memo = new Map()));
  return memo;
}

const SECTION_MEMO_LIMIT = 10_000;

/** The section a 一级指标 text belongs to (by the rule set's `match` prefixes), or -1. */
export function sectionIndex(memo: Map<string, number>, form: FormRules, level1: string | null | undefined): number {
  const key = level1 ?? '';
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const idx = findSection(form.sections, normalizeLevel1(key));
  if (memo.size >= SECTION_MEMO_LIMIT) memo.clear();
  memo.set(key, idx);
  return idx;
}

function findSection(sections: Section[], text: string): number {
  if (text === '') return -1;
  for (let i = 0; i < sections.length; i++) {
    for (const m of sections[i].match) if (text.startsWith(matchText(m))) return i;
  }
  return -1;
}

export interface SectionTally {
  section: Section;
  rowWeight: number;
  score: number;
  reportedScore: number;
  hasReported: boolean;
  declaredWeight: number | null;
  declaredScore: number | null;
}

/** The form's own declaration of a section ("产出指标 (50分)", or a summary-table row). */
export function attachDeclared(tallies: SectionTally[], form: FormRules, ev: CanonicalEvaluation): void {
  for (const d of ev.reported?.sections ?? []) {
    const i = findSection(form.sections, level1Of(d.name));
    if (i < 0) continue;
    if (d.weight != null) tallies[i].declaredWeight = d.weight;
    if (d.score != null) tallies[i].declaredScore = d.score;
  }
}

export function newTallies(form: FormRules): SectionTally[] {
  return form.sections.map((section) => ({
    section,
    rowWeight: 0,
    score: 0,
    reportedScore: 0,
    hasReported: false,
    declaredWeight: null,
    declaredScore: null,
  }));
}

export function finishTally(t: SectionTally): void {
  t.rowWeight = clean(t.rowWeight);
  t.score = clean(t.score);
  t.reportedScore = clean(t.reportedScore);
}
