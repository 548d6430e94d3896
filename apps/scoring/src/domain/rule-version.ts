/** The fiscal years a version is active for; null ends are open. */
export interface ActiveYears {
  from: number | null;
  to: number | null;
}

export type VersionStatus = 'draft' | 'active' | 'retired';

/** A rule-set version as stored (scoring_rule_set_versions). */
export interface RuleVersionRow {
  id: string;
  ruleSetId: string;
  region: string;
  version: number;
  hash: string;
  status: VersionStatus;
  origin: 'file' | 'api';
  label: string | null;
  raw: string | null;
  declaredVersion: number | null;
  createdBy: string | null;
  loadedAt: string;
  updatedAt: string | null;
  activeFrom: number | null;
  activeTo: number | null;
  activatedAt: string | null;
  activatedBy: string | null;
  activationReason: string | null;
  retiredAt: string | null;
}

/** Deterministic id of a version: `<rule-set id>@v<n>-<first 12 hex of the authored text's hash>`. */
export function versionRowId(ruleSetId: string, version: number, hash: string): string {
  return `${ruleSetId}@v${version}-${hash.slice('sha256:'.length, 'sha256:'.length + 12)}`;
}

/** Where error messages say a version's text comes from. */
export function versionLabel(v: Pick<RuleVersionRow, 'ruleSetId' | 'version' | 'label' | 'origin'>): string {
  return v.origin === 'file' && v.label ? v.label : `api:${v.ruleSetId}@v${v.version}`;
}

/**
 * The text a registry is built from: the authored text, with `years` set to the years the version is active for
 * when activation narrowed them (an active version is never edited: this is how it is read, not what is stored).
 */
export function effectiveText(raw: string, years: ActiveYears | null): string {
  if (!years) return raw;
  const json = JSON.parse(raw) as Record<string, unknown>;
  const declared = json.years as ActiveYears | undefined;
  if (declared && declared.from === years.from && declared.to === years.to) return raw;
  return JSON.stringify({ ...json, years }, null, 2);
}

export function showYears(y: ActiveYears | null): string {
  if (!y || (y.from === null && y.to === null)) return 'all years';
  return `${y.from ?? '…'}–${y.to ?? '…'}`;
}

/** Parses `2023-2024`, `2023-`, `-2024`, `2023` (CLI and API). */
export function parseYears(text: string): ActiveYears | null {
  const m = /^\s*(\d{4})?\s*(-)?\s*(\d{4})?\s*$/.exec(text);
  if (!m || (!m[1] && !m[3])) return null;
  const from = m[1] ? Number(m[1]) : null;
  const to = m[3] ? Number(m[3]) : m[2] ? null : from;
  if (from !== null && to !== null && to < from) return null;
  return { from, to };
}

/**
 * What activating a version for `next` years does to a previously active version of the same rule set, active for
 * `previous` years: `untouched` when the ranges do not overlap; `retired` when `next` covers all of `previous`;
 * `narrowed` to the years left on one side; `split` when `next` lies strictly inside `previous` (two ranges would be
 * left, and a version is active for one range: the activation is refused). Null ends are open.
 */
export type YearsLeft =
  | { kind: 'untouched' }
  | { kind: 'retired' }
  | { kind: 'narrowed'; years: ActiveYears }
  | { kind: 'split'; before: ActiveYears; after: ActiveYears };

export function yearsLeft(previous: ActiveYears, next: ActiveYears): YearsLeft {
  const lo = (y: ActiveYears) => y.from ?? -Infinity;
  const hi = (y: ActiveYears) => y.to ?? Infinity;
  if (lo(previous) > hi(next) || lo(next) > hi(previous)) return { kind: 'untouched' };
  // next.from / next.to are numbers whenever a part of previous lies beyond them
  const before = lo(previous) < lo(next) ? { from: previous.from, to: next.from! - 1 } : null;
  const after = hi(previous) > hi(next) ? { from: next.to! + 1, to: previous.to } : null;
  if (before && after) return { kind: 'split', before, after };
  if (before) return { kind: 'narrowed', years: before };
  if (after) return { kind: 'narrowed', years: after };
  return { kind: 'retired' };
}

/** What activating a version for some years does to the versions of its rule set active before. */
export interface Replacement {
  retired: RuleVersionRow[];
  /** Each with the years it keeps. */
  narrowed: Array<{ version: RuleVersionRow; years: ActiveYears }>;
  /** Versions the new years lie strictly inside (the activation is refused). */
  split: RuleVersionRow[];
  untouched: RuleVersionRow[];
}

export function replacement(previous: readonly RuleVersionRow[], years: ActiveYears): Replacement {
  const out: Replacement = { retired: [], narrowed: [], split: [], untouched: [] };
  for (const p of previous) {
    const left = yearsLeft({ from: p.activeFrom, to: p.activeTo }, years);
    if (left.kind === 'narrowed') out.narrowed.push({ version: p, years: left.years });
    else out[left.kind === 'retired' ? 'retired' : left.kind === 'split' ? 'split' : 'untouched'].push(p);
  }
  return out;
}
