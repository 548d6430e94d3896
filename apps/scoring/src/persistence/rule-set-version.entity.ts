import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('scoring_rule_set_versions')
export class RuleSetVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 120 }) id!: string;
  @Column({ name: 'rule_set_id', type: 'varchar', length: 60 }) ruleSetId!: string;
  @Column({ type: 'varchar', length: 6 }) region!: string;
  @Column({ type: 'integer' }) version!: number;
  @Column({ type: 'varchar', length: 71 }) hash!: string;
  @Column({ name: 'years_from', type: 'integer', nullable: true }) yearsFrom!: number | null;
  @Column({ name: 'years_to', type: 'integer', nullable: true }) yearsTo!: number | null;
  @Column({ type: 'text' }) content!: string;
  @Column({ type: 'varchar', length: 20 }) status!: 'draft' | 'active' | 'retired';
  @Column({ name: 'loaded_at', type: 'varchar', length: 30 }) loadedAt!: string;
}
