import { In, type EntityManager } from 'typeorm';
import { appendAudit, dialectOf, isoNow, type Rider } from '@jixiao/persistence';
import type { ReviewState } from '../domain/review-state';
import { CaseChangedConcurrently, insertRows, type Change, type Step } from './case-store';
import { ReviewCase } from './review-case.entity';
import { ReviewDetail } from './review-detail.entity';
import { ReviewHistory } from './review-history.entity';
import { REVIEW_TABLES } from './review-tables';
import { updateRows } from './update-rows';

/** Where a step came from (the producing service and event), as ReviewWork says it for one event. */
export interface StepOrigin {
  source: string;
  eventId: string | null;
}

interface PendingStep extends StepOrigin {
  evaluationId: string;
  from: string | null;
  to: string;
  step: Step;
  /** Audited steps changed the case; notes did not. */
  audited: boolean;
  payload?: unknown;
}

/** Every column a change may write (all but the key and the creation time). */
const CHANGED: Array<keyof ReviewCase & string> = [
  'submissionId',
  'version',
  'previousVersionId',
  'region',
  'fiscalYear',
  'formType',
  'unitName',
  'projectName',
  'receivedAt',
  'state',
  'revision',
  'updatedAt',
  'lastReason',
  'publicPath',
  'resultId',
  'scoredAt',
  'total',
  'grade',
  'executionRate',
  'findingErrors',
  'findingWarnings',
  'findingInfos',
  'findingCodes',
  'routingDecision',
  'routingReasons',
  'ruleSetId',
  'ruleSetVersion',
  'ruleSetHash',
];

type DetailPatch = Partial<Pick<ReviewDetail, 'evaluation' | 'resultId' | 'scoreResult'>>;

/**
 * The set-based counterpart of case-store's one-case functions: changes are applied in memory, in order, and written
 * at `flush()` with a handful of multi-row statements (cases, details, audit records, history rows), whatever the
 * number of cases. The steps keep the order they were taken in, so history and audit read as if each change had
 * been written on its own.
 */
export class CaseBatch {
  readonly at = isoNow();
  private readonly cases = new Map<string, ReviewCase>();
  /** The revision each case had when loaded: the UPDATE applies only if it still has it. */
  private readonly loadedRevision = new Map<string, number>();
  private readonly steps: PendingStep[] = [];
  private readonly details = new Map<string, DetailPatch>();
  /** Cases opened in this batch (inserted at flush with their state by then), with their detail rows. */
  private readonly created = new Map<string, ReviewDetail>();

  constructor(readonly manager: EntityManager) {}

  /**
   * Loads the cases (row-locked on PostgreSQL, in key order so two batches never wait on each other crosswise).
   * Returns the ids not found.
   */
  async load(ids: readonly string[], lock = true): Promise<string[]> {
    const sorted = [...new Set(ids)].filter((id) => !this.cases.has(id)).sort();
    for (let i = 0; i < sorted.length; i += 5_000) {
      const qb = this.manager
        .getRepository(ReviewCase)
        .createQueryBuilder('c')
        .where('c.evaluationId IN (:...ids)', { ids: sorted.slice(i, i + 5_000) })
        .orderBy('c.evaluationId');
      if (lock && dialectOf(this.manager) === 'postgres') qb.setLock('pessimistic_write');
      for (const c of await qb.getMany()) {
        this.cases.set(c.evaluationId, c);
        this.loadedRevision.set(c.evaluationId, c.revision);
      }
    }
    return sorted.filter((id) => !this.cases.has(id));
  }

  /**
   * Inserts new cases with their detail rows (audited later, by `opened`, at the step where each was opened).
   * A case another transaction inserted meanwhile fails the batch: retried, it finds the case.
   */
  async create(rows: Array<{ row: ReviewCase; detail: ReviewDetail }>): Promise<void> {
    if (rows.length === 0) return;
    const inserted = await insertRows(
      this.manager,
      ReviewCase,
      rows.map((r) => r.row),
      ['evaluation_id'],
    );
    if (inserted !== rows.length)
      throw new Error(`${rows.length - inserted} of ${rows.length} cases were opened concurrently; retrying`);
    await insertRows(
      this.manager,
      ReviewDetail,
      rows.map((r) => r.detail),
      ['evaluation_id'],
    );
    await this.load(rows.map((r) => r.row.evaluationId));
  }

