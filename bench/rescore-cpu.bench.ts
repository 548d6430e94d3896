/**
 * `npm run -s bench:rescore-cpu -- --schema <kept bench_rescore schema> [--count N] [--rounds R]`
 *
 * The re-scoring worker's CPU per evaluation without PostgreSQL or Redis in the way: reads N stored evaluations of a
 * schema kept by `bench:rescore -- --keep` once, then re-scores them R times in memory as a chunk does (the bench's
 * CN change), timing each step: the chunk (parse, score, result row, audit entry prepared, event item serialised),
 * the audit entries (made when the chunk is written) and their chain (SHA-256 per record), the event (its items, written as UTF-8 as they were made, wrapped into the payload). The last line of output is one JSON object.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { parseEvent } from '@jixiao/contracts';
import { chainPrepared } from '@jixiao/persistence';
import { loadRuleSetsFromSources, listRuleFiles } from '@jixiao/scoring';
import { rescoreAuditEntries, rescoreChunk, rescoredPayload, type StoredEvaluation } from '../apps/scoring/src/rescoring/rescore-chunk';
import { storedEvaluation } from '../apps/scoring/src/rescoring/rescoring.service';
import { PG_URL, ROOT } from './support/rescore-cluster';
import { changedCn } from './support/rescore-run';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const SCHEMA = arg('schema', '');
const COUNT = Number(arg('count', '10000'));
const ROUNDS = Number(arg('rounds', '5'));
const CHUNK = 1000;

async function main() {
  if (!SCHEMA) throw new Error('--schema <a schema kept by bench:rescore -- --keep> is required');
  const rulesDir = join(ROOT, 'rules');
  const sources = listRuleFiles(rulesDir).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const cn = sources.find((s) => s.file.endsWith('/CN.json'))!;
  cn.text = JSON.stringify(changedCn(rulesDir));
  const registry = loadRuleSetsFromSources(sources);

  const pg = new Client({ connectionString: PG_URL, options: `-c search_path=${SCHEMA}` });
  await pg.connect();
  // the evaluations with the results they had before the run (the seeded ones)
  const res = await pg.query(
    `SELECT e.evaluation_id, e.submission_id, e.submission_version, e.region, e.fiscal_year, e.form_type, e.evaluation,
            r.id AS current_result_id, r.rule_set_id AS current_rule_set_id, r.rule_set_version AS current_rule_set_version,
            r.rule_set_hash AS current_hash, r.total AS current_total, r.grade AS current_grade,
            r.routing_decision AS current_routing, r.scored_at AS current_scored_at, NULL AS current_generation
       FROM scoring_evaluations e JOIN scoring_results r ON r.evaluation_id = e.evaluation_id AND r.rescoring_run_id IS NULL
      ORDER BY e.evaluation_id LIMIT $1`,
    [COUNT],
  );
  await pg.end();
  const rows: StoredEvaluation[] = res.rows.map(storedEvaluation);
  console.log(`${rows.length} evaluations from ${SCHEMA}; ${ROUNDS} rounds in chunks of ${CHUNK}`);
  const t = { chunk: 0, audit: 0, event: 0 };
  let n = 0;
  let eventBytes = 0;
  const cpu0 = process.cpuUsage();
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < rows.length; i += CHUNK) {
      const slice = rows.slice(i, i + CHUNK);
      let t0 = performance.now();
      const ctx = {
        runId: 'run_bench',
        generation: 1,
        activated: { ruleSetId: 'CN', version: 2, by: 'bench', reason: 'bench' },
        scoredAt: new Date().toISOString(),
      };
      const out = rescoreChunk(slice, registry, ctx);
      let t1 = performance.now();
      t.chunk += t1 - t0;
      t0 = t1;
      chainPrepared({ seq: 0, hash: 'genesis' }, rescoreAuditEntries(out, ctx));
      t1 = performance.now();
      t.audit += t1 - t0;
      t0 = t1;
      const json = rescoredPayload(
        { runId: 'run_bench', chunk: i / CHUNK, activated: { ruleSetId: 'CN', version: 2 }, scoredAt: new Date().toISOString() },
        out.items,
      );
      t.event += performance.now() - t0;
      eventBytes += json.length;
      // what a consumer will receive must hold to the contract (not timed)
      if (round === 0 && i === 0) parseEvent('scoring.evaluations.rescored.v1', JSON.parse(json.toString('utf8')));
      n += out.records.length;
    }
  }
  const cpu = process.cpuUsage(cpu0);
  const us = (ms: number) => Math.round((ms * 1000 * 10) / n) / 10;
  const figures = {
    evaluations: n,
    chunkUs: us(t.chunk),
    auditUs: us(t.audit),
    eventUs: us(t.event),
    totalUs: us(t.chunk + t.audit + t.event),
    // the process's CPU, the garbage collector's helper threads included (what the steps' wall times leave out)
    cpuUs: us((cpu.user + cpu.system) / 1000),
    eventBytesPerItem: Math.round(eventBytes / n),
    rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
  };
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    const withCaches = process.memoryUsage().heapUsed;
    rows.length = 0;
    res.rows.length = 0;
    gc();
    console.log(`heap after GC: ${Math.round(withCaches / 2 ** 20)} MB with the evaluations read, ${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MB without them`);
  }
  console.log(`per evaluation: chunk ${figures.chunkUs} µs, audit ${figures.auditUs} µs, event ${figures.eventUs} µs; CPU of the process ${figures.cpuUs} µs`);
  console.log(JSON.stringify(figures));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
