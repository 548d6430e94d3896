import { Inject, NotFoundException } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { assertAllowed, type Principal, refusal } from '@jixiao/auth';
import { decodeDocument } from '../domain/stored-document';
import { INTAKE_DATA_SOURCE } from '../infrastructure/intake.tokens';
import { INTAKE_TABLES } from '../persistence/intake-tables';
import { SubmissionEntity } from '../persistence/submission.entity';
import { VersionEntity } from '../persistence/version.entity';

/** The document an evaluation version was read from, as the unit uploaded it, for a caller who may read it. */
export class GetDocument {
  constructor(
    readonly principal: Principal,
    readonly evaluationId: string,
  ) {}
}

export interface StoredDocument {
  fileName: string;
  mediaType: string;
  content: Buffer;
}

@QueryHandler(GetDocument)
export class GetDocumentHandler implements IQueryHandler<GetDocument, StoredDocument> {
  constructor(@Inject(INTAKE_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ principal, evaluationId }: GetDocument): Promise<StoredDocument> {
    const v = await this.dataSource.getRepository(VersionEntity).findOne({
      where: { evaluationId },
      select: ['evaluationId', 'submissionId', 'documentName', 'documentMediaType', 'documentSha256'],
    });
    if (!v) throw refusal(NotFoundException, `no evaluation ${evaluationId}`, `没有编号为 ${evaluationId} 的自评表`);
    const s = await this.dataSource.getRepository(SubmissionEntity).findOneBy({ id: v.submissionId });
    assertAllowed(principal, 'read', { region: s?.region ?? null, unitName: s?.unitName ?? null });
    if (!v.documentSha256)
      throw refusal(
        NotFoundException,
        `evaluation ${evaluationId} was submitted as JSON: there is no document`,
        `自评表 ${evaluationId} 是以 JSON 数据提交的，没有上传原始文件`,
      );
    const rows: Array<{ content_text: string | null; content_base64: string | null }> = await this.dataSource.query(
      `SELECT content_text, content_base64 FROM ${INTAKE_TABLES.documents} WHERE sha256 = ${this.dataSource.options.type === 'postgres' ? '$1' : '?'}`,
      [v.documentSha256],
    );
    if (!rows.length)
      throw refusal(
        NotFoundException,
        `the document of evaluation ${evaluationId} is not stored`,
        `自评表 ${evaluationId} 的原始文件未保存`,
      );
    return {
      fileName: v.documentName ?? `${evaluationId}`,
      mediaType: v.documentMediaType ?? 'application/octet-stream',
      content: decodeDocument(rows[0]),
    };
  }
}
