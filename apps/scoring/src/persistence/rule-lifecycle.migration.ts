import { Table, TableColumn, TableIndex } from 'typeorm';
import { defineMigration, portableColumns } from '@jixiao/persistence';
import { SCORING_TABLES } from './scoring-tables';

const { ruleSetVersions, evaluations, runs, chunks, ruleState } = SCORING_TABLES;

/**
 * Rule-set versions with a lifecycle (draft → active for some years → retired) keyed by the authored text, each
 * evaluation's current result denormalised beside it (bulk re-scoring reads a chunk and what it replaces in one
 * query), and re-scoring runs with their chunks.
 *
 * Versions recorded before this migration were keyed by the effective hash and kept no authored text: they are
 * retired (kept for the results that name them); the files are recorded again at start under the new scheme.
 */
export const RuleSetLifecycle = defineMigration('RuleSetLifecycle', 1_763_900_000_000, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.addColumns(ruleSetVersions, [
      /** file | api */
      new TableColumn({ ...c.varchar('origin', 10), default: "'file'" }),
      new TableColumn(c.varchar('label', 300, true)),
      /** The authored text (a rules/ file or an API upload): what drafts are edited in and registries are built from. */
      new TableColumn(c.text('raw', true)),
      new TableColumn(c.integer('declared_version', true)),
      new TableColumn(c.varchar('created_by', 120, true)),
      new TableColumn(c.timestamp('updated_at', true)),
      /** The fiscal years it is active for (null ends: open); null while a draft. */
      new TableColumn(c.integer('active_from', true)),
      new TableColumn(c.integer('active_to', true)),
      new TableColumn(c.timestamp('activated_at', true)),
      new TableColumn(c.varchar('activated_by', 120, true)),
      new TableColumn(c.text('activation_reason', true)),
      new TableColumn(c.timestamp('retired_at', true)),
    ]);
    await queryRunner.query(`UPDATE ${ruleSetVersions} SET status = 'retired', retired_at = loaded_at WHERE raw IS NULL`);

    await queryRunner.addColumns(evaluations, [
      new TableColumn(c.varchar('current_result_id', 64, true)),
      new TableColumn(c.varchar('current_rule_set_id', 60, true)),
      new TableColumn(c.integer('current_rule_set_version', true)),
      new TableColumn(c.varchar('current_hash', 71, true)),
      new TableColumn(c.double('current_total', true)),
      new TableColumn(c.varchar('current_grade', 20, true)),
      new TableColumn(c.varchar('current_routing', 20, true)),
      new TableColumn(c.timestamp('current_scored_at', true)),
    ]);
    // the current result of each evaluation so far: its latest
    await queryRunner.query(`
      UPDATE ${evaluations} SET
        current_result_id = (SELECT r.id FROM ${SCORING_TABLES.results} r WHERE r.evaluation_id = ${evaluations}.evaluation_id ORDER BY r.scored_at DESC, r.id DESC LIMIT 1)`);
    await queryRunner.query(`
      UPDATE ${evaluations} SET
        current_rule_set_id = (SELECT r.rule_set_id FROM ${SCORING_TABLES.results} r WHERE r.id = current_result_id),
        current_rule_set_version = (SELECT r.rule_set_version FROM ${SCORING_TABLES.results} r WHERE r.id = current_result_id),
        current_hash = (SELECT r.rule_set_hash FROM ${SCORING_TABLES.results} r WHERE r.id = current_result_id),
        current_total = (SELECT r.total FROM ${SCORING_TABLES.results} r WHERE r.id = current_result_id),
        current_grade = (SELECT r.grade FROM ${SCORING_TABLES.results} r WHERE r.id = current_result_id),
        current_routing = (SELECT r.routing_decision FROM ${SCORING_TABLES.results} r WHERE r.id = current_result_id),
        current_scored_at = (SELECT r.scored_at FROM ${SCORING_TABLES.results} r WHERE r.id = current_result_id)
      WHERE current_result_id IS NOT NULL`);

    await queryRunner.createTable(
      new Table({
        name: runs,
        columns: [
          { ...c.varchar('id', 64), isPrimary: true },
          /** activation (writes results) | impact (a what-if: writes nothing but its report) */
          c.varchar('kind', 12),
          c.varchar('rule_set_id', 60),
          c.integer('version'),
          c.varchar('version_id', 120),
          /** planning | running | cancelled | completed | failed */
          c.varchar('status', 12),
          /** What the run covers: the region codes, years, and the target registry's versions. */
          c.json('scope'),
          c.integer('chunk_size'),
          c.integer('total', true),
          c.integer('chunk_count', true),
          c.integer('rule_generation'),
          c.varchar('created_by', 120),
          c.text('reason', true),
          c.timestamp('created_at'),
          c.timestamp('started_at', true),
          c.timestamp('finished_at', true),
          c.integer('resumes'),
          c.text('error', true),
          c.json('report', true),
        ],
        indices: [{ name: 'ix_scoring_rescoring_runs_created', columnNames: ['created_at'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: chunks,
        columns: [
          { ...c.varchar('run_id', 64), isPrimary: true },
          { ...c.integer('chunk'), isPrimary: true },
          c.varchar('first_id', 64),
          c.varchar('last_id', 64),
          c.integer('size'),
          /** pending | done | failed */
          c.varchar('status', 10),
          c.integer('rescored', true),
          c.integer('changed', true),
          /** Impact runs: this chunk's share of the report. */
          c.json('summary', true),
          c.timestamp('done_at', true),
          c.text('error', true),
        ],
        indices: [{ name: 'ix_scoring_rescoring_chunks_status', columnNames: ['run_id', 'status'] }],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: ruleState,
        columns: [
          { ...c.integer('id'), isPrimary: true },
          /** Incremented by every activation: a process whose registry is older rebuilds it before scoring. */
          c.integer('generation'),
        ],
      }),
    );
    await queryRunner.query(`INSERT INTO ${ruleState} (id, generation) VALUES (1, 0)`);
    await queryRunner.createIndex(
      SCORING_TABLES.results,
      new TableIndex({ name: 'ix_scoring_results_run', columnNames: ['rescoring_run_id'] }),
    );
  },
  async down(queryRunner) {
    await queryRunner.dropIndex(SCORING_TABLES.results, 'ix_scoring_results_run');
    await queryRunner.dropTable(ruleState);
    await queryRunner.dropTable(chunks);
    await queryRunner.dropTable(runs);
    for (const col of [
      'current_result_id',
      'current_rule_set_id',
      'current_rule_set_version',
      'current_hash',
      'current_total',
      'current_grade',
      'current_routing',
      'current_scored_at',
    ])
      await queryRunner.dropColumn(evaluations, col);
    for (const col of [
      'origin',
      'label',
      'raw',
      'declared_version',
      'created_by',
      'updated_at',
      'active_from',
      'active_to',
      'activated_at',
      'activated_by',
      'activation_reason',
      'retired_at',
    ])
      await queryRunner.dropColumn(ruleSetVersions, col);
  },
});
