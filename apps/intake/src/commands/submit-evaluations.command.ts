import type { CanonicalEvaluation } from '@jixiao/contracts';
import type { Principal } from '@jixiao/auth';
import type { Diagnostic } from '@jixiao/forms';

export interface UploadedDocument {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

export interface SubmitResult {
  submissionIds: string[];
  evaluationIds: string[];
  versions: Array<{ evaluationId: string; submissionId: string; version: number; previousVersionId: string | null }>;
  /** This answers a retry: the same Idempotency-Key and request were stored before, and nothing was stored now. */
  replayed?: true;
}

/** Store evaluations (JSON or parsed from a document) as new submissions, or as the next version of one. */
export class SubmitEvaluations {
  constructor(
    readonly principal: Principal,
    readonly evaluations: CanonicalEvaluation[],
    readonly options: {
      /** Region for evaluations that name none (given by the caller or recognised in the document). */
      defaultRegion: string | null;
      previousVersionId: string | null;
      document: UploadedDocument | null;
      diagnostics: Diagnostic[];
      correlationId: string | null;
      /** The caller's `Idempotency-Key`, if it sent one: a retry with it is answered as the first request was. */
      idempotencyKey?: string | null;
    },
  ) {}
}
