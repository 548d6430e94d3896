import { ConflictException, Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { assertAllowed, refusal } from '@jixiao/auth';
import { enqueueEvents } from '@jixiao/messaging';
import { appendAudit, withTransaction } from '@jixiao/persistence';
import { formatTime } from '@jixiao/runtime/html';
import { DisclosureEntity } from '../persistence/disclosure.entity';
import { PUBLICATION_SERVICE, PUBLICATION_TABLES } from '../persistence/publication.tables';
import { PublicationOutbox } from '../publication-outbox';
import { PUBLICATION_DATA_SOURCE } from '../publication.tokens';
import { findDisclosure } from './publish-evaluation.handler';
import { RetractDisclosure } from './retract-disclosure.command';

@CommandHandler(RetractDisclosure)
export class RetractDisclosureHandler implements ICommandHandler<RetractDisclosure, DisclosureEntity> {
  constructor(
    @Inject(PUBLICATION_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly outbox: PublicationOutbox,
  ) {}

  async execute({ evaluationId, reason, principal, correlationId }: RetractDisclosure): Promise<DisclosureEntity> {
    const retracted = await withTransaction(this.dataSource, async (manager) => {
      const d = await findDisclosure(manager, evaluationId);
      if (!d)
        throw refusal(NotFoundException, `no published disclosure for evaluation ${evaluationId}`, `评价 ${evaluationId} 没有公开过`);
      assertAllowed(principal, 'review', { region: d.region, unitName: d.unitName });
      if (d.status === 'retracted')
        throw refusal(
          ConflictException,
          `the disclosure of ${evaluationId} is already retracted (${d.retractedAt})`,
          `该评价的公开已于 ${formatTime(d.retractedAt)} 撤回`,
        );
      const now = new Date().toISOString();
      const change = { status: 'retracted' as const, retractedAt: now, retractionReason: reason, retractedBy: principal.sub };
      await manager.getRepository(DisclosureEntity).update({ id: d.id }, change);
      await appendAudit(manager, PUBLICATION_TABLES.audit, [
        {
          actor: { user: principal.sub, role: principal.role },
          entityType: 'disclosure',
          entityId: evaluationId,
          action: 'retract',
          fromState: d.status,
          toState: 'retracted',
          reason,
          payload: { disclosureId: d.id, revision: d.revision, ...change },
        },
      ]);
      await enqueueEvents(manager, PUBLICATION_SERVICE, [
        {
          name: 'publication.evaluation.retracted.v1',
          payload: {
            evaluationId,
            disclosureId: d.id,
            reason,
            actor: { user: principal.sub, role: principal.role },
            retractedAt: now,
          },
          correlationId,
        },
      ]);
      return { ...d, ...change };
    });
    this.outbox.nudge();
    return retracted;
  }
}
