import { Injectable } from '@nestjs/common';
import type { EventPayload } from '@jixiao/contracts';
import { type EventHandlerClass, type HandlerContext, OnEvent } from '@jixiao/messaging';
import { insertMany } from '@jixiao/persistence';
import { REVIEW_TABLES } from '../persistence/review-tables';

type Snapshot = EventPayload<'scoring.ruleset.snapshot.v1'>;

/**
 * Keeps the effective rules scores cite (once per combination; scoring may send one again), from which the
 * breakdowns of scores are recomputed (breakdowns.ts). Batched, and with no order keys, so the scores after it in
 * the inbox are handled after it.
 */
@Injectable()
@OnEvent('scoring.ruleset.snapshot.v1')
export class OnRuleSetSnapshot implements EventHandlerClass<'scoring.ruleset.snapshot.v1'> {
  async handle(payload: Snapshot, context: HandlerContext): Promise<void> {
    await this.handleBatch([{ payload, context }]);
  }

  async handleBatch(items: ReadonlyArray<{ payload: Snapshot; context: HandlerContext }>): Promise<void> {
    if (items.length === 0) return;
    await insertMany(
      items[0].context.manager,
      REVIEW_TABLES.ruleSnapshots,
      ['rule_set_id', 'rule_set_version', 'hash', 'content', 'recorded_at'],
      items.map(({ payload: p }) => [p.ruleSet.id, p.ruleSet.version, p.ruleSet.hash, p.content, p.recordedAt]),
      { onConflictDoNothing: ['rule_set_id', 'rule_set_version', 'hash'] },
    );
  }
}
