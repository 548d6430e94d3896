import { Inject, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler, type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource, EntityManager } from 'typeorm';
import { assertAllowed, type Principal } from '@jixiao/auth';
import { type GradeCutoff, gradeCutoffs, withCutoffs } from '@jixiao/scoring';
import type { RuleVersionRow } from '../domain/rule-version';
import { buildRegistry } from '../infrastructure/active-rule-sets';
import { SCORING_DATA_SOURCE } from '../infrastructure/scoring.tokens';
import { activeVersions, versionsOf } from '../persistence/rule-version-store';
import { SaveDraft } from './rule-version.commands';
import type { SavedDraft } from './save-draft.handler';

/** A rule set's grade bands as a rule admin adjusts them: those of its latest draft, else of its latest active version. */
export class GetGradeCutoffs {
  constructor(readonly ruleSetId: string) {}
}

/**
 * New lower ends for a rule set's grade bands (by grade), written as a draft: the latest draft edited, else a new
 * draft from the latest active version; the region's file then holds the bands even if it inherited them.
 */
export class SetGradeCutoffs {
  constructor(
    readonly ruleSetId: string,
    readonly from: Readonly<Record<string, number>>,
    readonly principal: Principal,
  ) {}
}

export interface GradeCutoffsView {
  /** The version the bands are read from, and a new draft is based on. */
  base: { version: number; status: string };
  /** Best first; null when the grade rules are not plain bands (only the rule file can change them). */
  cutoffs: GradeCutoff[] | null;
  /** The bands come from an ancestor (CN, a province): saving writes them into this rule set's own file. */
  inherited: boolean;
}

/** The latest draft, else the latest active version, with its text. */
async function baseOf(m: EntityManager, ruleSetId: string): Promise<RuleVersionRow> {
  const all = await versionsOf(m, ruleSetId);
  if (!all.length) throw new NotFoundException(`no rule set ${ruleSetId}`);
  const latest = (status: string) => [...all].reverse().find((v) => v.status === status && v.raw !== null);
  const base = latest('draft') ?? latest('active');
  if (!base) throw new NotFoundException(`${ruleSetId} has no draft or active version with its text`);
  return base;
}

async function bandsOf(m: EntityManager, base: RuleVersionRow) {
  const active = (await activeVersions(m)).filter((v) => v.ruleSetId !== base.ruleSetId);
  return buildRegistry([...active, base]).resolveById(base.ruleSetId).grades;
}

@QueryHandler(GetGradeCutoffs)
export class GetGradeCutoffsHandler implements IQueryHandler<GetGradeCutoffs, GradeCutoffsView> {
  constructor(@Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ ruleSetId }: GetGradeCutoffs): Promise<GradeCutoffsView> {
    const m = this.dataSource.manager;
    const base = await baseOf(m, ruleSetId);
    return {
      base: { version: base.version, status: base.status },
      cutoffs: gradeCutoffs(await bandsOf(m, base)),
      inherited: !('grades' in (JSON.parse(base.raw!) as object)),
    };
  }
}

@CommandHandler(SetGradeCutoffs)
export class SetGradeCutoffsHandler implements ICommandHandler<SetGradeCutoffs, SavedDraft> {
  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly commands: CommandBus,
  ) {}

  async execute({ ruleSetId, from, principal }: SetGradeCutoffs): Promise<SavedDraft> {
    const m = this.dataSource.manager;
    const base = await baseOf(m, ruleSetId);
    assertAllowed(principal, 'manage-rules', { region: base.region });
    const changed = withCutoffs(await bandsOf(m, base), from);
    if ('problems' in changed)
      throw new UnprocessableEntityException({
        message: `the grade bands were not saved: ${changed.problems.map((p) => p.message).join('; ')}`,
        issues: changed.problems.map((p) => ({
          file: `api:${ruleSetId}`,
          path: '$.grades',
          message: p.message,
          messageZh: p.messageZh,
        })),
      });
    const body = { ...(JSON.parse(base.raw!) as Record<string, unknown>), grades: changed.grades };
    return this.commands.execute<SaveDraft, SavedDraft>(
      new SaveDraft(ruleSetId, body, principal, base.status === 'draft' ? base.version : null),
    );
  }
}
