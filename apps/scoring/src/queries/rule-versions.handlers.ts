import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { diffRuleSets, formatRuleSetDiff, type ResolvedRuleSet } from '@jixiao/scoring';
import type { RuleVersionRow } from '../domain/rule-version';
import { buildRegistry } from '../infrastructure/active-rule-sets';
import { SCORING_DATA_SOURCE } from '../infrastructure/scoring.tokens';
import { activeVersions, findVersion, versionsOf } from '../persistence/rule-version-store';
import { DiffVersions, GetVersion, ListVersions } from './rule-versions.queries';

export function versionView(v: RuleVersionRow) {
  return {
    id: v.id,
    ruleSetId: v.ruleSetId,
    region: v.region,
    version: v.version,
    status: v.status,
    hash: v.hash,
    origin: v.origin,
    label: v.label,
    declaredVersion: v.declaredVersion,
    activeYears: v.status === 'active' ? { from: v.activeFrom, to: v.activeTo } : null,
    createdAt: v.loadedAt,
    createdBy: v.createdBy,
    updatedAt: v.updatedAt,
    activatedAt: v.activatedAt,
    activatedBy: v.activatedBy,
    reason: v.activationReason,
    retiredAt: v.retiredAt,
  };
}

@QueryHandler(ListVersions)
export class ListVersionsHandler implements IQueryHandler<ListVersions> {
  constructor(@Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ ruleSetId }: ListVersions) {
    const rows = await versionsOf(this.dataSource.manager, ruleSetId);
    if (!rows.length) throw new NotFoundException(`no rule set ${ruleSetId} (ids are file names under rules/: CN, 130126, 510000@2023 …)`);
    return rows.map(versionView);
  }
}

@QueryHandler(GetVersion)
export class GetVersionHandler implements IQueryHandler<GetVersion> {
  constructor(@Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ ruleSetId, version }: GetVersion) {
    const v = await findVersion(this.dataSource.manager, ruleSetId, version);
    if (!v) throw new NotFoundException(`rule set ${ruleSetId} has no version ${version}`);
    return { ...versionView(v), content: v.raw ? JSON.parse(v.raw) : null };
  }
}

/**
 * Both versions resolved in the context of the active rule sets (each in place of the rule set's active version),
 * compared in the domain's terms; `affected` lists the inheriting rule sets whose effective rules change too.
 */
@QueryHandler(DiffVersions)
export class DiffVersionsHandler implements IQueryHandler<DiffVersions> {
  constructor(@Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ ruleSetId, from, to }: DiffVersions) {
    const m = this.dataSource.manager;
    const all = await versionsOf(m, ruleSetId);
    if (!all.length) throw new NotFoundException(`no rule set ${ruleSetId}`);
    const pick = (n: number | null, fallback: RuleVersionRow | undefined, what: string) => {
      const v = n === null ? fallback : all.find((x) => x.version === n);
      if (!v) throw new NotFoundException(`rule set ${ruleSetId} has no ${n === null ? what : `version ${n}`}`);
      if (!v.raw) throw new NotFoundException(`${ruleSetId} v${v.version} keeps no text to compare`);
      return v;
    };
    // by default the latest active version (a rule set may have several, for disjoint years)
    const a = pick(from, [...all].reverse().find((v) => v.status === 'active'), 'active version');
    const b = pick(to, [...all].reverse().find((v) => v.status === 'draft'), 'draft');
    const active = (await activeVersions(m)).filter((v) => v.ruleSetId !== ruleSetId);
    const ra = buildRegistry([...active, a]);
    const rb = buildRegistry([...active, b]);
    const changes = diffRuleSets(ra.resolveById(ruleSetId), rb.resolveById(ruleSetId));
    const affected: Array<{ id: string; changes: ReturnType<typeof diffRuleSets> }> = [];
    for (const s of ra.list()) {
      if (s.id === ruleSetId) continue;
      const x: ResolvedRuleSet = ra.resolveById(s.id);
      if (!x.chain.some((c) => c.id === ruleSetId)) continue;
      const y = rb.resolveById(s.id);
      if (x.hash !== y.hash) affected.push({ id: s.id, changes: diffRuleSets(x, y) });
    }
    const header = `${ruleSetId}: v${a.version} (${a.status}) → v${b.version} (${b.status})`;
    const text = [
      header,
      changes.length ? formatRuleSetDiff(changes) : 'no change to the effective rules',
      ...affected.map((x) => `\n${x.id} (inherits from ${ruleSetId}):\n${formatRuleSetDiff(x.changes)}`),
    ].join('\n');
    return { from: a.version, to: b.version, changes, affected, text };
  }
}
