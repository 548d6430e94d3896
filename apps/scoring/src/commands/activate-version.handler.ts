import { randomBytes } from 'node:crypto';
import { ConflictException, Inject, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { assertAllowed } from '@jixiao/auth';
import { enqueueEvents } from '@jixiao/messaging';
import { afterCommitOf, appendAudit, withTransaction } from '@jixiao/persistence';
import { RuleSetError } from '@jixiao/scoring';
import { regionPrefix } from '../domain/rescore-scope';
import {
  replacement,
  showYears,
  type ActiveYears,
  type RuleVersionRow,
} from '../domain/rule-version';
import { ActiveRuleSets, buildRegistry } from '../infrastructure/active-rule-sets';
import { SCORING_DATA_SOURCE, SCORING_RESCORE_QUEUE } from '../infrastructure/scoring.tokens';
import {
  activeVersions,
  bumpGeneration,
  findVersion,
  markActive,
  markNarrowed,
  markRetired,
  ruleGeneration,
} from '../persistence/rule-version-store';
import { SCORING_SERVICE, SCORING_TABLES } from '../persistence/scoring-tables';
import type { RescoreQueue } from '../rescoring/rescore-queue';
import { runAudit } from '../rescoring/rescoring.service';
import { insertRun, type RunRow } from '../rescoring/run-store';
import { ActivateVersion, PreviewImpact } from './rule-version.commands';

export function newRunId(): string {
  return `run_${randomBytes(12).toString('hex')}`;
}

const yearsOf = (v: RuleVersionRow): ActiveYears => ({ from: v.activeFrom, to: v.activeTo });

/** A version active for one range of years cannot keep the years on both sides of the new version's. */
function refuseSplit(v: RuleVersionRow, years: ActiveYears, split: readonly RuleVersionRow[]): void {
  if (!split.length) return;
  const p = split[0];
  throw new ConflictException(
    `${v.ruleSetId} v${v.version} for ${showYears(years)} lies strictly inside the years of active ${p.ruleSetId} ` +
      `v${p.version} (${showYears(yearsOf(p))}), which would be left active for two separate ranges: activate it for ` +
      `years that start or end where v${p.version}'s do, or activate two versions (one for each side)`,
  );
}

/**
 * What activating `v` for `years` (default: the years it has) would leave, for the activation and for its preview:
 * the other versions of its rule set retired, narrowed to the years it leaves them, or untouched (refused with 409 when
 * its years lie strictly inside one's), and the rule sets it would run under — the active ones with those changes and
 * `v` for its years (refused with 422 when they do not load together).
 */
function activationTarget(active: readonly RuleVersionRow[], v: RuleVersionRow, years: ActiveYears | null) {
  const activeYears = years ?? yearsOf(v);
  const replaced = replacement(
    active.filter((a) => a.ruleSetId === v.ruleSetId && a.id !== v.id),
    activeYears,
  );
  refuseSplit(v, activeYears, replaced.split);
  const target: RuleVersionRow[] = [
    ...active.filter((a) => a.ruleSetId !== v.ruleSetId),
    ...replaced.untouched,
    ...replaced.narrowed.map(({ version, years: left }) => ({ ...version, activeFrom: left.from, activeTo: left.to })),
    { ...v, status: 'active', activeFrom: activeYears.from, activeTo: activeYears.to },
  ];
  checkTarget(target, v);
  return { years: activeYears, replaced, target };
}

function checkTarget(rows: readonly RuleVersionRow[], v: RuleVersionRow) {
  try {
    return buildRegistry(rows);
  } catch (err) {
    if (err instanceof RuleSetError)
      throw new UnprocessableEntityException({
        message: `${v.ruleSetId} v${v.version} cannot be used with the active rule sets:\n${err.message}`,
        issues: err.issues,
      });
    throw err;
  }
}

/**
 * Activation, in one transaction: the version becomes active for its years (each version of the rule set active before
 * for some of those years is retired when the new years cover all of its own, else narrowed to the years left to it —
 * refused when that would be two ranges — so other years keep the rules they had), the rule generation moves on (so
 * every scoring process rebuilds its rules before scoring again — transactions scoring with the old rules finish
 * first), a re-scoring run is created and `scoring.ruleset.activated.v1` written, all audited with the actor and
 * reason. After commit the run is planned through the queue.
 */
@CommandHandler(ActivateVersion)
export class ActivateVersionHandler implements ICommandHandler<ActivateVersion, { version: number; runId: string }> {
  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(ActiveRuleSets) private readonly ruleSets: ActiveRuleSets,
    @Inject(SCORING_RESCORE_QUEUE) private readonly queue: RescoreQueue,
  ) {}

  async execute({ ruleSetId, version, reason, years, principal }: ActivateVersion) {
    const runId = newRunId();
    await withTransaction(this.dataSource, async (m) => {
      await ruleGeneration(m, 'update');
      const v = await findVersion(m, ruleSetId, version);
      if (!v) throw new NotFoundException(`rule set ${ruleSetId} has no version ${version}`);
      assertAllowed(principal, 'manage-rules', { region: v.region });
      if (v.status === 'active') throw new ConflictException(`${ruleSetId} v${version} is already active (${showYears({ from: v.activeFrom, to: v.activeTo })})`);
      if (!v.raw) throw new ConflictException(`${ruleSetId} v${version} was recorded before versions kept their text and cannot be activated`);
      // the run's registry: evaluations of the years a narrowed version keeps resolve to it (unchanged: not re-scored)
      const { years: activeYears, replaced, target } = activationTarget(await activeVersions(m), v, years);
      // the version it replaced for those years (the latest, when it overlaps several)
      const replacedVersions = [...replaced.retired, ...replaced.narrowed.map((n) => n.version)].map((p) => p.version);
      const previousVersion = replacedVersions.length ? Math.max(...replacedVersions) : null;
      const now = new Date().toISOString();
      const actor = { user: principal.sub, role: principal.role };
      await markActive(m, v.id, { years: activeYears, at: now, by: principal.sub, reason });
      for (const p of replaced.retired) await markRetired(m, p.id, now);
      for (const n of replaced.narrowed) await markNarrowed(m, n.version.id, n.years);
      const generation = await bumpGeneration(m);
      const run: RunRow = {
        id: runId,
        kind: 'activation',
        ruleSetId,
        version,
        versionId: v.id,
        status: 'planning',
        scope: { regionPrefix: regionPrefix(v.region), years: activeYears, versions: target.map((t) => t.id) },
        chunkSize: this.queue.chunkSize,
        total: null,
        chunkCount: null,
        ruleGeneration: generation,
        createdBy: principal.sub,
        reason,
        createdAt: now,
        startedAt: null,
        finishedAt: null,
        resumes: 0,
        error: null,
        report: null,
      };
      await insertRun(m, run);
      await enqueueEvents(m, SCORING_SERVICE, [
        {
          name: 'scoring.ruleset.activated.v1' as const,
          payload: {
            ruleSetId,
            region: v.region,
            version,
            hash: v.hash,
            years: activeYears,
            previousVersion: previousVersion,
            runId,
            actor,
            reason,
            activatedAt: now,
          },
          dedupeKey: `activated:${v.id}:${runId}`,
          correlationId: runId,
          occurredAt: now,
        },
      ]);
      await appendAudit(m, SCORING_TABLES.audit, [
        ...replaced.retired.map((p) => ({
          actor,
          entityType: 'rule-set',
          entityId: p.id,
          action: 'rule set retired',
          fromState: 'active',
          toState: 'retired',
          reason: `replaced by ${ruleSetId} v${version}: ${reason}`,
          payload: { id: ruleSetId, version: p.version, hash: p.hash },
          at: now,
        })),
        ...replaced.narrowed.map(({ version: p, years: left }) => ({
          actor,
          entityType: 'rule-set',
          entityId: p.id,
          action: 'rule set narrowed',
          fromState: 'active',
          toState: 'active',
          reason:
            `replaced by ${ruleSetId} v${version} for ${showYears(activeYears)}: ${reason}; ` +
            `active years ${showYears(yearsOf(p))} → ${showYears(left)}`,
          payload: { id: ruleSetId, version: p.version, hash: p.hash, yearsBefore: yearsOf(p), yearsAfter: left },
          at: now,
        })),
        {
          actor,
          entityType: 'rule-set',
          entityId: v.id,
          action: 'rule set activated',
          fromState: v.status,
          toState: 'active',
          reason,
          payload: { id: ruleSetId, version, hash: v.hash, years: activeYears, runId, previousVersion },
          at: now,
        },
        runAudit(run, 'rescoring run created', null, 'planning', `activation of ${ruleSetId} v${version} (${showYears(activeYears)})`, now, actor),
      ]);
      afterCommitOf(m, () => this.ruleSets.invalidate());
    });
    await this.queue.enqueuePlan(runId, 0).catch(() => undefined); // the supervisor adds it when Redis is back
    return { version, runId };
  }
}

