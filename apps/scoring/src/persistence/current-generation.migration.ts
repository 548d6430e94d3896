import { TableColumn } from 'typeorm';
import { defineMigration, portableColumns } from '@jixiao/persistence';
import { SCORING_TABLES } from './scoring-tables';

/**
 * The rule generation an evaluation's current result was scored under (the activation count at the time). A
 * re-scoring run leaves alone an evaluation scored under a later generation than its own: a run activated earlier
 * must not put back older rules over the result of a later activation's run (or of scoring after it). Rows scored
 * before this column existed have none, which counts as older than every run.
 */
export const CurrentGeneration = defineMigration('ScoringCurrentGeneration', 1_764_000_000_100, {
  async up(queryRunner) {
    const c = portableColumns(queryRunner);
    await queryRunner.addColumn(SCORING_TABLES.evaluations, new TableColumn(c.integer('current_generation', true)));
  },
  async down(queryRunner) {
    await queryRunner.dropColumn(SCORING_TABLES.evaluations, 'current_generation');
  },
});
