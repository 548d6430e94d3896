/**
 * The floor of a re-scoring run: PostgreSQL storing the run's result rows and nothing else. The rows the run wrote
 * are copied out (COPY TO STDOUT, to a temp file, not timed), then timed: COPY FROM STDIN of that file into a fresh
 * table with the same columns and indexes as scoring_results (`LIKE … INCLUDING ALL`). No scoring, no audit chain, no
 * events, no reads: what a run costs beyond this is the work it does besides storing its results.
 */
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';

export async function copyFloor(pg: Client, runId: string): Promise<{ rows: number; seconds: number; bytes: number }> {
  const file = join(tmpdir(), `jixiao-rescore-floor-${process.pid}-${Date.now()}.copy`);
  try {
    await pipeline(
      pg.query(
        copyTo(
          `COPY (SELECT * FROM scoring_results WHERE rescoring_run_id = '${runId.replace(/'/g, "''")}') TO STDOUT`,
        ),
      ),
      createWriteStream(file),
    );
    await pg.query(`DROP TABLE IF EXISTS rescore_floor`);
    await pg.query(`CREATE TABLE rescore_floor (LIKE scoring_results INCLUDING ALL)`);
    const started = performance.now();
    const stream = pg.query(copyFrom(`COPY rescore_floor FROM STDIN`));
    await pipeline(createReadStream(file, { highWaterMark: 1 << 20 }), stream);
    const seconds = (performance.now() - started) / 1000;
    const rows = Number(stream.rowCount);
    await pg.query(`DROP TABLE rescore_floor`);
    return { rows, seconds, bytes: statSync(file).size };
  } finally {
    rmSync(file, { force: true });
  }
}
