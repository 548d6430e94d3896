import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { RuleSetError } from '@jixiao/scoring';
import { ActiveRuleSets } from '../infrastructure/active-rule-sets';
import { SCORING_DATA_SOURCE } from '../infrastructure/scoring.tokens';
import { activeVersions } from '../persistence/rule-version-store';
import { GetEffectiveRuleSet, ListRuleSets } from './rule-set.queries';

/** The active rule sets (what scoring uses now), each with its active version. */
@QueryHandler(ListRuleSets)
export class ListRuleSetsHandler implements IQueryHandler<ListRuleSets> {
  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(ActiveRuleSets) private readonly ruleSets: ActiveRuleSets,
  ) {}

  async execute() {
    const m = this.dataSource.manager;
    const registry = await this.ruleSets.current(m);
    // a rule set may have several active versions (for disjoint years): each listed set names its own
    const versions = new Map((await activeVersions(m)).map((v) => [`${v.ruleSetId}@v${v.version}`, v]));
    return registry.list().map((s) => ({
      id: s.id,
      versionId: versions.get(`${s.id}@v${s.version}`)?.id ?? null,
      version: s.version,
      hash: s.hash,
      region: s.region,
      years: s.years,
      extends: s.extends,
      source: s.source,
      status: 'active',
    }));
  }
}

@QueryHandler(GetEffectiveRuleSet)
export class GetEffectiveRuleSetHandler implements IQueryHandler<GetEffectiveRuleSet> {
  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(ActiveRuleSets) private readonly ruleSets: ActiveRuleSets,
  ) {}

  async execute({ region, fiscalYear }: GetEffectiveRuleSet) {
    const m = this.dataSource.manager;
    const registry = await this.ruleSets.current(m);
    let ruleSet;
    try {
      ruleSet = registry.resolveByName(region, fiscalYear);
    } catch (err) {
      if (err instanceof RuleSetError) throw new NotFoundException(err.message);
      throw err;
    }
    const v = (await activeVersions(m)).find((x) => x.ruleSetId === ruleSet.id && x.version === ruleSet.version);
    return { versionId: v?.id ?? null, status: 'active', ...ruleSet };
  }
}
