import { Table } from 'typeorm';
import { defineMigration } from '@jixiao/persistence';
import { portableColumns } from '@jixiao/persistence';
import { PUBLICATION_TABLES } from './publication.tables';

const { disclosures, revisions } = PUBLICATION_TABLES;

/** Disclosures (one per evaluation) and their revisions; runs on SQLite and PostgreSQL (QueryRunner table API). */
export const CreatePublicationTables = defineMigration('CreatePublicationTables', 1_763_800_000_000, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: disclosures,
        columns: [
          { ...c.varchar('id', 64), isPrimary: true },
          c.varchar('evaluation_id', 200),
          c.varchar('submission_id', 200),
          c.varchar('region', 6),
          c.varchar('region_name', 100, true),
          c.integer('fiscal_year', true),
          c.varchar('form_type', 20),
          c.text('unit_name', true),
          c.text('project_name', true),
          c.integer('revision'),
          c.varchar('status', 20),
          c.double('total', true),
          c.varchar('grade', 20, true),
          c.double('execution_rate', true),
          c.timestamp('first_published_at'),
          c.timestamp('published_at'),
          c.timestamp('retracted_at', true),
          c.text('retraction_reason', true),
          c.varchar('retracted_by', 200, true),
        ],
        indices: [
          { name: 'ux_publication_disclosures_evaluation', columnNames: ['evaluation_id'], isUnique: true },
          { name: 'ix_publication_disclosures_region_year', columnNames: ['region', 'fiscal_year'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: revisions,
        columns: [
          { ...c.varchar('disclosure_id', 64), isPrimary: true },
          { ...c.integer('revision'), isPrimary: true },
          c.varchar('evaluation_id', 200),
          c.varchar('submission_id', 200),
          c.integer('submission_version'),
          c.double('total', true),
          c.varchar('grade', 20, true),
          c.double('execution_rate', true),
          c.json('breakdown', true),
          c.varchar('score_result_id', 200),
          c.varchar('rule_set_id', 100),
          c.integer('rule_set_version'),
          c.varchar('rule_set_hash', 71),
          c.text('reason', true),
          c.varchar('approved_by', 200),
          c.boolean('automatic'),
          c.timestamp('approved_at'),
          c.timestamp('published_at'),
        ],
        foreignKeys: [{ columnNames: ['disclosure_id'], referencedTableName: disclosures, referencedColumnNames: ['id'] }],
      }),
    );
  },
  async down(queryRunner) {
    await queryRunner.dropTable(revisions);
    await queryRunner.dropTable(disclosures);
  },
});