  /**
   * As createCase: a new case, audited as its first state; inserted at flush. A case another transaction inserted
   * meanwhile fails the batch there: retried, it finds the case.
   */
  add(row: ReviewCase, detail: ReviewDetail, step: Step & { payload?: unknown }, origin: StepOrigin): void {
    if (this.cases.has(row.evaluationId)) throw new Error(`case ${row.evaluationId} exists already`);
    this.cases.set(row.evaluationId, row);
    this.created.set(row.evaluationId, detail);
    this.push(row.evaluationId, null, row.state, step, true, origin, step.payload);
  }

  /** The case as this batch has it (undefined if neither loaded nor added). */
  find(evaluationId: string): ReviewCase | undefined {
    return this.cases.get(evaluationId);
  }

  get(evaluationId: string): ReviewCase {
    const c = this.cases.get(evaluationId);
    if (!c) throw new Error(`case ${evaluationId} is not loaded in this batch`);
    return c;
  }

  /** The case's first step (createCase's audit record and history row). */
  opened(c: ReviewCase, step: Step, origin: StepOrigin): void {
    this.push(c.evaluationId, null, c.state, step, true, origin, undefined);
  }

  /** As applyChange: the case changes (revision + 1), audited. Returns the case as it now is. */
  apply(current: ReviewCase, change: Change, origin: StepOrigin): ReviewCase {
    const to: ReviewState = change.to ?? current.state;
    const next = Object.assign(new ReviewCase(), current, {
      ...change.patch,
      state: to,
      revision: current.revision + 1,
      updatedAt: this.at,
      ...(change.reason ? { lastReason: change.reason } : {}),
    });
    this.cases.set(current.evaluationId, next);
    this.push(current.evaluationId, current.state, to, change, true, origin, change.payload);
    return next;
  }

  /** As note: a history row, nothing else. */
  note(current: ReviewCase, step: Step, origin: StepOrigin): void {
    this.push(current.evaluationId, current.state, current.state, step, false, origin, undefined);
  }

  /** As updateDetail with a score result (the last one given per case is written). */
  setResult(evaluationId: string, detail: Pick<ReviewDetail, 'resultId' | 'scoreResult'>): void {
    this.details.set(evaluationId, { ...this.details.get(evaluationId), ...detail });
  }

  /** As updateDetail with the canonical evaluation. */
  setEvaluation(evaluationId: string, evaluation: ReviewDetail['evaluation']): void {
    this.details.set(evaluationId, { ...this.details.get(evaluationId), evaluation });
  }

  /** The result set for a case so far in this batch, if any. */
  resultOf(evaluationId: string): Pick<ReviewDetail, 'resultId' | 'scoreResult'> | undefined {
    const d = this.details.get(evaluationId);
    return d && 'resultId' in d ? { resultId: d.resultId!, scoreResult: d.scoreResult! } : undefined;
  }

