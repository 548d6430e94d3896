import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CliError } from '../cli-error';
import { register as registerParse } from './parse.command';
import { register as registerTemplate } from './template.command';

const FIXTURES = join(__dirname, '..', '..', '..', '..', 'libs', 'forms', 'test-fixtures');

/** Run `jixiao <args>` in process: the exit code main.ts would give (0, or the CliError's), stdout and stderr. */
async function jixiao(...args: string[]) {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const program = new Command('jixiao').exitOverride();
  registerParse(program);
  registerTemplate(program);
  let code = 0;
  try {
    await program.parseAsync(['node', 'jixiao', ...args]);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    code = err.exitCode;
    stderr += `jixiao: ${err.message}\n`;
  } finally {
    vi.restoreAllMocks();
  }
  return { code, stdout, stderr };
}

afterEach(() => vi.restoreAllMocks());

describe('jixiao parse', () => {
  it('prints the evaluations and diagnostics as JSON, region recognised from the rule sets', async () => {
    const r = await jixiao('parse', join(FIXTURES, 'seeds', '002_0839647822e00506.txt'));
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.evaluations).toHaveLength(1);
    expect(out.evaluations[0]).toMatchObject({
      formType: 'department',
      region: '410105',
      fiscalYear: 2021,
      reported: { total: 96, grade: '优' },
    });
    expect(Array.isArray(out.diagnostics)).toBe(true);
  });

  it('--region takes a name known to the rule sets, and --year overrides the text', async () => {
    const r = await jixiao(
      'parse',
      join(FIXTURES, 'seeds', '003_935000674b579cd0.txt'),
      '--region',
      '灵寿县',
      '--year',
      '2021',
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).evaluations[0]).toMatchObject({ region: '130126', fiscalYear: 2021 });
  });

  it('exit 2 with the reason on stderr when no form can be read', async () => {
    const r = await jixiao('parse', join(FIXTURES, 'samples', '01_haidian.txt'));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/01_haidian\.txt: no 项目支出绩效自评表.*run together/);
  });

  it('exit 2 for a bad --year and for a missing file', async () => {
    expect((await jixiao('parse', join(FIXTURES, 'seeds', '003_935000674b579cd0.txt'), '--year', '22')).stderr).toMatch(
      /--year 22/,
    );
    const r = await jixiao('parse', '/nonexistent/form.txt');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read \(ENOENT\)/);
  });
});

describe('jixiao template', () => {
  it('writes a blank form that parse recognises and reports as not filled in', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'jixiao-')), 'blank.xlsx');
    expect((await jixiao('template', '--xlsx', file)).code).toBe(0);
    expect(readFileSync(file).subarray(0, 2).toString()).toBe('PK');
    const r = await jixiao('parse', file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/none of its figures/);
  });
});
