import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A region's roster for a fiscal year (domain/roster.ts): when and by whom it was set, and the deadline for the
 * forms, if one was given. Replaced whole with its units, in one transaction with its audit record.
 */
@Entity({ name: 'review_rosters' })
export class ReviewRoster {
  @PrimaryColumn({ name: 'region', type: 'varchar', length: 10 }) region!: string;
  @PrimaryColumn({ name: 'fiscal_year', type: 'integer' }) fiscalYear!: number;
  /** `YYYY-MM-DD`, the last day (China time) a form counts as on time; null: none set. */
  @Column({ name: 'deadline', type: 'varchar', length: 10, nullable: true }) deadline!: string | null;
  @Column({ name: 'set_at', type: 'varchar', length: 30 }) setAt!: string;
  @Column({ name: 'set_by', type: 'varchar', length: 200 }) setBy!: string;
}

/** One unit of a roster: `unitKey` is what matches a submission's unit name; `position` keeps the order given. */
@Entity({ name: 'review_roster_units' })
export class ReviewRosterUnit {
  @PrimaryColumn({ name: 'region', type: 'varchar', length: 10 }) region!: string;
  @PrimaryColumn({ name: 'fiscal_year', type: 'integer' }) fiscalYear!: number;
  @PrimaryColumn({ name: 'unit_key', type: 'varchar', length: 300 }) unitKey!: string;
  @Column({ name: 'unit_name', type: 'varchar', length: 300 }) unitName!: string;
  @Column({ name: 'position', type: 'integer' }) position!: number;
}
