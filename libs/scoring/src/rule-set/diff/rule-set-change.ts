import { canonicalJson } from '../hash';
import { formatPath, type PathSegment } from '../json-path';

export const CHANGE_KINDS = [
  'years',
  'band',
  'tier',
  'weight',
  'execution',
  'formula',
  'check',
  'routing',
  'other',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/**
 * One difference between two rule sets, in the domain's words: `path` is the JSON path in the resolved rule set
 * (the new one's, or the old one's for something removed), `summary` says it in Chinese with the numbers.
 */
export interface RuleSetChange {
  kind: ChangeKind;
  path: string;
  summary: string;
  from?: unknown;
  to?: unknown;
}

export function change(
  kind: ChangeKind,
  path: PathSegment[],
  summary: string,
  from?: unknown,
  to?: unknown,
): RuleSetChange {
  return {
    kind,
    path: formatPath(path),
    summary,
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

export function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** A value for a summary line: text as is, anything else as short JSON; absent as （无）. */
export function show(v: unknown, max = 80): string {
  if (v === undefined) return '（无）';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A fraction of a weight as a percentage: 0.6 → `60%`. */
export function percent(x: number): string {
  return `${Number((x * 100).toFixed(4))}%`;
}

/**
 * Pair items of two lists by key: the old list's order first, then items only the new list has. Each pair gives
 * the index in either list (-1 when absent).
 */
export function pairBy<T>(from: readonly T[], to: readonly T[], key: (t: T) => string): [number, number][] {
  const out: [number, number][] = [];
  const keysTo = to.map(key);
  from.forEach((t, i) => out.push([i, keysTo.indexOf(key(t))]));
  const keysFrom = from.map(key);
  to.forEach((t, j) => {
    if (!keysFrom.includes(key(t))) out.push([-1, j]);
  });
  return out;
}
