import { TableColumn, TableIndex } from 'typeorm';
import { defineMigration, portableColumns } from '@jixiao/persistence';
import { supersedeOtherVersions } from '../commands/publish-evaluation.handler';
import { PUBLICATION_TABLES } from './publication.tables';

/**
 * Re-scoring consequences: a revision says which re-scoring run made it (null for approvals), and a disclosure
 * says which run sent it back to review until the next approval (null when not under review).
 */
export const PublicationRescoringColumns = defineMigration('PublicationRescoringColumns', 1_763_900_000_000, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.addColumn(PUBLICATION_TABLES.revisions, new TableColumn(c.varchar('rescoring_run_id', 200, true)));
    await queryRunner.addColumn(PUBLICATION_TABLES.disclosures, new TableColumn(c.varchar('under_review_run_id', 200, true)));
  },
  async down(queryRunner) {
    await queryRunner.dropColumn(PUBLICATION_TABLES.disclosures, 'under_review_run_id');
    await queryRunner.dropColumn(PUBLICATION_TABLES.revisions, 'rescoring_run_id');
  },
});

/** A revision records when its result was scored, so re-scoring results that arrive late are recognised. */
export const PublicationRevisionScoredAt = defineMigration('PublicationRevisionScoredAt', 1_765_000_000_000, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.addColumn(PUBLICATION_TABLES.revisions, new TableColumn(c.varchar('scored_at', 30, true)));
  },
  async down(queryRunner) {
    await queryRunner.dropColumn(PUBLICATION_TABLES.revisions, 'scored_at');
  },
});

/** A unit's corrected version of a retracted publication is found from the one it replaces (by submission). */
export const PublicationDisclosureSubmissionIndex = defineMigration('PublicationDisclosureSubmissionIndex', 1_766_400_000_000, {
  async up(queryRunner) {
    await queryRunner.createIndex(
      PUBLICATION_TABLES.disclosures,
      new TableIndex({ name: 'ix_publication_disclosures_submission', columnNames: ['submission_id'] }),
    );
  },
  async down(queryRunner) {
    await queryRunner.dropIndex(PUBLICATION_TABLES.disclosures, 'ix_publication_disclosures_submission');
  },
});

/**
 * Before one version of a form was kept in force, a corrected version of a published one was published beside it
 * and both counted. This withdraws the earlier versions of every such form, as publishing a correction now does
 * (audited as `supersede`, announced to review).
 */
export const PublicationOneVersionInForce = defineMigration('PublicationOneVersionInForce', 1_766_500_000_000, {
  async up(queryRunner) {
    const doubled: Array<{ submission_id: string }> = await queryRunner.query(
      `SELECT submission_id FROM ${PUBLICATION_TABLES.disclosures} WHERE status = 'published'
       GROUP BY submission_id HAVING COUNT(*) > 1 ORDER BY submission_id`,
    );
    const now = new Date().toISOString();
    for (const { submission_id } of doubled) await supersedeOtherVersions(queryRunner.manager, submission_id, now, null);
  },
  async down() {
    // withdrawals are audited state changes: they stay
  },
});
