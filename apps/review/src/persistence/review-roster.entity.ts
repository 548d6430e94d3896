import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One unit of a region's roster for a fiscal year (domain/roster.ts): the budget units the bureau expects
 * self-evaluations from. `unitKey` is what matches a submission's unit name; `position` keeps the order given.
 * A roster is replaced whole, in one transaction with its audit record.
 */
@Entity({ name: 'review_roster' })
export class ReviewRosterUnit {
  @PrimaryColumn({ name: 'region', type: 'varchar', length: 10 }) region!: string;
  @PrimaryColumn({ name: 'fiscal_year', type: 'integer' }) fiscalYear!: number;
  @PrimaryColumn({ name: 'unit_key', type: 'varchar', length: 300 }) unitKey!: string;
  @Column({ name: 'unit_name', type: 'varchar', length: 300 }) unitName!: string;
  @Column({ name: 'position', type: 'integer' }) position!: number;
  @Column({ name: 'set_at', type: 'varchar', length: 30 }) setAt!: string;
  @Column({ name: 'set_by', type: 'varchar', length: 200 }) setBy!: string;
}
