import type { Actor, CanonicalEvaluation, EventPayload } from '@jixiao/contracts';
import { hashJson, type AuditEntry } from '@jixiao/persistence';
import type { Diagnostic } from '@jixiao/forms';

/** The original document of a submission (null for JSON submissions). */
export interface SourceDocument {
  fileName: string;
  mediaType: string;
  sha256: string;
}

/** The version being corrected: its submission gets the new version. */
export interface Predecessor {
  evaluationId: string;
  submissionId: string;
  version: number;
}

export interface PlanInput {
  /** Each evaluation with its region already decided (own, given, or recognised). */
  evaluations: Array<CanonicalEvaluation & { region: string }>;
  document: SourceDocument | null;
  diagnostics: Diagnostic[];
  predecessor: Predecessor | null;
  actor: Actor;
  now: string;
  newId: (kind: 'sub' | 'ev') => string;
}

export interface SubmissionRow {
  id: string;
  region: string;
  fiscalYear: number | null;
  formType: 'project' | 'department';
  unitName: string | null;
  projectName: string | null;
  latestVersion: number;
}

export interface VersionRow {
  evaluationId: string;
  submissionId: string;
  version: number;
  previousVersionId: string | null;
  evaluation: CanonicalEvaluation;
  evaluationHash: string;
  formIndex: number | null;
}

export interface SubmissionPlan {
  newSubmissions: SubmissionRow[];
  versions: VersionRow[];
  audit: AuditEntry[];
  events: Array<{ name: 'intake.submission.received.v1'; payload: EventPayload<'intake.submission.received.v1'> }>;
}

/**
 * What one request writes, decided in memory (pure): a new submission per evaluation, or the next version of the
 * predecessor's submission; one audit record and one `intake.submission.received.v1` per version.
 */
export function planSubmission(input: PlanInput): SubmissionPlan {
  const { predecessor, actor, now } = input;
  if (predecessor && input.evaluations.length !== 1) {
    throw new Error('a corrected version carries exactly one evaluation');
  }
  const plan: SubmissionPlan = { newSubmissions: [], versions: [], audit: [], events: [] };
  input.evaluations.forEach((evaluation, i) => {
    const submissionId = predecessor?.submissionId ?? input.newId('sub');
    const version = predecessor ? predecessor.version + 1 : 1;
    const evaluationId = input.newId('ev');
    const unitName = evaluation.unitName ?? null;
    const projectName = evaluation.projectName ?? null;
    const fiscalYear = evaluation.fiscalYear ?? null;
    const evaluationHash = hashJson(evaluation);
    if (!predecessor) {
      plan.newSubmissions.push({
        id: submissionId,
        region: evaluation.region,
        fiscalYear,
        formType: evaluation.formType,
        unitName,
        projectName,
        latestVersion: 1,
      });
    }
    plan.versions.push({
      evaluationId,
      submissionId,
      version,
      previousVersionId: predecessor?.evaluationId ?? null,
      evaluation,
      evaluationHash,
      formIndex: input.document ? (evaluation.source?.formIndex ?? i) : null,
    });
    plan.audit.push({
      actor,
      entityType: 'evaluation',
      entityId: evaluationId,
      action: predecessor ? 'version added' : 'submission stored',
      fromState: null,
      toState: 'submitted',
      reason: predecessor ? `corrects ${predecessor.evaluationId} (version ${predecessor.version})` : null,
      payload: {
        submissionId,
        version,
        previousVersionId: predecessor?.evaluationId ?? null,
        evaluationHash,
        document: input.document?.sha256 ?? null,
      },
      at: now,
    });
    plan.events.push({
      name: 'intake.submission.received.v1',
      payload: {
        submissionId,
        evaluationId,
        version,
        previousVersionId: predecessor?.evaluationId ?? null,
        region: evaluation.region,
        fiscalYear,
        formType: evaluation.formType,
        unitName,
        projectName,
        evaluation,
        actor,
        receivedAt: now,
      },
    });
  });
  return plan;
}
