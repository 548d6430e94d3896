import type { EntityManager } from 'typeorm';
import type { EventPayload } from '@jixiao/contracts';

export type Approval = EventPayload<'review.evaluation.approved.v1'>;

/**
 * Publish (or revise) the disclosure of an approved evaluation. Runs in the caller's transaction — the inbox's,
 * where the event id is recorded — so the disclosure, its audit record and the outgoing event commit together.
 */
export class PublishEvaluation {
  constructor(
    readonly approval: Approval,
    readonly manager: EntityManager,
    readonly correlationId: string | null = null,
  ) {}
}

export type PublishOutcome =
  | { kind: 'first' | 'revise' | 'republish' | 'unchanged'; disclosureId: string; revision: number }
  | { kind: 'stale'; disclosureId: string; revision: number };
