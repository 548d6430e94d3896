import { dialectOf, defineMigration } from '@jixiao/persistence';
import { SCORING_TABLES } from './scoring-tables';

const T = SCORING_TABLES.evaluations;

/**
 * PostgreSQL: `scoring_evaluations` rows keep their evaluation document out of line and leave room on each page, so
 * moving an evaluation's current result (nine narrow columns, once per evaluation and re-scoring run) writes a
 * ~400-byte row version on the same page instead of the whole ~1.6 KB row (its compressed document inline) on
 * another page plus an entry in each index.
 *
 * - `toast_tuple_target = 512`: a row that PostgreSQL toasts (one whose document makes it longer than ~2 KB before
 *   compression) has its document, compressed as before, moved to the TOAST table until the row is under 512
 *   bytes; an update that leaves the document alone keeps pointing at it. The other columns (ids, hashes) stay
 *   inline: together they are well under 512 bytes.
 * - `fillfactor = 50`: inserts leave half of each page free. A re-scoring run moves the pointer of every row of a
 *   page, so every row needs room for a second version on its page for the update to be "HOT" (no new index
 *   entries); the next run's read prunes the old versions and the room is there again.
 *
 * Measured on a 1,000-row chunk's pointer update (EXPLAIN ANALYZE, 20,000 evaluations): 22–25 ms and 3.5 KB of WAL
 * per row before; 5–8 ms and 190 bytes per row with both (16 ms with fillfactor 80, where only a third of the
 * updates found room). Reading a chunk costs more, as each document is fetched from the TOAST table (bench:rescore,
 * pg_stat_statements: 10 → 16 ms per 1,000 evaluations, against 37 → 30 ms for the update there and 284 → 70 MB of
 * WAL for it per 100,000).
 *
 * Both apply to rows written from now on (an update does not move a document already compressed inline, so rows
 * stored before keep their layout). No index or column changes. Nothing happens on SQLite.
 */
export const NarrowEvaluationRows = defineMigration('ScoringNarrowEvaluationRows', 1_764_000_000_200, {
  async up(queryRunner) {
    if (dialectOf(queryRunner.manager) !== 'postgres') return;
    await queryRunner.query(`ALTER TABLE ${T} SET (toast_tuple_target = 512, fillfactor = 50)`);
  },
  async down(queryRunner) {
    if (dialectOf(queryRunner.manager) !== 'postgres') return;
    await queryRunner.query(`ALTER TABLE ${T} RESET (toast_tuple_target, fillfactor)`);
  },
});
