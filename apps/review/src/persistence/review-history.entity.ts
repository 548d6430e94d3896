import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * The history projection: one row per thing that happened to an evaluation (every event received, every action
 * taken here), oldest first by `id`. The audit log proves the trail; this table is what people read.
 */
@Entity({ name: 'review_history' })
export class ReviewHistory {
  @PrimaryGeneratedColumn({ name: 'id' }) id!: number;
  @Column({ name: 'evaluation_id', type: 'varchar', length: 200 }) evaluationId!: string;
  @Column({ name: 'at', type: 'varchar', length: 30 }) at!: string;
  @Column({ name: 'actor_user', type: 'varchar', length: 200 }) actorUser!: string;
  @Column({ name: 'actor_role', type: 'varchar', length: 50 }) actorRole!: string;
  @Column({ name: 'action', type: 'varchar', length: 50 }) action!: string;
  @Column({ name: 'from_state', type: 'varchar', length: 20, nullable: true }) fromState!: string | null;
  @Column({ name: 'to_state', type: 'varchar', length: 20, nullable: true }) toState!: string | null;
  @Column({ name: 'reason', type: 'text', nullable: true }) reason!: string | null;
  @Column({ name: 'source', type: 'varchar', length: 50 }) source!: string;
  @Column({ name: 'event_id', type: 'varchar', length: 200, nullable: true }) eventId!: string | null;
  @Column({ name: 'details', type: 'simple-json', nullable: true }) details!: Record<string, unknown> | null;
  /** The audit record of this step (null for notes that changed nothing). bigint: pg returns it as a string. */
  @Column({ name: 'audit_seq', type: 'bigint', nullable: true }) auditSeq!: string | number | null;
  @Column({ name: 'audit_hash', type: 'varchar', length: 71, nullable: true }) auditHash!: string | null;
}
