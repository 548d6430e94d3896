/** One evaluation whose grade or review routing a rule change alters (what a bureau wants to see first). */
export interface ImpactItem {
  evaluationId: string;
  region: string;
  fiscalYear: number | null;
  unit: string | null;
  project: string | null;
  oldTotal: number | null;
  newTotal: number | null;
  oldGrade: string | null;
  newGrade: string | null;
  oldRouting: string | null;
  newRouting: string | null;
}

/** A chunk's share of an impact report; merged into the run's report. */
export interface ImpactSummary {
  rescored: number;
  unchanged: number;
  transitions: Record<string, number>;
  /** Counts per DELTA_EDGES bucket of total-score changes (new − old). */
  deltas: number[];
  min: number | null;
  max: number | null;
  sum: number;
  counted: number;
  changed: ImpactItem[];
  changedTruncated: boolean;
}

export interface ImpactReport {
  rescored: number;
  unchanged: number;
  transitions: Array<{ from: string | null; to: string | null; count: number }>;
  totalDelta: {
    min: number | null;
    max: number | null;
    mean: number | null;
    buckets: Array<{ from: number; to: number; count: number }>;
  };
  changed: ImpactItem[];
  changedTruncated: boolean;
}

/** Bucket edges of total-score changes: the middle bucket (−0.005, 0.005) is "no change". */
export const DELTA_EDGES = [-100, -10, -5, -2, -0.005, 0.005, 2, 5, 10, 100];
const CHANGED_LIMIT = 1_000;
const NONE = '—';

export function emptySummary(): ImpactSummary {
  return {
    rescored: 0,
    unchanged: 0,
    transitions: {},
    deltas: new Array(DELTA_EDGES.length - 1).fill(0),
    min: null,
    max: null,
    sum: 0,
    counted: 0,
    changed: [],
    changedTruncated: false,
  };
}

export function bucketOf(delta: number): number {
  for (let i = 1; i < DELTA_EDGES.length - 1; i++) if (delta < DELTA_EDGES[i]) return i - 1;
  return DELTA_EDGES.length - 2;
}

/** Adds one re-scored evaluation (old outcome → new outcome) to a summary. */
export function addToSummary(s: ImpactSummary, item: ImpactItem): void {
  s.rescored += 1;
  const key = `${item.oldGrade ?? NONE}→${item.newGrade ?? NONE}`;
  s.transitions[key] = (s.transitions[key] ?? 0) + 1;
  if (item.oldTotal !== null && item.newTotal !== null) {
    const d = Math.round((item.newTotal - item.oldTotal) * 100) / 100;
    s.deltas[bucketOf(d)] += 1;
    s.min = s.min === null ? d : Math.min(s.min, d);
    s.max = s.max === null ? d : Math.max(s.max, d);
    s.sum += d;
    s.counted += 1;
  }
  const gradeOrRouting = item.oldGrade !== item.newGrade || item.oldRouting !== item.newRouting;
  if (!gradeOrRouting && item.oldTotal === item.newTotal) s.unchanged += 1;
  if (gradeOrRouting) {
    if (s.changed.length < CHANGED_LIMIT) s.changed.push(item);
    else s.changedTruncated = true;
  }
}

export function mergeSummaries(parts: readonly ImpactSummary[]): ImpactReport {
  const all = emptySummary();
  for (const p of parts) {
    all.rescored += p.rescored;
    all.unchanged += p.unchanged;
    for (const [k, n] of Object.entries(p.transitions)) all.transitions[k] = (all.transitions[k] ?? 0) + n;
    p.deltas.forEach((n, i) => (all.deltas[i] += n));
    if (p.min !== null) all.min = all.min === null ? p.min : Math.min(all.min, p.min);
    if (p.max !== null) all.max = all.max === null ? p.max : Math.max(all.max, p.max);
    all.sum += p.sum;
    all.counted += p.counted;
    for (const c of p.changed) {
      if (all.changed.length < CHANGED_LIMIT) all.changed.push(c);
      else all.changedTruncated = true;
    }
    all.changedTruncated ||= p.changedTruncated;
  }
  all.changed.sort((a, b) => (a.evaluationId < b.evaluationId ? -1 : a.evaluationId > b.evaluationId ? 1 : 0));
  const transitions = Object.entries(all.transitions)
    .map(([k, count]) => {
      const [from, to] = k.split('→');
      return { from: from === NONE ? null : from, to: to === NONE ? null : to, count };
    })
    .sort((a, b) => b.count - a.count || String(a.from).localeCompare(String(b.from)));
  return {
    rescored: all.rescored,
    unchanged: all.unchanged,
    transitions,
    totalDelta: {
      min: all.min,
      max: all.max,
      mean: all.counted ? Math.round((all.sum / all.counted) * 100) / 100 : null,
      buckets: all.deltas.map((count, i) => ({ from: DELTA_EDGES[i], to: DELTA_EDGES[i + 1], count })),
    },
    changed: all.changed,
    changedTruncated: all.changedTruncated,
  };
}
