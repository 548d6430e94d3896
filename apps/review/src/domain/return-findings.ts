import type { Finding, FlaggedFinding } from '@jixiao/contracts';

/**
 * The findings a reviewer names when returning an evaluation, and what became of them in the version that corrects
 * it. A finding is named by its code and subject (`EXECUTION_RATE_MISMATCH`, `SCORE_DIFFERS_FROM_RULE|群众满意度`):
 * what stays the same when the unit corrects the figures, so the corrected version's findings can be matched to it.
 * A second finding with the same code and subject (the execution score and the 预算执行率 row both differing from
 * the rule) is `…#2`, and so on, in the score's order.
 */
export function findingKeys(findings: ReadonlyArray<{ code: string; subject: string | null }>): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const base = f.subject ? `${f.code}|${f.subject}` : f.code;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

/** The reason a return carries when the reviewer named findings and wrote nothing more. */
export const DEFAULT_RETURN_REASON = '请核实并修改退回时指出的问题后重新提交';

/** Keys a return named that the score it was decided on does not have. */
export class UnknownFindings extends Error {
  constructor(readonly keys: readonly string[]) {
    super(`no such finding in the current score: ${keys.join(', ')}`);
  }
}

/**
 * The findings named by `keys`, in the score's order (a key named twice counts once). Throws UnknownFindings naming
 * every key the score does not have.
 */
export function pickFindings(keys: readonly string[], findings: readonly Finding[]): FlaggedFinding[] {
  const wanted = new Set(keys);
  const picked: FlaggedFinding[] = [];
  findingKeys(findings).forEach((key, i) => {
    if (!wanted.delete(key)) return;
    const f = findings[i];
    picked.push({ key, code: f.code, severity: f.severity, subject: f.subject, message: f.message });
  });
  if (wanted.size > 0) throw new UnknownFindings([...wanted]);
  return picked;
}

/**
 * Where a named finding stands in the corrected version: `resolved` (its score no longer finds it), `remaining`
 * (it still does: `now` is what it says now), `unknown` (not scored yet, or only the finding codes of its latest
 * score are known and the code is still among them).
 */
export type FollowUpStatus = 'resolved' | 'remaining' | 'unknown';

export interface FollowedUpFinding extends FlaggedFinding {
  status: FollowUpStatus;
  now: string | null;
}

/** What the corrected version knows of its own findings: the whole findings of its current score, or only its codes. */
export type CurrentFindings = { findings: readonly Finding[] } | { codes: readonly string[] } | null;

const baseKey = (f: { code: string; subject: string | null }) => (f.subject ? `${f.code}|${f.subject}` : f.code);

/**
 * Matches each named finding to the corrected version's findings of the same code and subject: first one that says
 * the same, else the next one left, in order. A named finding is resolved only when none is left for it: with two
 * findings of one code and subject (the execution score and the 预算执行率 row), mending one of them leaves the
 * named one remaining if it cannot be told which was mended — a reviewer reads `now` rather than trusting a
 * resolution that did not happen.
 */
export function followUp(flagged: readonly FlaggedFinding[], current: CurrentFindings): FollowedUpFinding[] {
  if (current === null) return flagged.map((f) => ({ ...f, status: 'unknown', now: null }));
  if ('codes' in current)
    return flagged.map((f) => ({ ...f, status: current.codes.includes(f.code) ? 'unknown' : 'resolved', now: null }));
  const left = new Map<string, Finding[]>();
  for (const f of current.findings) left.set(baseKey(f), [...(left.get(baseKey(f)) ?? []), f]);
  const take = (f: FlaggedFinding, same: boolean) => {
    const pool = left.get(baseKey(f)) ?? [];
    const i = same ? pool.findIndex((c) => c.message === f.message) : pool.length ? 0 : -1;
    return i < 0 ? null : pool.splice(i, 1)[0];
  };
  const exact = flagged.map((f) => take(f, true));
  return flagged.map((f, i) => {
    const still = exact[i] ?? take(f, false);
    return still ? { ...f, status: 'remaining', now: still.message } : { ...f, status: 'resolved', now: null };
  });
}

export const FOLLOW_UP_LABELS: Record<FollowUpStatus, string> = {
  resolved: '已解决',
  remaining: '仍存在',
  unknown: '待评分后核对',
};
