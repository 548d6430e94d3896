import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('intake_submissions')
export class SubmissionEntity {
  @PrimaryColumn({ type: 'varchar', length: 64 }) id!: string;
  @Column({ type: 'varchar', length: 6 }) region!: string;
  @Column({ name: 'fiscal_year', type: 'integer', nullable: true }) fiscalYear!: number | null;
  @Column({ name: 'form_type', type: 'varchar', length: 20 }) formType!: 'project' | 'department';
  @Column({ name: 'unit_name', type: 'text', nullable: true }) unitName!: string | null;
  @Column({ name: 'project_name', type: 'text', nullable: true }) projectName!: string | null;
  @Column({ name: 'created_by', type: 'varchar', length: 200 }) createdBy!: string;
  @Column({ name: 'created_by_role', type: 'varchar', length: 50 }) createdByRole!: string;
  @Column({ name: 'created_at', type: 'varchar', length: 30 }) createdAt!: string;
  @Column({ name: 'latest_version', type: 'integer' }) latestVersion!: number;
}
