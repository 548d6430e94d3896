import { Command } from 'commander';
import { vi } from 'vitest';
import { CliError } from '../../cli-error';
import { COMMANDS } from '..';

/**
 * Run `jixiao <args>` in process: the exit code main.ts would give (a CliError's, else process.exitCode, else
 * 0), stdout and stderr.
 */
export async function jixiao(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const program = new Command('jixiao').exitOverride();
  for (const register of COMMANDS) register(program);
  let code = 0;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['node', 'jixiao', ...args]);
    code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    code = err.exitCode;
    stderr += `jixiao: ${err.message}\n`;
  } finally {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  }
  return { code, stdout, stderr };
}
