/**
 * Document intake throughput on one core: the four seeds and eight samples (text layouts of every kind,
 * rejections included) parsed in turn with `parseDocument`. The last output line is one JSON object with the
 * figures.
 *
 *   npm run bench:forms            (BENCH_SECONDS=3 by default)
 *
 * Rates are per CPU-second of this process (process.cpuUsage), so other work on a shared machine does not
 * depress them; wall-clock rates are printed beside them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DocumentRejectedError, parseDocument } from '@jixiao/forms';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const FIXTURES = join(__dirname, '..', 'libs', 'forms', 'test-fixtures');

const docs = ['seeds', 'samples'].flatMap((dir) =>
  readdirSync(join(FIXTURES, dir)).map((f) => ({ fileName: f, content: readFileSync(join(FIXTURES, dir, f)) })),
);
const bytesPerRound = docs.reduce((s, d) => s + d.content.length, 0);

function round(): { evaluations: number; rejected: number } {
  let evaluations = 0;
  let rejected = 0;
  for (const d of docs) {
    try {
      evaluations += parseDocument(d).evaluations.length;
    } catch (err) {
      if (!(err instanceof DocumentRejectedError)) throw err;
      rejected++;
    }
  }
  return { evaluations, rejected };
}

function run(seconds: number): { rounds: number; cpu: number; wall: number } {
  const cpu0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  let rounds = 0;
  do {
    round();
    rounds++;
  } while (Number(process.hrtime.bigint() - wall0) / 1e9 < seconds);
  const c = process.cpuUsage(cpu0);
  return { rounds, cpu: (c.user + c.system) / 1e6, wall: Number(process.hrtime.bigint() - wall0) / 1e9 };
}

const first = round();
run(Math.min(1, SECONDS)); // warm-up: JIT, and OpenCC's dictionaries (灵寿 has traditional characters)
const r = run(SECONDS);
const documents = r.rounds * docs.length;
const result = {
  bench: 'forms',
  documents: docs.length,
  bytesPerRound,
  evaluationsPerRound: first.evaluations,
  rejectedPerRound: first.rejected,
  rounds: r.rounds,
  docsPerCpuSecond: Math.round(documents / r.cpu),
  mbPerCpuSecond: Number(((r.rounds * bytesPerRound) / 1e6 / r.cpu).toFixed(2)),
  docsPerWallSecond: Math.round(documents / r.wall),
  mbPerWallSecond: Number(((r.rounds * bytesPerRound) / 1e6 / r.wall).toFixed(2)),
  targetDocsPerSecond: 200,
};
console.log(
  `parsed ${docs.length} documents (${bytesPerRound} bytes) ${r.rounds} times in ${r.wall.toFixed(2)} s wall, ${r.cpu.toFixed(2)} s CPU`,
);
console.log(
  `${result.docsPerCpuSecond} documents/s, ${result.mbPerCpuSecond} MB/s per CPU-second (${result.docsPerWallSecond} documents/s wall)`,
);
console.log(JSON.stringify(result));