  /** Detail rows as they were before this batch (for event payloads built from them). */
  async storedDetails(ids: readonly string[]): Promise<Map<string, ReviewDetail>> {
    const out = new Map<string, ReviewDetail>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += 5_000) {
      const rows = await this.manager
        .getRepository(ReviewDetail)
        .findBy({ evaluationId: In(unique.slice(i, i + 5_000)) });
      for (const d of rows) out.set(d.evaluationId, d);
    }
    return out;
  }

  /** Writes everything: details, cases (guarded by the loaded revision), audit records, then history rows. */
  /** Writes the batch; `riders` (the transaction's outbox events) travel with its audit records (see appendAudit). */
  async flush(riders: readonly Rider[] = []): Promise<void> {
    await this.insertCreated();
    await this.writeDetails();
    const changed = [...this.cases.values()].filter(
      (c) => !this.created.has(c.evaluationId) && c.revision !== this.loadedRevision.get(c.evaluationId),
    );
    const updated = new Set(
      await updateRows(
        this.manager,
        ReviewCase,
        'evaluationId',
        CHANGED,
        changed.map((entity) => ({ entity, expected: this.loadedRevision.get(entity.evaluationId) })),
        'revision',
      ),
    );
    const lost = changed.find((c) => !updated.has(c.evaluationId));
    if (lost) throw new CaseChangedConcurrently(lost.evaluationId, this.loadedRevision.get(lost.evaluationId)!);

    const audited = this.steps.filter((s) => s.audited);
    const records = await appendAudit(
      this.manager,
      REVIEW_TABLES.audit,
      audited.map((s) => ({
        actor: s.step.actor,
        entityType: 'evaluation',
        entityId: s.evaluationId,
        action: s.step.action,
        fromState: s.from,
        toState: s.to,
        reason: s.step.reason ?? null,
        payload: s.payload ?? { details: s.step.details ?? null, source: s.source, eventId: s.eventId },
        at: this.at,
      })),
      riders,
    );
    const auditOf = new Map(audited.map((s, i) => [s, records[i]]));
    const history = this.steps.map((s) =>
      Object.assign(new ReviewHistory(), {
        evaluationId: s.evaluationId,
        at: this.at,
        actorUser: s.step.actor.user,
        actorRole: s.step.actor.role,
        action: s.step.action,
        fromState: s.from,
        toState: s.to,
        reason: s.step.reason ?? null,
        source: s.source,
        eventId: s.eventId,
        details: s.step.details ?? null,
        auditSeq: auditOf.get(s)?.seq ?? null,
        auditHash: auditOf.get(s)?.hash ?? null,
      }),
    );
    await insertRows(this.manager, ReviewHistory, history);
  }

  private async insertCreated(): Promise<void> {
    if (this.created.size === 0) return;
    const rows = [...this.created.keys()].map((id) => this.cases.get(id)!);
    const inserted = await insertRows(this.manager, ReviewCase, rows, ['evaluation_id']);
    if (inserted !== rows.length)
      throw new Error(`${rows.length - inserted} of ${rows.length} cases were opened concurrently; retrying`);
    await insertRows(this.manager, ReviewDetail, [...this.created.values()], ['evaluation_id']);
  }

  /** One UPDATE per set of columns written (result, evaluation, or both); a missing detail row is inserted. */
  private async writeDetails(): Promise<void> {
    const groups = new Map<string, Array<[string, DetailPatch]>>();
    for (const entry of this.details) {
      const key = Object.keys(entry[1]).sort().join(',');
      groups.set(key, [...(groups.get(key) ?? []), entry]);
    }
    for (const [key, entries] of groups) {
      const rows = entries.map(([evaluationId, d]) =>
        Object.assign(new ReviewDetail(), {
          evaluationId,
          evaluation: null,
          resultId: null,
          scoreResult: null,
          ...d,
          updatedAt: this.at,
        }),
      );
      const columns = [...(key.split(',') as Array<keyof DetailPatch>), 'updatedAt' as const];
      const updated = new Set(
        await updateRows(
          this.manager,
          ReviewDetail,
          'evaluationId',
          columns,
          rows.map((entity) => ({ entity })),
        ),
      );
      const missing = rows.filter((r) => !updated.has(r.evaluationId));
      await insertRows(this.manager, ReviewDetail, missing, ['evaluation_id']);
    }
  }

  private push(
    evaluationId: string,
    from: string | null,
    to: string,
    step: Step,
    audited: boolean,
    origin: StepOrigin,
    payload: unknown,
  ): void {
    this.steps.push({ evaluationId, from, to, step, audited, payload, source: origin.source, eventId: origin.eventId });
  }
}
