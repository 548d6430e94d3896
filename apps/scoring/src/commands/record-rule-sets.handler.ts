import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { appendAudit, dialectOf, insertMany, withTransaction } from '@jixiao/persistence';
import type { RuleSetRegistry } from '@jixiao/scoring';
import { RULE_SET_VERSION_COLUMNS, ruleSetVersionId, ruleSetVersionRow } from '../domain/rule-set-record';
import { SCORING_ACTOR } from '../domain/score-record';
import { SCORING_DATA_SOURCE, SCORING_REGISTRY } from '../infrastructure/scoring.tokens';
import { SCORING_TABLES } from '../persistence/scoring-tables';
import { RecordRuleSets, type RecordRuleSetsResult } from './record-rule-sets.command';

const T = SCORING_TABLES;

/**
 * Each rule set whose (id, content hash) is new becomes a version row with an audit record `rule set loaded`, in
 * one transaction. For now a new version is `active` at once (issue 5 brings drafts and activation).
 */
@CommandHandler(RecordRuleSets)
export class RecordRuleSetsHandler implements ICommandHandler<RecordRuleSets, RecordRuleSetsResult> {
  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SCORING_REGISTRY) private readonly registry: RuleSetRegistry,
  ) {}

  async execute(): Promise<RecordRuleSetsResult> {
    const loaded = this.registry.list().map((s) => this.registry.resolveById(s.id));
    return withTransaction(this.dataSource, async (m) => {
      // replicas starting together: the second waits here and then finds the versions the first recorded
      if (dialectOf(m) === 'postgres') await m.query(`LOCK TABLE ${T.ruleSetVersions} IN SHARE ROW EXCLUSIVE MODE`);
      const known = new Set<string>(
        (await m.query(`SELECT id FROM ${T.ruleSetVersions}`)).map((r: { id: string }) => r.id),
      );
      const fresh = loaded.filter((r) => !known.has(ruleSetVersionId(r)));
      if (fresh.length === 0) return { recorded: [] };
      const now = new Date().toISOString();
      await insertMany(
        m,
        T.ruleSetVersions,
        [...RULE_SET_VERSION_COLUMNS],
        fresh.map((r) => ruleSetVersionRow(r, 'active', now)),
      );
      await appendAudit(
        m,
        T.audit,
        fresh.map((r) => ({
          actor: SCORING_ACTOR,
          entityType: 'rule-set',
          entityId: ruleSetVersionId(r),
          action: 'rule set loaded',
          fromState: null,
          toState: 'active',
          reason: `${r.id} v${r.version} (${r.region.name}) first seen with hash ${r.hash}`,
          payload: { id: r.id, version: r.version, hash: r.hash, region: r.region.code, years: r.years },
          at: now,
        })),
      );
      return { recorded: fresh.map(ruleSetVersionId) };
    });
  }
}
