import type { EntityManager } from 'typeorm';
import { enqueueOrRide } from '@jixiao/messaging';
import { appendAudit, dialectOf, insertMany, insertOrRide, placeholder, type Rider } from '@jixiao/persistence';
import type { Diagnostic } from '@jixiao/forms';
import type { IdempotencyClaim } from '../domain/idempotency';
import { documentRow } from '../domain/stored-document';
import type { SourceDocument, SubmissionPlan } from '../domain/submission-plan';
import { rememberRequests } from './idempotency-store';
import { INTAKE_SERVICE, INTAKE_TABLES } from './intake-tables';

const T = INTAKE_TABLES;

const VERSION_COLUMNS = [
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
];

const SUBMISSION_COLUMNS = [
  'id',
  'region',
  'fiscal_year',
  'form_type',
  'unit_name',
  'project_name',
  'created_by',
  'created_by_role',
  'created_at',
  'latest_version',
];

export interface StoredVersionRef {
  evaluationId: string;
  submissionId: string;
  version: number;
  region: string;
  unitName: string | null;
  latestVersion: number;
}

/**
 * A stored version and its submission; on PostgreSQL the submission row stays locked until commit, so two
 * corrections of the same version cannot both become the next one.
 */
export async function findVersionForUpdate(m: EntityManager, evaluationId: string): Promise<StoredVersionRef | null> {
  const d = dialectOf(m);
  const [prev] = await m.query(
    `SELECT submission_id, version FROM ${T.versions} WHERE evaluation_id = ${placeholder(d, 1)}`,
    [evaluationId],
  );
  if (!prev) return null;
  const lock = d === 'postgres' ? ' FOR UPDATE' : ''; // SQLite: transactions are serialised anyway
  const [sub] = await m.query(
    `SELECT id, region, unit_name, latest_version FROM ${T.submissions} WHERE id = ${placeholder(d, 1)}${lock}`,
    [prev.submission_id],
  );
  return {
    evaluationId,
    submissionId: String(sub.id),
    version: Number(prev.version),
    region: String(sub.region),
    unitName: (sub.unit_name as string | null) ?? null,
    latestVersion: Number(sub.latest_version),
  };
}

export interface WriteContext {
  document: { source: SourceDocument; content: Buffer } | null;
  diagnostics: Diagnostic[];
  actor: { user: string; role: string };
  now: string;
  correlationId: string | null;
  /** The request's `Idempotency-Key` and the answer to remember with it, if the caller sent one. */
  idempotency: { claim: IdempotencyClaim; result: unknown } | null;
}

/** One request's plan and what came with it. */
export interface PlanPart {
  plan: SubmissionPlan;
  context: WriteContext;
}

/**
 * Writes the plans of one or more requests with multi-row inserts: documents, submissions, versions, outbox
 * events, then the audit records (last: the audit chain head stays locked until commit).
 */
export async function writeSubmissionPlans(m: EntityManager, parts: readonly PlanPart[]): Promise<void> {
  const d = dialectOf(m);
  const documents = new Map<string, unknown[]>();
  for (const { context: w } of parts) {
    if (w.document && !documents.has(w.document.source.sha256))
      documents.set(w.document.source.sha256, documentRow(w.document.content, w.now));
  }
  await insertMany(
    m,
    T.documents,
    ['sha256', 'size_bytes', 'content_text', 'content_base64', 'created_at'],
    [...documents.values()],
    {
      onConflictDoNothing: ['sha256'],
    },
  );
  await rememberRequests(
    m,
    parts.flatMap(({ context: w }) =>
      w.idempotency
        ? [{ user: w.actor.user, claim: w.idempotency.claim, result: w.idempotency.result, now: w.now }]
        : [],
    ),
  );
  const submissions = parts.flatMap(({ plan, context: w }) =>
    plan.newSubmissions.map((s) => [
      s.id,
      s.region,
      s.fiscalYear,
      s.formType,
      s.unitName,
      s.projectName,
      w.actor.user,
      w.actor.role,
      w.now,
      1,
    ]),
  );
  for (const v of parts.flatMap(({ plan }) => plan.versions.filter((x) => x.version > 1))) {
    await m.query(`UPDATE ${T.submissions} SET latest_version = ${placeholder(d, 1)} WHERE id = ${placeholder(d, 2)}`, [
      v.version,
      v.submissionId,
    ]);
  }
  const versions = parts.flatMap(versionRows);
  const events = parts.flatMap(({ plan, context: w }) =>
    plan.events.map((e) => ({ ...e, correlationId: w.correlationId, occurredAt: w.now })),
  );
  // the submissions, versions and events travel with the audit records (PostgreSQL: one statement for all four) when
  // each fits one statement; else each is written on its own first
  const riders: Rider[] = [];
  await insertOrRide(m, riders, T.submissions, SUBMISSION_COLUMNS, submissions);
  await insertOrRide(m, riders, T.versions, VERSION_COLUMNS, versions);
  await enqueueOrRide(m, INTAKE_SERVICE, events, riders);
  await appendAudit(
    m,
    T.audit,
    parts.flatMap(({ plan }) => plan.audit),
    riders,
  );
}

function versionRows({ plan, context: w }: PlanPart): unknown[][] {
  const doc = w.document?.source ?? null;
  const diagnostics = JSON.stringify(w.diagnostics);
  return plan.versions.map((v) => [
    v.evaluationId,
    v.submissionId,
    v.version,
    v.previousVersionId,
    JSON.stringify(v.evaluation),
    v.evaluationHash,
    doc?.fileName ?? null,
    doc?.mediaType ?? null,
    doc?.sha256 ?? null,
    v.formIndex,
    diagnostics,
    w.now,
    w.actor.user,
    w.actor.role,
  ]);
}
