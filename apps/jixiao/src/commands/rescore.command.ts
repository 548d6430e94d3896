import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { followOnTerminal, printRun } from '../server/follow-run';
import { clientFor, withServerOptions, type ServerOptions } from '../server/server-options';

interface RescoreOptions extends ServerOptions {
  follow?: boolean;
  json?: boolean;
}

/** `jixiao rescore [runId] [--follow]`, `jixiao rescore cancel <runId>`, `jixiao rescore resume <runId>`. */
export function register(program: Command): void {
  const rescore = withServerOptions(program.command('rescore'))
    .description('show or follow a re-scoring run (server); without a run id, the latest')
    .argument('[runId]', 'run id (default: the latest run)')
    .option('--follow', 'follow the run until it ends, with a progress line')
    .option('--json', 'print the run as JSON')
    .action(async (runId: string | undefined, opts: RescoreOptions) => {
      const client = clientFor(opts);
      const run = runId ? await client.run(runId) : await client.latestRun();
      if (!run) throw new CliError('no re-scoring runs yet', 1);
      if (opts.follow) await followOnTerminal(client, run.id, { report: true, json: opts.json });
      else printRun(run, { report: true, json: opts.json });
    });

  // --url/--token are rescore's own options (commander gives a parent's options to the parent wherever they stand)
  rescore
    .command('cancel')
    .description('cancel a run: chunks already done stay done; resume continues from there')
    .argument('<runId>')
    .action(async (runId: string, _opts: unknown, cmd: Command) => {
      const client = clientFor(cmd.optsWithGlobals<ServerOptions>());
      await client.cancel(runId);
      process.stdout.write(`cancel requested for run ${runId} (resume: jixiao rescore resume ${runId})\n`);
    });

  rescore
    .command('resume')
    .description('resume a cancelled or failed run from the chunks not yet done, and follow it')
    .argument('<runId>')
    .option('--no-follow', 'return at once')
    .action(async (runId: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<RescoreOptions>();
      const client = clientFor(opts);
      await client.resume(runId);
      process.stderr.write(`run ${runId} resumed\n`);
      if (opts.follow !== false) await followOnTerminal(client, runId, { report: true, json: opts.json });
    });
}
