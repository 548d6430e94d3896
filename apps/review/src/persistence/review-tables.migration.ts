import { Table } from 'typeorm';
import { defineMigration, portableColumns } from '@jixiao/persistence';
import { REVIEW_TABLES } from './review-tables';

const { cases, details, history } = REVIEW_TABLES;

/** The case, the read-model detail and the history projection (the audit, outbox and inbox tables come from the libs). */
export const ReviewTablesMigration = defineMigration('CreateReviewTables', 1_763_800_000_000, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: cases,
        columns: [
          { ...c.varchar('evaluation_id', 200), isPrimary: true },
          c.varchar('submission_id', 200),
          c.integer('version'),
          c.varchar('previous_version_id', 200, true),
          c.varchar('region', 10),
          c.integer('fiscal_year', true),
          c.varchar('form_type', 20),
          c.varchar('unit_name', 500, true),
          c.varchar('project_name', 500, true),
          c.varchar('state', 20),
          c.integer('revision'),
          c.timestamp('received_at', true),
          c.varchar('result_id', 200, true),
          c.timestamp('scored_at', true),
          c.double('total', true),
          c.varchar('grade', 20, true),
          c.double('execution_rate', true),
          c.integer('finding_errors', true),
          c.integer('finding_warnings', true),
          c.integer('finding_infos', true),
          c.json('finding_codes', true),
          c.varchar('routing_decision', 20, true),
          c.json('routing_reasons', true),
          c.varchar('rule_set_id', 100, true),
          c.integer('rule_set_version', true),
          c.varchar('rule_set_hash', 71, true),
          c.text('last_reason', true),
          c.varchar('public_path', 300, true),
          c.timestamp('created_at'),
          c.timestamp('updated_at'),
        ],
        indices: [
          { name: `ix_${cases}_listing`, columnNames: ['created_at', 'evaluation_id'] },
          { name: `ix_${cases}_region_year`, columnNames: ['region', 'fiscal_year'] },
          { name: `ix_${cases}_state`, columnNames: ['state'] },
          { name: `ix_${cases}_previous`, columnNames: ['previous_version_id'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: details,
        columns: [
          { ...c.varchar('evaluation_id', 200), isPrimary: true },
          c.json('evaluation', true),
          c.varchar('result_id', 200, true),
          c.json('score_result', true),
          c.timestamp('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: history,
        columns: [
          c.id(),
          c.varchar('evaluation_id', 200),
          c.timestamp('at'),
          c.varchar('actor_user', 200),
          c.varchar('actor_role', 50),
          c.varchar('action', 50),
          c.varchar('from_state', 20, true),
          c.varchar('to_state', 20, true),
          c.text('reason', true),
          c.varchar('source', 50),
          c.varchar('event_id', 200, true),
          c.json('details', true),
        ],
        indices: [{ name: `ix_${history}_evaluation`, columnNames: ['evaluation_id', 'id'] }],
      }),
    );
  },
  async down(queryRunner) {
    await queryRunner.dropTable(history);
    await queryRunner.dropTable(details);
    await queryRunner.dropTable(cases);
  },
});
