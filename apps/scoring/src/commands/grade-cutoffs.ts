import { Inject, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler, type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource, EntityManager } from 'typeorm';
import { assertAllowed, type Principal } from '@jixiao/auth';
import {
  type GradeCutoff,
  gradeCutoffs,
  type ResolvedRuleSet,
  type TierCutoff,
  tierCutoffs,
  withCutoffs,
  withTierCutoffs,
} from '@jixiao/scoring';
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

/**
 * New starts and defaults for a rule set's qualitative tiers (fractions of the weight, by tier), written as a draft
 * as SetGradeCutoffs writes grades.
 */
export class SetTierCutoffs {
  constructor(
    readonly ruleSetId: string,
    readonly set: Readonly<Record<string, { from?: number; default: number }>>,
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
  /** The qualitative tiers, best first. */
  tiers: TierCutoff[];
  /** The tiers come from an ancestor. */
  tiersInherited: boolean;
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

/** The base's effective rules, resolved with the other rule sets as they are active. */
async function effectiveOf(m: EntityManager, base: RuleVersionRow) {
  const active = (await activeVersions(m)).filter((v) => v.ruleSetId !== base.ruleSetId);
  return buildRegistry([...active, base]).resolveById(base.ruleSetId);
}

type Body = Record<string, unknown>;

/**
 * A rule admin's adjustment of a rule set: `plan` reads the effective rules of its base (the latest draft, else the
 * latest active version) and answers how the base's text changes (or throws the refusal); the result is saved as a
 * draft through SaveDraft: the base itself when it is one, else a new draft.
 */
async function adjustDraft(
  m: EntityManager,
  commands: CommandBus,
  ruleSetId: string,
  principal: Principal,
  plan: (effective: ResolvedRuleSet) => (body: Body) => Body,
): Promise<SavedDraft> {
  const base = await baseOf(m, ruleSetId);
  assertAllowed(principal, 'manage-rules', { region: base.region });
  const change = plan(await effectiveOf(m, base));
  return commands.execute<SaveDraft, SavedDraft>(
    new SaveDraft(
      ruleSetId,
      change(JSON.parse(base.raw!) as Body),
      principal,
      base.status === 'draft' ? base.version : null,
    ),
  );
}

/** 422 in the rule pages' form: each problem at its JSON path, in both languages. */
function refused(
  ruleSetId: string,
  what: string,
  path: string,
  problems: ReadonlyArray<{ message: string; messageZh: string }>,
) {
  return new UnprocessableEntityException({
    message: `the ${what} were not saved: ${problems.map((p) => p.message).join('; ')}`,
    issues: problems.map((p) => ({ file: `api:${ruleSetId}`, path, message: p.message, messageZh: p.messageZh })),
  });
}

@QueryHandler(GetGradeCutoffs)
export class GetGradeCutoffsHandler implements IQueryHandler<GetGradeCutoffs, GradeCutoffsView> {
  constructor(@Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ ruleSetId }: GetGradeCutoffs): Promise<GradeCutoffsView> {
    const m = this.dataSource.manager;
    const base = await baseOf(m, ruleSetId);
    const effective = await effectiveOf(m, base);
    const own = JSON.parse(base.raw!) as { grades?: unknown; qualitative?: { tiers?: unknown } };
    return {
      base: { version: base.version, status: base.status },
      cutoffs: gradeCutoffs(effective.grades),
      inherited: own.grades === undefined,
      tiers: tierCutoffs(effective.qualitative.tiers),
      tiersInherited: own.qualitative?.tiers === undefined,
    };
  }
}

@CommandHandler(SetGradeCutoffs)
export class SetGradeCutoffsHandler implements ICommandHandler<SetGradeCutoffs, SavedDraft> {
  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly commands: CommandBus,
  ) {}

  execute({ ruleSetId, from, principal }: SetGradeCutoffs): Promise<SavedDraft> {
    return adjustDraft(this.dataSource.manager, this.commands, ruleSetId, principal, (effective) => {
      const changed = withCutoffs(effective.grades, from);
      if ('problems' in changed) throw refused(ruleSetId, 'grade bands', '$.grades', changed.problems);
      return (body) => ({ ...body, grades: changed.grades });
    });
  }
}

@CommandHandler(SetTierCutoffs)
export class SetTierCutoffsHandler implements ICommandHandler<SetTierCutoffs, SavedDraft> {
  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly commands: CommandBus,
  ) {}

  execute({ ruleSetId, set, principal }: SetTierCutoffs): Promise<SavedDraft> {
    return adjustDraft(this.dataSource.manager, this.commands, ruleSetId, principal, (effective) => {
      const changed = withTierCutoffs(effective.qualitative.tiers, set);
      if ('problems' in changed) throw refused(ruleSetId, 'qualitative tiers', '$.qualitative.tiers', changed.problems);
      return (body) => ({
        ...body,
        qualitative: { ...((body.qualitative as object | undefined) ?? {}), tiers: changed.tiers },
      });
    });
  }
}
