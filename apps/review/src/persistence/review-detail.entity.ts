import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CanonicalEvaluation, ScoreResult } from '@jixiao/contracts';

/**
 * The read model's heavy part, kept out of the case row so listing never loads it: the canonical evaluation from
 * the submission event and the latest full score result (`resultId` says which score it belongs to: a bulk
 * re-scoring may send a summary without the breakdown).
 */
@Entity({ name: 'review_details' })
export class ReviewDetail {
  @PrimaryColumn({ name: 'evaluation_id', type: 'varchar', length: 200 }) evaluationId!: string;
  @Column({ name: 'evaluation', type: 'simple-json', nullable: true }) evaluation!: CanonicalEvaluation | null;
  @Column({ name: 'result_id', type: 'varchar', length: 200, nullable: true }) resultId!: string | null;
  @Column({ name: 'score_result', type: 'simple-json', nullable: true }) scoreResult!: ScoreResult | null;
  @Column({ name: 'updated_at', type: 'varchar', length: 30 }) updatedAt!: string;
}
