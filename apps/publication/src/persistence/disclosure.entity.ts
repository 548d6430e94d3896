import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { PUBLICATION_TABLES } from './publication.tables';

export type DisclosureStatus = 'published' | 'retracted';

/**
 * One per evaluation: what the public pages list. The figures of the current revision are copied here so a region's
 * list is one indexed query; every revision itself lives in `publication_disclosure_revisions`.
 */
@Entity({ name: PUBLICATION_TABLES.disclosures })
@Index('ix_publication_disclosures_region_year', ['region', 'fiscalYear'])
export class DisclosureEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Index('ux_publication_disclosures_evaluation', { unique: true })
  @Column({ name: 'evaluation_id', type: 'varchar', length: 200 })
  evaluationId!: string;

  @Index('ix_publication_disclosures_submission')
  @Column({ name: 'submission_id', type: 'varchar', length: 200 })
  submissionId!: string;

  @Column({ type: 'varchar', length: 6 })
  region!: string;

  @Column({ name: 'region_name', type: 'varchar', length: 100, nullable: true })
  regionName!: string | null;

  @Column({ name: 'fiscal_year', type: 'integer', nullable: true })
  fiscalYear!: number | null;

  @Column({ name: 'form_type', type: 'varchar', length: 20 })
  formType!: 'project' | 'department';

  @Column({ name: 'unit_name', type: 'text', nullable: true })
  unitName!: string | null;

  @Column({ name: 'project_name', type: 'text', nullable: true })
  projectName!: string | null;

  /** The current revision number (1 = first publication; more = revised). */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ type: 'varchar', length: 20 })
  status!: DisclosureStatus;

  @Column({ type: 'double precision', nullable: true })
  total!: number | null;

  @Column({ type: 'varchar', length: 20, nullable: true })
  grade!: string | null;

  @Column({ name: 'execution_rate', type: 'double precision', nullable: true })
  executionRate!: number | null;

  @Column({ name: 'first_published_at', type: 'varchar', length: 30 })
  firstPublishedAt!: string;

  /** When the current revision was published. */
  @Column({ name: 'published_at', type: 'varchar', length: 30 })
  publishedAt!: string;

  @Column({ name: 'retracted_at', type: 'varchar', length: 30, nullable: true })
  retractedAt!: string | null;

  @Column({ name: 'retraction_reason', type: 'text', nullable: true })
  retractionReason!: string | null;

  @Column({ name: 'retracted_by', type: 'varchar', length: 200, nullable: true })
  retractedBy!: string | null;

  /** The re-scoring run that changed the published figures and sent the evaluation back to review; null once approved again. */
  @Column({ name: 'under_review_run_id', type: 'varchar', length: 200, nullable: true })
  underReviewRunId!: string | null;
}
