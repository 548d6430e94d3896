import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Breakdown } from '../domain/breakdown';
import { PUBLICATION_TABLES } from './publication.tables';

/** Every published version of a disclosure. Rows are only ever inserted: history is never overwritten. */
@Entity({ name: PUBLICATION_TABLES.revisions })
export class DisclosureRevisionEntity {
  @PrimaryColumn({ name: 'disclosure_id', type: 'varchar', length: 64 })
  disclosureId!: string;

  @PrimaryColumn({ type: 'integer' })
  revision!: number;

  @Column({ name: 'evaluation_id', type: 'varchar', length: 200 })
  evaluationId!: string;

  @Column({ name: 'submission_id', type: 'varchar', length: 200 })
  submissionId!: string;

  @Column({ name: 'submission_version', type: 'integer' })
  submissionVersion!: number;

  @Column({ type: 'double precision', nullable: true })
  total!: number | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  grade!: string | null;

  @Column({ name: 'execution_rate', type: 'double precision', nullable: true })
  executionRate!: number | null;

  /** Indicators with weight/score/explanation, sections, execution, findings summary (null when the event had no result). */
  @Column({ type: 'simple-json', nullable: true })
  breakdown!: Breakdown | null;

  @Column({ name: 'score_result_id', type: 'varchar', length: 200 })
  scoreResultId!: string;

  @Column({ name: 'rule_set_id', type: 'varchar', length: 100 })
  ruleSetId!: string;

  @Column({ name: 'rule_set_version', type: 'integer' })
  ruleSetVersion!: number;

  @Column({ name: 'rule_set_hash', type: 'varchar', length: 71 })
  ruleSetHash!: string;

  /** Why this revision exists (null for the first publication). */
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'approved_by', type: 'varchar', length: 200 })
  approvedBy!: string;

  @Column({ type: 'boolean' })
  automatic!: boolean;

  @Column({ name: 'approved_at', type: 'varchar', length: 30 })
  approvedAt!: string;

  @Column({ name: 'published_at', type: 'varchar', length: 30 })
  publishedAt!: string;

  /** Set when a bulk re-scoring run made this revision (its figures await a reviewer's approval); null for approvals. */
  @Column({ name: 'rescoring_run_id', type: 'varchar', length: 200, nullable: true })
  rescoringRunId!: string | null;

  /** When scoring produced the revision's result (null: not known — an approval event from before it was sent). */
  @Column({ name: 'scored_at', type: 'varchar', length: 30, nullable: true })
  scoredAt!: string | null;
}
