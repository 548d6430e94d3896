import type { Principal } from '@jixiao/auth';

/** A submission with all its versions, for a caller allowed to read its region and unit. */
export class GetSubmission {
  constructor(
    readonly principal: Principal,
    readonly submissionId: string,
  ) {}
}

export interface SubmissionView {
  id: string;
  region: string;
  fiscalYear: number | null;
  formType: 'project' | 'department';
  unitName: string | null;
  projectName: string | null;
  createdAt: string;
  createdBy: { user: string; role: string };
  latestVersion: number;
  latestEvaluationId: string;
  versions: Array<{
    evaluationId: string;
    version: number;
    previousVersionId: string | null;
    createdAt: string;
    createdBy: { user: string; role: string };
    evaluationHash: string;
    document: { fileName: string | null; mediaType: string | null; sha256: string; formIndex: number | null } | null;
    diagnostics: unknown[];
  }>;
}
