import type { Indicator, ProjectLine } from '@jixiao/contracts';
import type { ExecutionOutcome } from './execution';
import type { IndicatorOutcome } from './indicator-outcome';
import type { SectionTally } from './sections';

/** The figures the finding messages quote, per scope. */
export interface EvaluationFigures {
  reportedTotal: number | null;
  computedTotal: number | null;
  rowScoreSum: number | null;
  weightSum: number | null;
  reportedGrade: string | null;
  gradeForReportedTotal: string | null;
  execution: ExecutionOutcome;
  executionLabel: string;
  reportedRate: number | null;
  reportedRateText: string | null;
  reportedExecutionScore: number | null;
  sectionsTotal: { weight: number | null; score: number | null } | null;
  sectionsSum: { weight: number; score: number };
  projectsExecutedTotal: number | null;
  projectsExecutedSum: number | null;
  projectsBudgetSum: number | null;
  missing: string[];
  tolerance: number;
}

export interface IndicatorFigures {
  indicator: Indicator;
  outcome: IndicatorOutcome;
}

export interface ProjectFigures {
  project: ProjectLine;
  rate: number | null;
  reportedRate: number | null;
}

export type SectionFigures = SectionTally;
