import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands';
import { CliError } from './cli-error';

/** `jixiao`: the command line. Exit 0 when the work was done, 2 with a message on stderr for bad input. */
async function main(argv: string[]): Promise<number> {
  const program = new Command('jixiao')
    .description('Jixiao (绩效): score, check and publish budget performance self-evaluations')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  for (const register of COMMANDS) register(program);
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof CliError) {
      process.stderr.write(`jixiao: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`jixiao: unexpected error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

main(process.argv).then((code) => process.exit(code));
