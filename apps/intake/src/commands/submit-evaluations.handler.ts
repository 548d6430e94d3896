import { v7 as uuidV7 } from 'uuid';
import {
  BadRequestException,
  ConflictException,
  Inject,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DataSource, EntityManager } from 'typeorm';
import { assertAllowed, refusal } from '@jixiao/auth';
import type { CanonicalEvaluation } from '@jixiao/contracts';
import type { ServiceMessaging } from '@jixiao/messaging';
import { withTransaction } from '@jixiao/persistence';
import { IDEMPOTENCY_KEY_REUSED, type IdempotencyClaim, requestFingerprint } from '../domain/idempotency';
import { sha256Of } from '../domain/stored-document';
import { planSubmission, type Predecessor, type SourceDocument, type SubmissionPlan } from '../domain/submission-plan';
import { INTAKE_DATA_SOURCE, INTAKE_MESSAGING } from '../infrastructure/intake.tokens';
import { SubmissionBatcher } from '../persistence/submission-batcher';
import { findRemembered } from '../persistence/idempotency-store';
import {
  findVersionForUpdate,
  type StoredVersionRef,
  writeSubmissionPlans,
  type WriteContext,
} from '../persistence/submission-store';
import { SubmitEvaluations, type SubmitResult } from './submit-evaluations.command';

type Routed = CanonicalEvaluation & { region: string };

/**
 * Decides regions, checks the caller may submit each evaluation, then writes submissions, versions, the document,
 * audit records and outbox events in ONE transaction (multi-row inserts), and nudges the relay after commit.
 * New submissions go through the batcher (group commit with concurrent requests); a correction reads and locks
 * its predecessor, so it has a transaction of its own.
 */
