import { Table } from 'typeorm';
import { defineMigration, portableColumns } from '@jixiao/persistence';
import { INTAKE_TABLES } from './intake-tables';

const { submissions, versions, documents } = INTAKE_TABLES;

/**
 * A submission is the logical form (region, year, unit, project); each version is one immutable row linked to its
 * predecessor. Documents are stored once per content hash: one uploaded file may hold several forms.
 */
export const CreateIntakeTables = defineMigration('CreateIntakeTables', 1_763_800_000_000, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: submissions,
        columns: [
          { ...c.varchar('id', 64), isPrimary: true },
          c.varchar('region', 6),
          c.integer('fiscal_year', true),
          c.varchar('form_type', 20),
          c.text('unit_name', true),
          c.text('project_name', true),
          c.varchar('created_by', 200),
          c.varchar('created_by_role', 50),
          c.timestamp('created_at'),
          /** The only mutable column: moves forward when a corrected version is added. */
          c.integer('latest_version'),
        ],
        indices: [{ name: 'ix_intake_submissions_region_year', columnNames: ['region', 'fiscal_year'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: documents,
        columns: [
          { ...c.varchar('sha256', 71), isPrimary: true },
          c.integer('size_bytes'),
          /** The bytes as text when they are valid UTF-8 (readable in SQL), else base64 in `content_base64`. */
          c.text('content_text', true),
          c.text('content_base64', true),
          c.timestamp('created_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: versions,
        columns: [
          { ...c.varchar('evaluation_id', 64), isPrimary: true },
          c.varchar('submission_id', 64),
          c.integer('version'),
          c.varchar('previous_version_id', 64, true),
          c.json('evaluation'),
          c.varchar('evaluation_hash', 71),
          c.text('document_name', true),
          c.varchar('document_media_type', 200, true),
          c.varchar('document_sha256', 71, true),
          c.integer('document_form_index', true),
          c.json('diagnostics'),
          c.timestamp('created_at'),
          c.varchar('created_by', 200),
          c.varchar('created_by_role', 50),
        ],
        indices: [
          { name: 'ux_intake_versions_submission_version', columnNames: ['submission_id', 'version'], isUnique: true },
          // a version has at most one successor: versions form a chain, never a tree
          { name: 'ux_intake_versions_previous', columnNames: ['previous_version_id'], isUnique: true },
        ],
      }),
    );
  },
  async down(queryRunner) {
    await queryRunner.dropTable(versions);
    await queryRunner.dropTable(documents);
    await queryRunner.dropTable(submissions);
  },
});
