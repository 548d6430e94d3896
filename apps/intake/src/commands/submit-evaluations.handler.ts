import { randomUUID } from 'node:crypto';
import { BadRequestException, ConflictException, Inject, NotFoundException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DataSource, EntityManager } from 'typeorm';
import { assertAllowed } from '@jixiao/auth';
import type { CanonicalEvaluation } from '@jixiao/contracts';
import { enqueueEvents, type ServiceMessaging } from '@jixiao/messaging';
import { appendAudit, dialectOf, insertMany, placeholder, withTransaction } from '@jixiao/persistence';
import { planSubmission, type Predecessor, type SourceDocument, type SubmissionPlan } from '../domain/submission-plan';
import { documentRow, sha256Of } from '../domain/stored-document';
import { INTAKE_DATA_SOURCE, INTAKE_MESSAGING } from '../infrastructure/intake.tokens';
import { INTAKE_SERVICE, INTAKE_TABLES } from '../persistence/intake-tables';
import { SubmitEvaluations, type SubmitResult } from './submit-evaluations.command';

const T = INTAKE_TABLES;

/**
 * Decides regions, checks the caller may submit each evaluation, then writes submissions, versions, the document,
 * audit records and outbox events in ONE transaction (multi-row inserts), and nudges the relay after commit.
 */
