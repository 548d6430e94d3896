/**
 * What an approval does to a disclosure (pure). The first approval publishes revision 1; a later approval with a
 * different total or grade (a re-scoring, a corrected resubmission) adds a revision that says why; an approval
 * after a retraction publishes again; an approval that changes nothing adds nothing; an approval older than the
 * published one (delivered out of order) is ignored.
 */
export interface PublishedFigures {
  total: number | null;
  grade: string | null;
  ruleSet: { id: string; version: number };
  approvedAt: string;
}

export type PublicationPlan =
  | { kind: 'first' }
  | { kind: 'revise'; reason: string }
  | { kind: 'republish'; reason: string }
  | { kind: 'unchanged' }
  | { kind: 'stale' };

export interface CurrentDisclosure extends PublishedFigures {
  status: 'published' | 'retracted';
  /** When retracted: kept in the next revision's reason, since publishing again clears the retraction. */
  retraction?: { at: string | null; reason: string | null };
}

export function planPublication(
  current: CurrentDisclosure | null,
  incoming: PublishedFigures,
): PublicationPlan {
  if (!current) return { kind: 'first' };
  if (incoming.approvedAt < current.approvedAt) return { kind: 'stale' };
  const changes = describeChanges(current, incoming);
  if (current.status === 'retracted') {
    const r = current.retraction;
    const earlier = r ? `（${r.at ? `${r.at.slice(0, 10)} ` : ''}撤回${r.reason ? `，理由：${r.reason}` : ''}）` : '';
    return { kind: 'republish', reason: [`撤回后重新审核通过${earlier}`, ...changes].join('；') };
  }
  if (!sameTotal(current.total, incoming.total) || current.grade !== incoming.grade) {
    return { kind: 'revise', reason: `重新评分：${changes.join('；')}` };
  }
  return { kind: 'unchanged' };
}

/** What changed between two sets of published figures, in the words the public pages use. */
export function describeChanges(from: PublishedFigures, to: PublishedFigures): string[] {
  const out: string[] = [];
  if (!sameTotal(from.total, to.total)) out.push(`总分 ${show(from.total)} → ${show(to.total)}`);
  if (from.grade !== to.grade) out.push(`等级 ${from.grade ?? '—'} → ${to.grade ?? '—'}`);
  if (from.ruleSet.id !== to.ruleSet.id || from.ruleSet.version !== to.ruleSet.version) {
    out.push(`规则集 ${from.ruleSet.id} v${from.ruleSet.version} → ${to.ruleSet.id} v${to.ruleSet.version}`);
  }
  return out;
}

export function sameTotal(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) < 1e-9;
}

const show = (n: number | null) => (n === null ? '—' : String(n));
