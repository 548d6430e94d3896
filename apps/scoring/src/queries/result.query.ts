import { ConflictException, Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { assertAllowed, type Principal } from '@jixiao/auth';
import { dialectOf } from '@jixiao/persistence';
import { RuleSnapshotError, score, type ResolvedRuleSet, type RuleSetRegistry } from '@jixiao/scoring';
import { ActiveRuleSets } from '../infrastructure/active-rule-sets';
import { RuleSnapshots } from '../persistence/rule-snapshots';
import { SCORING_DATA_SOURCE } from '../infrastructure/scoring.tokens';
import { SCORING_TABLES } from '../persistence/scoring-tables';
import { decodeStoredEvaluation } from '../persistence/stored-evaluation';
import { getRun } from '../rescoring/run-store';

/** A stored result; with `explain`, the full breakdown recomputed from the evaluation and the rules that produced it. */
export class GetResult {
  constructor(
    readonly resultId: string,
    readonly explain: boolean,
    readonly principal: Principal,
  ) {}
}

@QueryHandler(GetResult)
export class GetResultHandler implements IQueryHandler<GetResult> {
  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(ActiveRuleSets) private readonly ruleSets: ActiveRuleSets,
    @Inject(RuleSnapshots) private readonly snapshots: RuleSnapshots,
  ) {}

  async execute({ resultId, explain, principal }: GetResult) {
    const m = this.dataSource.manager;
    const p = dialectOf(m) === 'postgres' ? '$1' : '?';
    const [row] = await m.query(
      `SELECT r.*, e.evaluation FROM ${SCORING_TABLES.results} r JOIN ${SCORING_TABLES.evaluations} e ON e.evaluation_id = r.evaluation_id WHERE r.id = ${p}`,
      [resultId],
    );
    if (!row) throw new NotFoundException(`no result ${resultId}`);
    const evaluation = decodeStoredEvaluation(row.evaluation);
    assertAllowed(principal, 'read', { region: row.region, unitName: evaluation.unitName ?? null });
    const stored = JSON.parse(row.result);
    const view = {
      id: row.id,
      evaluationId: row.evaluation_id,
      region: row.region,
      fiscalYear: row.fiscal_year === null ? null : Number(row.fiscal_year),
      ruleSet: { id: row.rule_set_id, version: Number(row.rule_set_version), hash: row.rule_set_hash },
      total: row.total === null ? null : Number(row.total),
      grade: row.grade,
      routing: row.routing_decision,
      scoredAt: row.scored_at,
      rescoringRunId: row.rescoring_run_id,
      result: stored,
    };
    // a result stored whole (scored on submission before results kept only their figures) has its explanations
    if (!explain || stored?.compact !== 1) return view;
    const recompute = (ruleSet: ResolvedRuleSet) => ({
      ...view,
      result: score({ ...evaluation, region: row.region, fiscalYear: view.fiscalYear }, ruleSet, { explain: true }),
    });
    // the rules it was scored under, as kept beside it
    let kept: ResolvedRuleSet | null;
    try {
      kept = await this.snapshots.find(m, view.ruleSet);
    } catch (err) {
      if (err instanceof RuleSnapshotError)
        throw new ConflictException(`result ${resultId} cannot be explained: ${err.message}; its stored figures stand`);
      throw err;
    }
    if (kept) return recompute(kept);
    // results stored before snapshots were kept: the registries that may have produced it, its run's, then the
    // active one; the effective hash says which did
    const candidates: RuleSetRegistry[] = [];
    const run = row.rescoring_run_id ? await getRun(m, row.rescoring_run_id) : null;
    if (run) candidates.push(await this.ruleSets.forVersions(m, run.scope.versions, run.scope.overrides));
    candidates.push(await this.ruleSets.current(m));
    const year = view.fiscalYear;
    for (const registry of candidates) {
      let ruleSet;
      try {
        ruleSet = registry.resolve(row.region, year);
      } catch {
        continue;
      }
      if (ruleSet.hash !== row.rule_set_hash) continue;
      return recompute(ruleSet);
    }
    throw new ConflictException(
      `result ${resultId} was scored under rules (${row.rule_set_hash}) that are no longer the active combination; its stored figures stand`,
    );
  }
}
