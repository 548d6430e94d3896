import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { appendAudit, dialectOf, withTransaction, type AuditEntry } from '@jixiao/persistence';
import { contentHash, type RuleSetRegistry } from '@jixiao/scoring';
import { versionRowId, type RuleVersionRow } from '../domain/rule-version';
import { SCORING_ACTOR } from '../domain/score-record';
import { SCORING_DATA_SOURCE, SCORING_REGISTRY } from '../infrastructure/scoring.tokens';
import {
  bumpGeneration,
  insertVersion,
  markActive,
  nextVersionNumber,
  versionsOf,
} from '../persistence/rule-version-store';
import { SCORING_TABLES } from '../persistence/scoring-tables';
import { RecordRuleSets, type RecordRuleSetsResult } from './record-rule-sets.command';

const T = SCORING_TABLES;

/**
 * The rules/ files as versions, in one transaction at start: a file whose authored text (canonical JSON) is new for
 * its rule set becomes a new **draft** version (audited `rule set loaded`). A rule set with no active version yet
 * (a fresh installation, a new file) has that first version activated at once (audited `rule set activated`,
 * actor system); after that, changes take effect only when a rule admin activates them.
 */
@CommandHandler(RecordRuleSets)
export class RecordRuleSetsHandler implements ICommandHandler<RecordRuleSets, RecordRuleSetsResult> {
  constructor(
    @Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(SCORING_REGISTRY) private readonly registry: RuleSetRegistry,
  ) {}

  async execute(): Promise<RecordRuleSetsResult> {
    const files = this.registry.list();
    return withTransaction(this.dataSource, async (m) => {
      // replicas starting together: the second waits here and then finds the versions the first recorded
      if (dialectOf(m) === 'postgres') await m.query(`LOCK TABLE ${T.ruleSetVersions} IN SHARE ROW EXCLUSIVE MODE`);
      const now = new Date().toISOString();
      const audit: AuditEntry[] = [];
      const recorded: string[] = [];
      const activated: string[] = [];
      for (const f of files) {
        const raw = readFileSync(f.file, 'utf8').replace(/^\uFEFF/, '');
        const hash = contentHash(JSON.parse(raw));
        const known = await versionsOf(m, f.id);
        if (known.some((v) => v.hash === hash && v.raw !== null)) continue;
        const resolved = this.registry.resolveById(f.id);
        const version = await nextVersionNumber(m, f.id);
        const label = relative(process.cwd(), f.file) || f.file;
        const row: RuleVersionRow = {
          id: versionRowId(f.id, version, hash),
          ruleSetId: f.id,
          region: f.region.code,
          version,
          hash,
          status: 'draft',
          origin: 'file',
          label,
          raw,
          declaredVersion: f.version,
          createdBy: 'system:rules-dir',
          loadedAt: now,
          updatedAt: null,
          activeFrom: f.years.from,
          activeTo: f.years.to,
          activatedAt: null,
          activatedBy: null,
          activationReason: null,
          retiredAt: null,
        };
        const { resolvedFor: _lookup, ...content } = resolved as typeof resolved & { resolvedFor?: unknown };
        await insertVersion(m, row, JSON.stringify(content));
        recorded.push(row.id);
        audit.push({
          actor: SCORING_ACTOR,
          entityType: 'rule-set',
          entityId: row.id,
          action: 'rule set loaded',
          fromState: null,
          toState: 'draft',
          reason: `${f.id} v${version} (${f.region.name}) read from ${label}, text hash ${hash}`,
          payload: { id: f.id, version, hash, region: f.region.code, years: f.years, file: label },
          at: now,
        });
        if (!known.some((v) => v.status === 'active')) {
          const reason = `${f.id} 的第一个版本：启动时读入即生效（此前没有生效的版本）`;
          await markActive(m, row.id, { years: f.years, at: now, by: SCORING_ACTOR.user, reason });
          activated.push(row.id);
          audit.push({
            actor: SCORING_ACTOR,
            entityType: 'rule-set',
            entityId: row.id,
            action: 'rule set activated',
            fromState: 'draft',
            toState: 'active',
            reason,
            payload: { id: f.id, version, hash, years: f.years },
            at: now,
          });
        }
      }
      if (activated.length) await bumpGeneration(m);
      await appendAudit(m, T.audit, audit);
      return { recorded, activated };
    });
  }
}