@CommandHandler(SubmitEvaluations)
export class SubmitEvaluationsHandler implements ICommandHandler<SubmitEvaluations, SubmitResult> {
  constructor(
    @Inject(INTAKE_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(INTAKE_MESSAGING) private readonly messaging: ServiceMessaging,
    private readonly batcher: SubmissionBatcher,
  ) {}

  async execute(command: SubmitEvaluations): Promise<SubmitResult> {
    const { principal, options } = command;
    const evaluations = withRegions(command.evaluations, options.defaultRegion);
    for (const e of evaluations) assertAllowed(principal, 'submit', { region: e.region, unitName: e.unitName ?? null });
    if (options.previousVersionId && evaluations.length !== 1) {
      throw refusal(
        BadRequestException,
        `a corrected version (previousVersionId) must carry exactly one evaluation, not ${evaluations.length}`,
        `更正版本只能包含一张自评表，此文件中有 ${evaluations.length} 张`,
      );
    }
    const source: SourceDocument | null = options.document
      ? {
          fileName: options.document.fileName,
          mediaType: options.document.mediaType,
          sha256: sha256Of(options.document.content),
        }
      : null;
    const actor = { user: principal.sub, role: principal.role };
    const now = new Date().toISOString();
    const claim: IdempotencyClaim | null = options.idempotencyKey
      ? {
          key: options.idempotencyKey,
          fingerprint: requestFingerprint({
            evaluations: command.evaluations,
            defaultRegion: options.defaultRegion,
            previousVersionId: options.previousVersionId,
            documentSha256: source?.sha256 ?? null,
          }),
        }
      : null;
    // in a transaction of its own: on SQLite (one connection) it then waits for one in flight and reads only committed rows
    const replay = () =>
      claim ? withTransaction(this.dataSource, (m) => this.replay(m, actor.user, claim, now)) : null;
    const first = await replay();
    if (first) return first;

    const context = (result: SubmitResult): WriteContext => ({
      document: source && options.document ? { source, content: options.document.content } : null,
      diagnostics: options.diagnostics,
      actor,
      now,
      correlationId: options.correlationId,
      idempotency: claim ? { claim, result } : null,
    });
    const plan = (predecessor: Predecessor | null) =>
      planSubmission({
        evaluations,
        document: source,
        diagnostics: options.diagnostics,
        predecessor,
        actor,
        now,
        newId,
      });
    let result: SubmitResult;
    try {
      result = options.previousVersionId
        ? await withTransaction(this.dataSource, async (m) => {
            const found = await findVersionForUpdate(m, options.previousVersionId!);
            const p = plan(predecessorOf(found, options.previousVersionId!, evaluations[0], command));
            const stored = resultOf(p);
            await writeSubmissionPlans(m, [{ plan: p, context: context(stored) }]);
            return stored;
          }).catch(conflictOnDuplicateVersion)
        : await this.writeNew(plan(null), context);
    } catch (err) {
      // the same key written at the same time by another request (a double click; a retried correction, which finds
      // its version no longer the latest once the first has committed): whichever stored it answers both
      const raced = await replay();
      if (raced) return raced;
      throw err;
    }
    if (!result.replayed) this.messaging.nudge();
    return result;
  }

  /** New submissions need no read before writing: they share transactions with concurrent requests. */
  private async writeNew(plan: SubmissionPlan, context: (result: SubmitResult) => WriteContext): Promise<SubmitResult> {
    const result = resultOf(plan);
    await this.batcher.write({ plan, context: context(result) });
    return result;
  }

  /** The first answer to a key this user already used for the same request; 422 if it was another request. */
  private async replay(
    m: EntityManager,
    user: string,
    claim: IdempotencyClaim,
    now: string,
  ): Promise<SubmitResult | null> {
    const remembered = await findRemembered(m, user, claim.key, now);
    if (!remembered) return null;
    if (remembered.fingerprint !== claim.fingerprint)
      throw refusal(
        UnprocessableEntityException,
        `Idempotency-Key ${claim.key} was used for another submission in the last 24 hours: a new submission needs a new key`,
        '这个提交编号（Idempotency-Key）在 24 小时内已用于另一份内容不同的提交；新的提交请使用新的编号',
        { code: IDEMPOTENCY_KEY_REUSED },
      );
    return { ...(remembered.result as SubmitResult), replayed: true };
  }
}

/** What a submission answers: the ids of everything stored (the same again on a replay). */
function resultOf(plan: SubmissionPlan): SubmitResult {
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

/** The version being corrected must exist, be the latest of its submission, keep its region, and be the caller's. */
function predecessorOf(
  found: StoredVersionRef | null,
  evaluationId: string,
  next: Routed,
  { principal }: SubmitEvaluations,
): Predecessor {
  if (!found)
    throw refusal(
      NotFoundException,
      `previousVersionId ${evaluationId}: no such evaluation version`,
      `没有编号为 ${evaluationId} 的自评表，无法更正`,
    );
  assertAllowed(principal, 'submit', { region: found.region, unitName: found.unitName });
  if (found.latestVersion !== found.version) {
    throw refusal(
      ConflictException,
      `previousVersionId ${evaluationId} is version ${found.version} of submission ${found.submissionId}, ` +
        `but its latest version is ${found.latestVersion}: correct the latest one`,
      `${evaluationId} 是第 ${found.version} 版，此后已有第 ${found.latestVersion} 版：请更正最新的版本`,
    );
  }
  if (found.region !== next.region) {
    throw refusal(
      BadRequestException,
      `a corrected version must keep the region of submission ${found.submissionId} (${found.region}), not ${next.region}`,
      `更正版本的地区须与原表相同（${found.region}），此文件为 ${next.region}`,
    );
  }
  return found;
}

/**
 * `ev_` / `sub_` and a time-ordered UUID (version 7: milliseconds since 1970 first, then random bits) as 32 hex
 * digits. Every service keys its tables by these ids, and a later id sorts after an earlier one: new rows go to the
 * right edge of each index and a range of ids is a stretch of the tables in the order they were written — what a
 * re-scoring run reads and writes chunk by chunk (ranges of evaluation ids; result ids lead with them). Random ids
 * (version 4, as before) scatter both over every page.
 */
function newId(kind: 'sub' | 'ev'): string {
  return `${kind}_${uuidV7().replace(/-/g, '')}`;
}

/** Each evaluation's region: its own, else the default; none at all cannot be routed to any rule set or reviewer. */
function withRegions(evaluations: CanonicalEvaluation[], defaultRegion: string | null): Routed[] {
  return evaluations.map((e, i) => {
    const region = e.region ?? defaultRegion;
    if (!region) {
      const where =
        evaluations.length > 1 ? `evaluation ${i + 1} (${e.projectName ?? e.unitName ?? 'unnamed'})` : 'the evaluation';
      const whereZh =
        evaluations.length > 1 ? `第 ${i + 1} 张表（${e.projectName ?? e.unitName ?? '未命名'}）` : '自评表';
      throw refusal(
        BadRequestException,
        `${where} has no region and none was given or recognised: set "region" (6-digit division code) in the evaluation or pass ?region=`,
        `${whereZh}没有地区，提交时也没有填写，文中也未识别出：请在“地区”中填写 6 位行政区划代码`,
      );
    }
    return { ...e, region };
  });
}

/** The unique (submission, version) and (previous version) indexes are the last word on concurrent corrections. */
function conflictOnDuplicateVersion(err: unknown): never {
  const message = (err as Error)?.message ?? '';
  if (/ux_intake_versions_|UNIQUE constraint failed: intake_versions\./.test(message)) {
    throw refusal(
      ConflictException,
      'this version was corrected at the same time by another request; reload the submission',
      '这一版本刚刚已被另一次提交更正，请刷新后查看',
    );
  }
  throw err;
}
