import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aRun } from '../server/__fixtures__/runs';
import { closedPort, fakeServerPerTest } from '../server/__fixtures__/fake-server';
import { jixiao } from './__test__/run-cli';
import { parseYearRange } from './rule-versions.command';

const server = fakeServerPerTest();

const v = (version: number, status: string) => ({
  version,
  status,
  hash: `sha256:${version}`.padEnd(20, '0'),
  origin: version === 1 ? 'file' : 'api',
  activeYears: status === 'active' ? { from: null, to: null } : null,
  createdAt: '2026-11-22T06:00:00Z',
  createdBy: 'admin',
  activatedAt: null,
  activatedBy: null,
  reason: null,
});

const report = {
  rescored: 10,
  unchanged: 9,
  transitions: [
    { from: '良好', to: '良好', count: 9 },
    { from: '优秀', to: '良好', count: 1 },
  ],
  totalDelta: { min: 0, max: 0, mean: 0, buckets: [] },
  changed: [],
  changedTruncated: false,
};

describe('jixiao rules versions / diff / upload / impact / activate (server)', () => {
  it('versions: a table, one row per version', async () => {
    const { flags, calls } = await server({
      'GET /rule-sets/130126/versions': () => ({ status: 200, body: [v(1, 'active'), v(2, 'draft')] }),
    });
    const r = await jixiao('rules', 'versions', '130126', ...flags);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\s*v1\s+active\s+100000000000\s+file\s+所有年度/m);
    expect(r.stdout).toMatch(/^\s*v2\s+draft\s+/m);
    expect(calls[0].authorization).toBe('Bearer tok');
  });

  it("diff: the versions given, else the server's defaults (active → latest draft); prints its text", async () => {
    const text = '130126: v2 (active) → v4 (draft)\n  评价等级 (grade bands)\n    优秀: 下限 85 (含) → 90 (含)';
    const answer = { from: 2, to: 4, changes: [], text, affected: [] };
    const { flags, calls } = await server({
      'GET /rule-sets/130126/diff': () => ({ status: 200, body: answer }),
      'GET /rule-sets/130126/diff?from=1': () => ({ status: 200, body: answer }),
    });
    expect(await jixiao('rules', 'diff', '130126', ...flags)).toMatchObject({ code: 0, stdout: `${text}\n` });
    expect((await jixiao('rules', 'diff', '130126', '--from', '1', '--json', ...flags)).stdout).toContain('"from": 2');
    expect(calls.map((c) => c.url)).toEqual(['/rule-sets/130126/diff', '/rule-sets/130126/diff?from=1']);
  });

  it('upload: the id from the file; a 422 prints each issue on its own line, exit 1', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jixiao-up-')), 'mine.json');
    writeFileSync(file, '{ "id": "130126" }');
    const { flags } = await server({
      'POST /rule-sets/130126/versions': () => ({
        status: 422,
        body: {
          message: 'refused',
          issues: [{ file: 'api:130126@v5', path: '$.region', line: 1, column: 1, message: 'Required' }],
        },
      }),
    });
    const r = await jixiao('rules', 'upload', file, ...flags);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('api:130126@v5:1:1 $.region: Required');
  });

  it('upload: a file that is not JSON is refused before any request, with its line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jixiao-up-')), 'bad.json');
    writeFileSync(file, '{\n  "id": "130126",\n}');
    const r = await jixiao('rules', 'upload', file, '--url', `http://127.0.0.1:${await closedPort()}`, '--token', 't');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.json:3:1 \$: invalid JSON/);
  });

  it('impact: starts the run, follows it to the end and prints the report', async () => {
    const { flags, calls } = await server({
      'POST /rule-sets/130126/versions/3/impact': () => ({ status: 202, body: { runId: 'run-7' } }),
      'GET /rescoring-runs/run-7': () => ({
        status: 200,
        body: aRun({ id: 'run-7', status: 'completed', done: 10, total: 10, report }),
      }),
    });
    const r = await jixiao('rules', 'impact', '130126', '--version', '3', ...flags);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('等级变化');
    expect(r.stdout).toMatch(/^旧＼新\s+良好\n.*\n优秀\s+1\n良好\s+9$/m);
    expect(r.stdout).toMatch(/completed: impact run run-7 \(130126 v4\): 10\/10 done/);
    expect(calls).toHaveLength(2);
  });

  it('activate: sends reason and years, and says how to follow with --no-follow', async () => {
    const { flags, calls } = await server({
      'POST /rule-sets/130126/versions/3/activate': () => ({ status: 202, body: { version: 3, runId: 'run-8' } }),
    });
    const r = await jixiao(
      'rules',
      'activate',
      '130126',
      '--version',
      '3',
      '--reason',
      '灵财〔2024〕1号',
      '--years',
      '2024-',
      '--no-follow',
      ...flags,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(calls[0].body)).toEqual({ reason: '灵财〔2024〕1号', years: { from: 2024, to: null } });
    expect(r.stdout).toContain('jixiao rescore run-8 --follow');
  });

  it('a server that is not running: says so with its URL, exit 1', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const r = await jixiao('rules', 'versions', 'CN', '--url', url, '--token', 't');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`cannot reach the Jixiao server at ${url}`);
  });

  it('year ranges', () => {
    expect(parseYearRange('2023-2024')).toEqual({ from: 2023, to: 2024 });
    expect(parseYearRange('-2024')).toEqual({ from: null, to: 2024 });
    expect(parseYearRange('2023')).toEqual({ from: 2023, to: 2023 });
    expect(() => parseYearRange('2025-2023')).toThrow(/after/);
  });
});

describe('jixiao rescore (server)', () => {
  it('no run id: the latest run; a failed one exits 1 with how to resume', async () => {
    const { flags } = await server({
      'GET /rescoring-runs?limit=1': () => ({
        status: 200,
        body: { items: [aRun({ id: 'r2', status: 'failed', error: 'deadlock' })] },
      }),
    });
    const r = await jixiao('rescore', ...flags);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^failed: impact run r2 .*deadlock.*jixiao rescore resume r2/m);
  });

  it("cancel and resume call the run's endpoints", async () => {
    const { flags, calls } = await server({
      'POST /rescoring-runs/r3/cancel': () => ({ status: 202, body: { status: 'cancelled' } }),
      'POST /rescoring-runs/r3/resume': () => ({ status: 202, body: { runId: 'r3' } }),
    });
    expect((await jixiao('rescore', 'cancel', 'r3', ...flags)).stdout).toContain('cancel requested for run r3');
    expect((await jixiao('rescore', 'resume', 'r3', '--no-follow', ...flags)).code).toBe(0);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'POST /rescoring-runs/r3/cancel',
      'POST /rescoring-runs/r3/resume',
    ]);
  });
});
