import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One immutable version of a submission; `evaluationId` is the id every other service uses. */
@Entity('intake_versions')
export class VersionEntity {
  @PrimaryColumn({ name: 'evaluation_id', type: 'varchar', length: 64 }) evaluationId!: string;
  @Column({ name: 'submission_id', type: 'varchar', length: 64 }) submissionId!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ name: 'previous_version_id', type: 'varchar', length: 64, nullable: true }) previousVersionId!:
    string | null;
  @Column({ type: 'text' }) evaluation!: string;
  @Column({ name: 'evaluation_hash', type: 'varchar', length: 71 }) evaluationHash!: string;
  @Column({ name: 'document_name', type: 'text', nullable: true }) documentName!: string | null;
  @Column({ name: 'document_media_type', type: 'varchar', length: 200, nullable: true }) documentMediaType!:
    string | null;
  @Column({ name: 'document_sha256', type: 'varchar', length: 71, nullable: true }) documentSha256!: string | null;
  @Column({ name: 'document_form_index', type: 'integer', nullable: true }) documentFormIndex!: number | null;
  @Column({ type: 'text' }) diagnostics!: string;
  @Column({ name: 'created_at', type: 'varchar', length: 30 }) createdAt!: string;
  @Column({ name: 'created_by', type: 'varchar', length: 200 }) createdBy!: string;
  @Column({ name: 'created_by_role', type: 'varchar', length: 50 }) createdByRole!: string;
}
