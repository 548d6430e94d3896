import type { ScoreResult } from '@jixiao/contracts';

/** What a disclosure publishes of a score result: the figures a citizen can check, not the engine's internals. */
export interface Breakdown {
  regionName: string | null;
  execution: { rate: number | null; score: number | null; weight: number; explanation: string | null } | null;
  sections: Array<{ label: string; weight: number; score: number }>;
  indicators: Array<{
    level1: string | null;
    level2: string | null;
    name: string;
    weight: number | null;
    score: number | null;
    reportedScore: number | null;
    explanation: string | null;
  }>;
  findings: {
    counts: { error: number; warning: number; info: number };
    items: Array<{ code: string; severity: string; subject: string | null; message: string }>;
  };
}

export function breakdownOf(result: ScoreResult | undefined): Breakdown | null {
  if (!result) return null;
  const { computed } = result;
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of result.findings) counts[f.severity] += 1;
  return {
    regionName: result.region.name || null,
    execution: {
      rate: computed.execution.rate,
      score: computed.execution.score,
      weight: computed.execution.weight,
      explanation: computed.execution.explanation ?? null,
    },
    sections: computed.sections.map((s) => ({ label: s.label, weight: s.weight, score: s.score })),
    indicators: computed.indicators.map((i) => ({
      level1: i.level1,
      level2: i.level2,
      name: i.name,
      weight: i.weight,
      score: i.score,
      reportedScore: i.reportedScore,
      explanation: i.explanation ?? null,
    })),
    findings: {
      counts,
      items: result.findings.map((f) => ({ code: f.code, severity: f.severity, subject: f.subject, message: f.message })),
    },
  };
}
