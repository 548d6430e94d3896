import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalEvaluation, Indicator } from '@jixiao/contracts/evaluation/canonical-evaluation.schema';
import { parseDocument, type ParseOptions, type ParseOutcome } from './parse-document';

export const FIXTURES = join(__dirname, '..', 'test-fixtures');

export function fixture(path: string): string {
  return readFileSync(join(FIXTURES, path), 'utf8');
}

export function parseText(text: string, fileName = 'doc.txt', options?: ParseOptions): ParseOutcome {
  return parseDocument({ content: text, fileName }, options);
}

/** An indicator as a compact tuple for readable expectations: name, target, actual, weight, score. */
export function row(
  i: Indicator,
): [
  string,
  string | null | undefined,
  string | null | undefined,
  number | null | undefined,
  number | null | undefined,
] {
  return [i.name, i.target, i.actual, i.weight, i.reportedScore];
}

export function sum(xs: (number | null | undefined)[]): number {
  return Math.round(xs.reduce<number>((s, x) => s + (x ?? 0), 0) * 1e6) / 1e6;
}

/** Every number the evaluation states (weights, scores, amounts) must appear in the source text. */
export function statedNumbers(e: CanonicalEvaluation): number[] {
  const out: number[] = [];
  const f = e.funds;
  if (f)
    out.push(
      ...[f.initialBudget, f.adjustedBudget, f.executed, f.weight, f.reportedScore].filter(
        (n): n is number => typeof n === 'number',
      ),
    );
  for (const i of e.indicators ?? [])
    out.push(...[i.weight, i.reportedScore].filter((n): n is number => typeof n === 'number'));
  for (const p of e.projects ?? [])
    out.push(...[p.budget, p.executed, p.reportedScore].filter((n): n is number => typeof n === 'number'));
  const r = e.reported;
  if (r) {
    out.push(...[r.total, r.projectsExecutedTotal].filter((n): n is number => typeof n === 'number'));
    for (const s of r.sections ?? [])
      out.push(...[s.weight, s.score].filter((n): n is number => typeof n === 'number'));
  }
  return out;
}

/** The numbers written in a text (after NFKC, so full-width digits count). */
export function numbersIn(text: string): Set<number> {
  const set = new Set<number>();
  for (const m of text.normalize('NFKC').matchAll(/\d+(?:\.\d+)?/g)) set.add(Number(m[0]));
  return set;
}
