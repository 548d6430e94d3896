import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fixtureDir, VALID_DIR } from '../../../../libs/scoring/src/rule-set/__fixtures__/fixture-dir';
import { CliError } from '../cli-error';
import { register } from './rules.command';

/** Run `jixiao <args>` in process: the exit code main.ts would give (0, or the CliError's), stdout and stderr. */
async function jixiao(...args: string[]) {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const program = new Command('jixiao').exitOverride();
  register(program);
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

describe('jixiao rules', () => {
  it('validate: one OK line per file and exit 0 when all are valid', async () => {
    const r = await jixiao('rules', 'validate', VALID_DIR);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(7);
    expect(r.stdout).toMatch(/^OK .*410105\.json \(410105 v3\)$/m);
  });

  it('validate: exit 2 with the file and JSON path on stderr when a file is broken', async () => {
    const dir = fixtureDir((f) => {
      f['130126.json'].grades[1].conditions.all[1].value = 84;
    });
    const r = await jixiao('rules', 'validate', dir);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^ERROR .*130126\.json: 1 problem$/m);
    expect(r.stderr).toMatch(/130126\.json:\d+:\d+ \$\.grades\[0\]: grade bands .* gap/);
    expect(r.stderr).toMatch(/jixiao: 2 of 7 rule files are invalid/); // 130126@2024 inherits the problem
  });

  it('validate: exit 2 for a directory that does not exist', async () => {
    const r = await jixiao('rules', 'validate', '/nonexistent/rules');
    expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/\/nonexistent\/rules \$: not a directory/) });
  });

  it('show: the effective rule set with id, version, hash and chain, one form type on request', async () => {
    const r = await jixiao('rules', 'show', '金水区', '--year', '2022', '--form', 'department', '--rules', VALID_DIR);
    expect(r.code).toBe(0);
    const set = JSON.parse(r.stdout);
    expect(set).toMatchObject({
      id: '410105',
      version: 3,
      chain: [{ id: '410105' }, { id: '410100' }, { id: '410000' }, { id: 'CN' }],
    });
    expect(set.hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(Object.keys(set.forms)).toEqual(['department']);
    expect(set.rounding).toEqual({ precision: 1, mode: 'half-up' });
  });

  it('show: exit 2 with a clear message for an unknown region or a bad option', async () => {
    expect(await jixiao('rules', 'show', '4101', '--rules', VALID_DIR)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/"4101" is not a region code/),
    });
    expect(await jixiao('rules', 'show', '霍邱县', '--rules', VALID_DIR)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/no rule set names the region "霍邱县"/),
    });
    expect(await jixiao('rules', 'show', 'CN', '--form', 'unit', '--rules', VALID_DIR)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/project or department/),
    });
  });
});
