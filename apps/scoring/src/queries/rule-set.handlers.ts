import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { RuleSetError, type RuleSetRegistry } from '@jixiao/scoring';
import { ruleSetVersionId } from '../domain/rule-set-record';
import { SCORING_DATA_SOURCE, SCORING_REGISTRY } from '../infrastructure/scoring.tokens';
import { RuleSetVersionEntity } from '../persistence/rule-set-version.entity';
import { GetEffectiveRuleSet, ListRuleSets } from './rule-set.queries';

async function statusById(dataSource: DataSource): Promise<Map<string, string>> {
  const rows = await dataSource.getRepository(RuleSetVersionEntity).find({ select: ['id', 'status'] });
  return new Map(rows.map((r) => [r.id, r.status]));
}

@QueryHandler(ListRuleSets)
export class ListRuleSetsHandler implements IQueryHandler<ListRuleSets> {
  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SCORING_REGISTRY) private readonly registry: RuleSetRegistry,
  ) {}

  async execute() {
    const status = await statusById(this.dataSource);
    return this.registry.list().map((s) => {
      const versionId = ruleSetVersionId(s);
      return {
        id: s.id,
        versionId,
        version: s.version,
        hash: s.hash,
        region: s.region,
        years: s.years,
        extends: s.extends,
        source: s.source,
        status: status.get(versionId) ?? 'unrecorded',
      };
    });
  }
}

@QueryHandler(GetEffectiveRuleSet)
export class GetEffectiveRuleSetHandler implements IQueryHandler<GetEffectiveRuleSet> {
  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SCORING_REGISTRY) private readonly registry: RuleSetRegistry,
  ) {}

  async execute({ region, fiscalYear }: GetEffectiveRuleSet) {
    let ruleSet;
    try {
      ruleSet = this.registry.resolveByName(region, fiscalYear);
    } catch (err) {
      if (err instanceof RuleSetError) throw new NotFoundException(err.message);
      throw err;
    }
    const versionId = ruleSetVersionId(ruleSet);
    const status = (await statusById(this.dataSource)).get(versionId) ?? 'unrecorded';
    return { versionId, status, ...ruleSet };
  }
}
