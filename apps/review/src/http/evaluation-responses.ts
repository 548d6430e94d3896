import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { REVIEW_STATES } from '../domain/review-state';

/** OpenAPI shapes of the answers (documentation only: the views in queries/evaluation.views.ts build them). */

export class DecisionOutcomeDto {
  @ApiProperty({ example: 'ev_472b92242e2b4084ac2c26b3dede1fb3' }) evaluationId!: string;
  @ApiProperty({ enum: REVIEW_STATES, example: 'approved' }) state!: string;
  @ApiProperty({ description: 'Grows with every change of the case', example: 4 }) revision!: number;
}

export class EvaluationSummaryDto {
  @ApiProperty() evaluationId!: string;
  @ApiProperty() submissionId!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ example: '130126' }) region!: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) fiscalYear!: number | null;
  @ApiProperty({ enum: ['project', 'department'] }) formType!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) unitName!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) projectName!: string | null;
  @ApiProperty({ enum: REVIEW_STATES }) state!: string;
  @ApiPropertyOptional({ type: Number, nullable: true }) total!: number | null;
  @ApiPropertyOptional({ type: String, nullable: true, example: '优' }) grade!: string | null;
  @ApiPropertyOptional({ type: Number, nullable: true, description: '执行率, 0–1' }) executionRate!: number | null;
  @ApiPropertyOptional({ nullable: true, example: { error: 1, warning: 0, info: 0 } }) findingCounts!: object | null;
  @ApiPropertyOptional({ nullable: true, example: { decision: 'manual-review', reasons: ['EXECUTION_RATE_MISMATCH'] } })
  routing!: object | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty() updatedAt!: string;
  @ApiProperty({ example: '/evaluations/ev_01' }) href!: string;
}

export class EvaluationPageDto {
  @ApiProperty({ type: [EvaluationSummaryDto] }) items!: EvaluationSummaryDto[];
  @ApiProperty({ example: 1 }) page!: number;
  @ApiProperty({ example: 20 }) pageSize!: number;
  @ApiProperty({ example: 42 }) total!: number;
}

class GradeCountDto {
  @ApiProperty({ type: String, nullable: true, example: '优', description: 'null: not scored yet' }) grade!:
    string | null;
  @ApiProperty({ example: 12 }) count!: number;
}

export class ProgressDto {
  @ApiProperty({ type: String, nullable: true, example: '130000' }) region!: string | null;
  @ApiProperty({ type: Number, nullable: true, example: 2023 }) fiscalYear!: number | null;
  @ApiProperty({ example: 95, description: 'current versions (a corrected version replaces the one it corrects)' })
  total!: number;
  @ApiProperty({
    example: { submitted: 0, scored: 1, in_review: 12, approved: 5, returned: 3, published: 74, retracted: 0 },
    description: 'every state, 0 when none',
  })
  byState!: Record<string, number>;
  @ApiProperty({ type: [GradeCountDto], description: 'best first; not scored yet last' }) byGrade!: GradeCountDto[];
  @ApiProperty({ type: Number, nullable: true, example: 88.42, description: 'the average rule total of those scored' })
  averageTotal!: number | null;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 0.9731,
    description: 'the average execution rate (a fraction) of those scored',
  })
  averageExecutionRate!: number | null;
  @ApiPropertyOptional({
    description:
      'with `findings=true`: how many have each kind of finding, most frequent first: [{ code, count }] (a form may have several)',
    type: [Object],
  })
  byFinding?: object[];
  @ApiPropertyOptional({
    description:
      'with `by=region`: each region’s own figures, as above (region, total, byState, byGrade, averageTotal, ' +
      'averageExecutionRate), by code',
    type: [Object],
  })
  regions?: object[];
}

export class EvaluationDetailDto extends EvaluationSummaryDto {
  @ApiPropertyOptional({ type: String, nullable: true }) previousVersionId!: string | null;
  @ApiProperty() revision!: number;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'null while only the score has arrived' })
  receivedAt!: string | null;
  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'The last reason given (return, re-routing, comment)',
  })
  lastReason!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) publicPath!: string | null;
  @ApiPropertyOptional({ type: Object, nullable: true, description: 'The canonical evaluation as submitted' })
  evaluation!: object | null;
  @ApiPropertyOptional({
    type: Object,
    nullable: true,
    description:
      'Latest score: rule set, total, grade, 执行率, findings, and the breakdown (per-indicator scores with explanations)',
  })
  score!: object | null;
  @ApiProperty({ description: '{ previous, next }: links to the versions before and after this one' })
  versions!: object;
  @ApiPropertyOptional({
    type: Object,
    nullable: true,
    description:
      'A corrected version: what it changed against the version it corrects — { previousVersionId, previousVersion, ' +
      'form: [{ field, label, from, to }] (names, funds, reported total and grade), indicators: [{ kind: added | ' +
      'removed | changed, level1, level2, name, changes }], projects, score (the rule total and grade), unchanged }',
  })
  changesFromPrevious!: object | null;
  @ApiPropertyOptional({
    type: Object,
    nullable: true,
    description:
      'This version’s latest return: { at, actor, reason, findings: [{ key, code, severity, subject, message }] } ' +
      '(the findings the reviewer named for the unit to correct)',
  })
  lastReturn!: object | null;
  @ApiPropertyOptional({
    type: Object,
    nullable: true,
    description:
      'A corrected version: the return it answers, { evaluationId, at, actor, reason, findings }, each named finding ' +
      'with `status` resolved (this version’s score no longer finds it), remaining (`now`: what it says now) or ' +
      'unknown (not scored yet)',
  })
  previousReturn!: object | null;
  @ApiProperty({ description: '{ self, history, public }' }) links!: object;
}

export class HistoryEntryDto {
  @ApiProperty() at!: string;
  @ApiProperty({ example: { user: 'reviewer-130100', role: 'reviewer' } }) actor!: object;
  @ApiProperty({ example: 'approve' }) action!: string;
  @ApiPropertyOptional({ type: String, nullable: true }) fromState!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) toState!: string | null;
  @ApiPropertyOptional({ type: String, nullable: true }) reason!: string | null;
  @ApiProperty({ description: 'The service the change came from (review for reviewer actions)', example: 'scoring' })
  source!: string;
  @ApiPropertyOptional({ type: String, nullable: true, example: 'scoring-12' }) eventId!: string | null;
  @ApiPropertyOptional({ type: Object, nullable: true }) details!: object | null;
  @ApiPropertyOptional({
    nullable: true,
    description: 'The audit record of this step: { seq, hash }',
    example: { seq: 12, hash: 'sha256:…' },
  })
  audit!: object | null;
}

export class EvaluationHistoryDto {
  @ApiProperty() evaluationId!: string;
  @ApiProperty({ enum: REVIEW_STATES }) state!: string;
  @ApiProperty({ type: [HistoryEntryDto] }) items!: HistoryEntryDto[];
}