@CommandHandler(SubmitEvaluations)
export class SubmitEvaluationsHandler implements ICommandHandler<SubmitEvaluations, SubmitResult> {
  constructor(
    @Inject(INTAKE_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(INTAKE_MESSAGING) private readonly messaging: ServiceMessaging,
  ) {}

  async execute(command: SubmitEvaluations): Promise<SubmitResult> {
    const { principal, options } = command;
    const evaluations = withRegions(command.evaluations, options.defaultRegion);
    for (const e of evaluations) assertAllowed(principal, 'submit', { region: e.region, unitName: e.unitName ?? null });
    if (options.previousVersionId && evaluations.length !== 1) {
      throw new BadRequestException(`a corrected version (previousVersionId) must carry exactly one evaluation, not ${evaluations.length}`);
    }
    const document: SourceDocument | null = options.document
      ? { fileName: options.document.fileName, mediaType: options.document.mediaType, sha256: sha256Of(options.document.content) }
      : null;
    const actor = { user: principal.sub, role: principal.role };
    const now = new Date().toISOString();

    const plan = await withTransaction(this.dataSource, async (m) => {
      let predecessor: Predecessor | null = null;
      if (options.previousVersionId) {
        const found = await this.lockPredecessor(m, options.previousVersionId, evaluations[0]);
        // the caller must also be allowed to act for the submission being corrected (its unit)
        assertAllowed(principal, 'submit', { region: found.region, unitName: found.unitName });
        predecessor = found;
      }
      const p = planSubmission({ evaluations, document, diagnostics: options.diagnostics, predecessor, actor, now, newId });
      await this.write(m, p, options, document, actor, now);
      return p;
    });
    this.messaging.nudge();
    return {
      submissionIds: [...new Set(plan.versions.map((v) => v.submissionId))],
      evaluationIds: plan.versions.map((v) => v.evaluationId),
      versions: plan.versions.map(({ evaluationId, submissionId, version, previousVersionId }) => ({
        evaluationId,
        submissionId,
        version,
        previousVersionId,
      })),
    };
  }

  /** The version being corrected must exist, be the latest of its submission, and keep its region. */
  private async lockPredecessor(m: EntityManager, evaluationId: string, next: CanonicalEvaluation & { region: string }) {
    const d = dialectOf(m);
    const [prev] = await m.query(
      `SELECT evaluation_id, submission_id, version FROM ${T.versions} WHERE evaluation_id = ${placeholder(d, 1)}`,
      [evaluationId],
    );
    if (!prev) throw new NotFoundException(`previousVersionId ${evaluationId}: no such evaluation version`);
    // PostgreSQL: lock the submission so two corrections of the same version cannot both become version n+1.
    const lock = d === 'postgres' ? ' FOR UPDATE' : '';
    const [sub] = await m.query(
      `SELECT id, region, unit_name, latest_version FROM ${T.submissions} WHERE id = ${placeholder(d, 1)}${lock}`,
      [prev.submission_id],
    );
    if (Number(sub.latest_version) !== Number(prev.version)) {
      throw new ConflictException(
        `previousVersionId ${evaluationId} is version ${prev.version} of submission ${sub.id}, but its latest version is ${sub.latest_version}: correct the latest one`,
      );
    }
    if (sub.region !== next.region) {
      throw new BadRequestException(`a corrected version must keep the region of submission ${sub.id} (${sub.region}), not ${next.region}`);
    }
    return {
      evaluationId,
      submissionId: String(sub.id),
      version: Number(prev.version),
      region: String(sub.region),
      unitName: (sub.unit_name as string | null) ?? null,
    };
  }

  private async write(
    m: EntityManager,
    plan: SubmissionPlan,
    options: SubmitEvaluations['options'],
    document: SourceDocument | null,
    actor: { user: string; role: string },
    now: string,
  ): Promise<void> {
    const d = dialectOf(m);
    if (options.document) {
      await insertMany(m, T.documents, ['sha256', 'size_bytes', 'content_text', 'content_base64', 'created_at'], [documentRow(options.document.content, now)], {
        onConflictDoNothing: ['sha256'],
      });
    }
    await insertMany(
      m,
      T.submissions,
      ['id', 'region', 'fiscal_year', 'form_type', 'unit_name', 'project_name', 'created_by', 'created_by_role', 'created_at', 'latest_version'],
      plan.newSubmissions.map((s) => [s.id, s.region, s.fiscalYear, s.formType, s.unitName, s.projectName, actor.user, actor.role, now, 1]),
    );
    for (const v of plan.versions.filter((x) => x.version > 1)) {
      await m.query(`UPDATE ${T.submissions} SET latest_version = ${placeholder(d, 1)} WHERE id = ${placeholder(d, 2)}`, [
        v.version,
        v.submissionId,
      ]);
    }
    const diagnostics = JSON.stringify(options.diagnostics);
    await insertMany(
      m,
      T.versions,
      [
        'evaluation_id',
        'submission_id',
        'version',
        'previous_version_id',
        'evaluation',
        'evaluation_hash',
        'document_name',
        'document_media_type',
        'document_sha256',
        'document_form_index',
        'diagnostics',
        'created_at',
        'created_by',
        'created_by_role',
      ],
      plan.versions.map((v) => [
        v.evaluationId,
        v.submissionId,
        v.version,
        v.previousVersionId,
        JSON.stringify(v.evaluation),
        v.evaluationHash,
        document?.fileName ?? null,
        document?.mediaType ?? null,
        document?.sha256 ?? null,
        v.formIndex,
        diagnostics,
        now,
        actor.user,
        actor.role,
      ]),
    );
    await enqueueEvents(
      m,
      INTAKE_SERVICE,
      plan.events.map((e) => ({ ...e, correlationId: options.correlationId, occurredAt: now })),
    );
    // last: the audit head stays locked until commit
    await appendAudit(m, T.audit, plan.audit);
  }
}

function newId(kind: 'sub' | 'ev'): string {
  return `${kind}_${randomUUID().replace(/-/g, '')}`;
}

/** Each evaluation's region: its own, else the default; none at all cannot be routed to any rule set or reviewer. */
function withRegions(evaluations: CanonicalEvaluation[], defaultRegion: string | null): Array<CanonicalEvaluation & { region: string }> {
  return evaluations.map((e, i) => {
    const region = e.region ?? defaultRegion;
    if (!region) {
      const where = evaluations.length > 1 ? `evaluation ${i + 1} (${e.projectName ?? e.unitName ?? 'unnamed'})` : 'the evaluation';
      throw new BadRequestException(
        `${where} has no region and none was given or recognised: set "region" (6-digit division code) in the evaluation or pass ?region=`,
      );
    }
    return { ...e, region };
  });
}
