import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FindingCode } from '@jixiao/contracts';
import type { ReviewState } from '../domain/review-state';

/**
 * One evaluation version in review, with its latest score summary (what listing filters and shows). `revision`
 * grows with every change: writers update `WHERE revision = <the one they read>` (optimistic concurrency).
 * `receivedAt` is null while the case is a placeholder created by a score that overtook its submission.
 */
@Entity({ name: 'review_cases' })
export class ReviewCase {
  @PrimaryColumn({ name: 'evaluation_id', type: 'varchar', length: 200 }) evaluationId!: string;
  @Column({ name: 'submission_id', type: 'varchar', length: 200 }) submissionId!: string;
  @Column({ name: 'version', type: 'integer' }) version!: number;
  @Column({ name: 'previous_version_id', type: 'varchar', length: 200, nullable: true }) previousVersionId!:
    string | null;
  @Column({ name: 'region', type: 'varchar', length: 10 }) region!: string;
  @Column({ name: 'fiscal_year', type: 'integer', nullable: true }) fiscalYear!: number | null;
  @Column({ name: 'form_type', type: 'varchar', length: 20 }) formType!: 'project' | 'department';
  @Column({ name: 'unit_name', type: 'varchar', length: 500, nullable: true }) unitName!: string | null;
  @Column({ name: 'project_name', type: 'varchar', length: 500, nullable: true }) projectName!: string | null;
  @Column({ name: 'state', type: 'varchar', length: 20 }) state!: ReviewState;
  @Column({ name: 'revision', type: 'integer' }) revision!: number;
  @Column({ name: 'received_at', type: 'varchar', length: 30, nullable: true }) receivedAt!: string | null;

  @Column({ name: 'result_id', type: 'varchar', length: 200, nullable: true }) resultId!: string | null;
  @Column({ name: 'scored_at', type: 'varchar', length: 30, nullable: true }) scoredAt!: string | null;
  @Column({ name: 'total', type: 'double precision', nullable: true }) total!: number | null;
  @Column({ name: 'grade', type: 'varchar', length: 20, nullable: true }) grade!: string | null;
  @Column({ name: 'execution_rate', type: 'double precision', nullable: true }) executionRate!: number | null;
  @Column({ name: 'finding_errors', type: 'integer', nullable: true }) findingErrors!: number | null;
  @Column({ name: 'finding_warnings', type: 'integer', nullable: true }) findingWarnings!: number | null;
  @Column({ name: 'finding_infos', type: 'integer', nullable: true }) findingInfos!: number | null;
  @Column({ name: 'finding_codes', type: 'simple-json', nullable: true }) findingCodes!: FindingCode[] | null;
  @Column({ name: 'routing_decision', type: 'varchar', length: 20, nullable: true }) routingDecision!:
    'auto-approve' | 'manual-review' | null;
  @Column({ name: 'routing_reasons', type: 'simple-json', nullable: true }) routingReasons!: string[] | null;
  @Column({ name: 'rule_set_id', type: 'varchar', length: 100, nullable: true }) ruleSetId!: string | null;
  @Column({ name: 'rule_set_version', type: 'integer', nullable: true }) ruleSetVersion!: number | null;
  @Column({ name: 'rule_set_hash', type: 'varchar', length: 71, nullable: true }) ruleSetHash!: string | null;

  @Column({ name: 'last_reason', type: 'text', nullable: true }) lastReason!: string | null;
  @Column({ name: 'public_path', type: 'varchar', length: 300, nullable: true }) publicPath!: string | null;
  /**
   * The reviewer working on it (taken from the queue, or claimed), until when: others' queues skip it meanwhile.
   * Not a change of the case (no revision, no audit record); a decision clears it.
   */
  @Column({ name: 'held_by', type: 'varchar', length: 200, nullable: true }) heldBy!: string | null;
  @Column({ name: 'held_until', type: 'varchar', length: 30, nullable: true }) heldUntil!: string | null;
  @Column({ name: 'created_at', type: 'varchar', length: 30 }) createdAt!: string;
  @Column({ name: 'updated_at', type: 'varchar', length: 30 }) updatedAt!: string;
}
