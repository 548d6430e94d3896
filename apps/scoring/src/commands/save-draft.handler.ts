import { BadRequestException, ConflictException, Inject, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { assertAllowed } from '@jixiao/auth';
import { appendAudit, withTransaction } from '@jixiao/persistence';
import { contentHash, RuleSetError } from '@jixiao/scoring';
import { versionRowId, type RuleVersionRow } from '../domain/rule-version';
import { buildRegistry } from '../infrastructure/active-rule-sets';
import { SCORING_DATA_SOURCE } from '../infrastructure/scoring.tokens';
import { activeVersions, findVersion, insertVersion, nextVersionNumber, updateDraft, versionsOf } from '../persistence/rule-version-store';
import { SCORING_TABLES } from '../persistence/scoring-tables';
import { SaveDraft } from './rule-version.commands';

export interface SavedDraft {
  version: number;
  status: string;
  hash: string;
  /** True when a version with the same text already existed (nothing was written). */
  existing: boolean;
}

/**
 * A draft from the API: checked as the loader checks files, in the context it would be activated in (the active
 * rule sets, with this one replaced), so a draft that could never be activated is refused with every problem named
 * (JSON path and line). The same text twice gives the version that already has it.
 */
@CommandHandler(SaveDraft)
export class SaveDraftHandler implements ICommandHandler<SaveDraft, SavedDraft> {
  constructor(@Inject(SCORING_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ ruleSetId, body, principal, version }: SaveDraft): Promise<SavedDraft> {
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw new BadRequestException('the body must be a rule set: a JSON object as in rules/<id>.json');
    const json = body as Record<string, unknown>;
    if (json.id !== ruleSetId)
      throw new UnprocessableEntityException({
        message: `the rule set's "id" (${JSON.stringify(json.id)}) must be "${ruleSetId}", the id in the URL`,
        issues: [
          { file: `api:${ruleSetId}`, path: '$.id', message: `expected "${ruleSetId}"`, messageZh: `应为 “${ruleSetId}”` },
        ],
      });
    const region = (json.region as { code?: unknown } | undefined)?.code;
    assertAllowed(principal, 'manage-rules', { region: typeof region === 'string' ? region : ruleSetId.split('@')[0] });
    const raw = `${JSON.stringify(json, null, 2)}\n`;
    const hash = contentHash(json);
    return withTransaction(this.dataSource, async (m) => {
      const known = await versionsOf(m, ruleSetId);
      const same = known.find((v) => v.hash === hash && v.raw !== null);
      if (same) return { version: same.version, status: same.status, hash, existing: true };
      const editing = version === null ? null : await findVersion(m, ruleSetId, version);
      if (version !== null && !editing) throw new NotFoundException(`rule set ${ruleSetId} has no version ${version}`);
      if (editing && editing.status !== 'draft')
        throw new ConflictException(`${ruleSetId} v${version} is ${editing.status}: only a draft can be edited (upload a new draft instead)`);
      const number = editing?.version ?? (await nextVersionNumber(m, ruleSetId));
      const label = `api:${ruleSetId}@v${number}`;
      const active = (await activeVersions(m)).filter((v) => v.ruleSetId !== ruleSetId);
      const now = new Date().toISOString();
      const years = (json.years ?? { from: null, to: null }) as { from: number | null; to: number | null };
      const row: RuleVersionRow = {
        id: editing?.id ?? versionRowId(ruleSetId, number, hash),
        ruleSetId,
        region: typeof region === 'string' ? region : ruleSetId,
        version: number,
        hash,
        status: 'draft',
        origin: 'api',
        label,
        raw,
        declaredVersion: typeof json.version === 'number' ? json.version : null,
        createdBy: editing?.createdBy ?? principal.sub,
        loadedAt: editing?.loadedAt ?? now,
        updatedAt: editing ? now : null,
        activeFrom: years?.from ?? null,
        activeTo: years?.to ?? null,
        activatedAt: null,
        activatedBy: null,
        activationReason: null,
        retiredAt: null,
      };
      let content: string;
      try {
        const { resolvedFor: _l, ...resolved } = buildRegistry([...active, row]).resolveById(ruleSetId) as unknown as Record<string, unknown>;
        content = JSON.stringify(resolved);
      } catch (err) {
        if (err instanceof RuleSetError)
          throw new UnprocessableEntityException({ message: `the draft of ${ruleSetId} is refused:\n${err.message}`, issues: err.issues });
        throw err;
      }
      if (editing)
        await updateDraft(m, editing.id, { hash, raw, content, declaredVersion: row.declaredVersion ?? 0, updatedAt: now, label });
      else await insertVersion(m, row, content);
      await appendAudit(m, SCORING_TABLES.audit, [
        {
          actor: { user: principal.sub, role: principal.role },
          entityType: 'rule-set',
          entityId: row.id,
          action: editing ? 'rule set draft edited' : 'rule set draft saved',
          fromState: editing ? 'draft' : null,
          toState: 'draft',
          reason: `${ruleSetId} v${number} text hash ${hash}`,
          payload: { id: ruleSetId, version: number, hash },
          at: now,
        },
      ]);
      return { version: number, status: 'draft', hash, existing: false };
    });
  }
}
