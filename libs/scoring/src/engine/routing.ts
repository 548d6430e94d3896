import type { Finding, ScoreResult } from '@jixiao/contracts';
import type { Facts, RuleEvent } from './rule-requests';

/** FACTS.routing */
export function routingFacts(findings: Finding[], grade: string | null, total: number | null, formType: string, incomplete: boolean): Facts {
  let errorCount = 0;
  let warningCount = 0;
  let infoCount = 0;
  const codes: string[] = [];
  for (const f of findings) {
    if (f.severity === 'error') errorCount++;
    else if (f.severity === 'warning') warningCount++;
    else infoCount++;
    if (!codes.includes(f.code)) codes.push(f.code);
  }
  return { errorCount, warningCount, infoCount, findingCodes: codes, grade, total, incomplete, formType };
}

/** Manual review when any fired routing rule asks for it; auto-approve when none does. */
export function routingDecision(events: RuleEvent[]): ScoreResult['routing'] {
  const reasons: string[] = [];
  for (const e of events) {
    const p = e.params as { decision: string; reason: string };
    if (p.decision === 'manual-review' && !reasons.includes(p.reason)) reasons.push(p.reason);
  }
  return reasons.length > 0 ? { decision: 'manual-review', reasons } : { decision: 'auto-approve', reasons: [] };
}
