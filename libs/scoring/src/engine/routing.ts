import type { Finding, ScoreResult } from '@jixiao/contracts';
import type { Facts, RuleEvent } from './rule-requests';

/** FACTS.routing */
export function routingFacts(findings: Finding[], grade: string | null, total: number | null, formType: string, incomplete: boolean): Facts {
  let errorCount = 0;
  let warningCount = 0;
  let infoCount = 0;
  const codes: string[] = [];
  let lastCode = '';
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    if (f.severity === 'error') errorCount++;
    else if (f.severity === 'warning') warningCount++;
    else infoCount++;
    // findings of one code often follow each other: skip the scan for a repeat of the previous code
    if (f.code !== lastCode && !codes.includes(f.code)) codes.push(f.code);
    lastCode = f.code;
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
