import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { assertAllowed } from '@jixiao/auth';
import { INTAKE_DATA_SOURCE } from '../infrastructure/intake.tokens';
import { SubmissionEntity } from '../persistence/submission.entity';
import { VersionEntity } from '../persistence/version.entity';
import { GetSubmission, type SubmissionView } from './get-submission.query';

@QueryHandler(GetSubmission)
export class GetSubmissionHandler implements IQueryHandler<GetSubmission, SubmissionView> {
  constructor(@Inject(INTAKE_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ principal, submissionId }: GetSubmission): Promise<SubmissionView> {
    const s = await this.dataSource.getRepository(SubmissionEntity).findOneBy({ id: submissionId });
    if (!s) throw new NotFoundException(`no submission ${submissionId}`);
    assertAllowed(principal, 'read', { region: s.region, unitName: s.unitName });
    const versions = await this.dataSource.getRepository(VersionEntity).find({
      where: { submissionId },
      order: { version: 'ASC' },
      select: [
        'evaluationId',
        'version',
        'previousVersionId',
        'createdAt',
        'createdBy',
        'createdByRole',
        'evaluationHash',
        'documentName',
        'documentMediaType',
        'documentSha256',
        'documentFormIndex',
        'diagnostics',
      ],
    });
    return {
      id: s.id,
      region: s.region,
      fiscalYear: s.fiscalYear,
      formType: s.formType,
      unitName: s.unitName,
      projectName: s.projectName,
      createdAt: s.createdAt,
      createdBy: { user: s.createdBy, role: s.createdByRole },
      latestVersion: s.latestVersion,
      latestEvaluationId: versions.find((v) => v.version === s.latestVersion)?.evaluationId ?? '',
      versions: versions.map((v) => ({
        evaluationId: v.evaluationId,
        version: v.version,
        previousVersionId: v.previousVersionId,
        createdAt: v.createdAt,
        createdBy: { user: v.createdBy, role: v.createdByRole },
        evaluationHash: v.evaluationHash,
        document: v.documentSha256
          ? {
              fileName: v.documentName,
              mediaType: v.documentMediaType,
              sha256: v.documentSha256,
              formIndex: v.documentFormIndex,
            }
          : null,
        diagnostics: JSON.parse(v.diagnostics) as unknown[],
      })),
    };
  }
}