/** A what-if run: the version in place of its rule set's, every governed evaluation re-scored in memory only. */
@CommandHandler(PreviewImpact)
export class PreviewImpactHandler implements ICommandHandler<PreviewImpact, { runId: string }> {
  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SCORING_RESCORE_QUEUE) private readonly queue: RescoreQueue,
  ) {}

  async execute({ ruleSetId, version, principal, years }: PreviewImpact) {
    const runId = newRunId();
    await withTransaction(this.dataSource, async (m) => {
      const v = await findVersion(m, ruleSetId, version);
      if (!v) throw new NotFoundException(`rule set ${ruleSetId} has no version ${version}`);
      assertAllowed(principal, 'manage-rules', { region: v.region });
      if (!v.raw) throw new ConflictException(`${ruleSetId} v${version} keeps no text to preview`);
      // the rules the activation would leave, nothing written: the run reads the years it would give from `overrides`
      const { years: activeYears, replaced, target } = activationTarget(await activeVersions(m), v, years);
      const overrides: Record<string, ActiveYears> = { [v.id]: activeYears };
      for (const n of replaced.narrowed) overrides[n.version.id] = n.years;
      await insertRun(m, {
        id: runId,
        kind: 'impact',
        ruleSetId,
        version,
        versionId: v.id,
        status: 'planning',
        scope: { regionPrefix: regionPrefix(v.region), years: activeYears, versions: target.map((t) => t.id), overrides },
        chunkSize: this.queue.chunkSize,
        total: null,
        chunkCount: null,
        ruleGeneration: await ruleGeneration(m, null),
        createdBy: principal.sub,
        reason: null,
        createdAt: new Date().toISOString(),
        startedAt: null,
        finishedAt: null,
        resumes: 0,
        error: null,
        report: null,
      });
    });
    await this.queue.enqueuePlan(runId, 0).catch(() => undefined);
    return { runId };
  }
}
