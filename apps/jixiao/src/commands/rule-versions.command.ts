import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { formatIssue, parseRuleText } from '@jixiao/scoring';
import { CliError } from '../cli-error';
import { versionsTable } from '../output/versions-table';
import { ApiError } from '../server/api-client';
import type { Years } from '../server/api-types';
import { followOnTerminal, parseVersion } from '../server/follow-run';
import { clientFor, withServerOptions, type ServerOptions } from '../server/server-options';

interface RunOptions extends ServerOptions {
  version?: string;
  json?: boolean;
  follow: boolean;
}

interface ActivateOptions extends RunOptions {
  reason: string;
  years?: string;
}

/** `2023-2024`, `2023-`, `-2024`, `2023`. */
export function parseYearRange(text: string): Years {
  const m = /^(\d{4})?(-)?(\d{4})?$/.exec(text.trim());
  if (!m || (!m[1] && !m[3])) throw new CliError(`--years ${text}: expected 2023-2024, 2023-, -2024 or 2023`);
  const from = m[1] ? Number(m[1]) : null;
  const to = m[3] ? Number(m[3]) : m[2] ? null : from;
  if (from !== null && to !== null && from > to) throw new CliError(`--years ${text}: ${from} is after ${to}`);
  return { from, to };
}

/** The id an upload goes to: the file's own `id` (a file that is not JSON is refused here, with its line). */
export function uploadTarget(file: string, text: string): string {
  try {
    const id = (JSON.parse(text.replace(/^\uFEFF/, '')) as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && id) return id;
    throw new CliError(`${file}: the rule set has no "id"`, 1);
  } catch (err) {
    if (err instanceof CliError) throw err;
    const res = parseRuleText(file, text);
    throw new CliError(res.ok ? String(err) : res.issues.map(formatIssue).join('\n'), 1);
  }
}

/** `jixiao rules versions|upload|impact|activate`: rule-set versions on the scoring service. */
export function registerVersions(rules: Command): void {
  withServerOptions(rules.command('versions'))
    .description('list the stored versions of a rule set (server)')
    .argument('<id>', 'rule set id (130126, 130126@2024)')
    .option('--json', 'print the versions as JSON')
    .action(async (id: string, opts: ServerOptions & { json?: boolean }) => {
      const versions = await clientFor(opts, id).versions(id);
      process.stdout.write(
        opts.json ? `${JSON.stringify(versions, null, 2)}\n` : `${id}\n${versionsTable(versions)}\n`,
      );
    });

  withServerOptions(rules.command('upload'))
    .description('store a rule file as a new draft version of its rule set (server)')
    .argument('<file.json>', 'the rule file; its "id" names the rule set')
    .action(async (file: string, opts: ServerOptions) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (err) {
        throw new CliError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
      }
      const id = uploadTarget(file, text);
      try {
        const v = await clientFor(opts, id).upload(id, text);
        process.stdout.write(`uploaded ${file} as ${id} v${v.version} (${v.status}, ${v.hash})\n`);
        process.stdout.write(
          `next: jixiao rules diff ${id} --to ${v.version}; jixiao rules impact ${id} --version ${v.version}\n`,
        );
      } catch (err) {
        if (err instanceof ApiError && err.status === 422 && err.issues.length) {
          const lines = err.issues.map(formatIssue).join('\n');
          throw new CliError(`${id}: the server refused ${file} (422):\n${lines}`, 1);
        }
        throw err;
      }
    });

  withServerOptions(rules.command('impact'))
    .description(
      're-score stored evaluations with a version, without changing anything, and report what would change (server)',
    )
    .argument('<id>', 'rule set id')
    .requiredOption('--version <v>', 'the version to try')
    .option('--years <range>', 'as activating it for these fiscal years would: 2023-2024, 2023-, -2024 (default: its own)')
    .option('--json', 'print the finished run (with its report) as JSON')
    .option('--no-follow', 'print the run id and return at once')
    .action(async (id: string, opts: RunOptions & { years?: string }) => {
      const version = parseVersion(opts.version);
      const years = opts.years === undefined ? undefined : parseYearRange(opts.years);
      const client = clientFor(opts, id);
      const { runId } = await client.impact(id, version, years ? { years } : {});
      started(runId, `impact of ${id} v${version}`, opts);
      if (opts.follow) await followOnTerminal(client, runId, { report: true, json: opts.json });
    });

  withServerOptions(rules.command('activate'))
    .description('make a version the active one (for some years) and re-score what it covers (server)')
    .argument('<id>', 'rule set id')
    .requiredOption('--version <v>', 'the version to activate')
    .requiredOption('--reason <text>', 'why (kept in the audit trail)')
    .option('--years <range>', 'fiscal years it applies to: 2023-2024, 2023-, -2024 (default: its own)')
    .option('--json', 'print the finished run as JSON')
    .option('--no-follow', 'print the run id and return at once')
    .action(async (id: string, opts: ActivateOptions) => {
      const version = parseVersion(opts.version);
      const years = opts.years === undefined ? undefined : parseYearRange(opts.years);
      const client = clientFor(opts, id);
      const res = await client.activate(id, version, { reason: opts.reason, ...(years ? { years } : {}) });
      started(res.runId, `${id} v${res.version} is active; re-scoring`, opts);
      if (opts.follow) await followOnTerminal(client, res.runId, { report: true, json: opts.json });
    });
}

function started(runId: string, what: string, opts: RunOptions): void {
  const line = opts.follow
    ? `${what}: run ${runId}\n`
    : `${what}: run ${runId} (follow: jixiao rescore ${runId} --follow)\n`;
  (opts.json ? process.stderr : process.stdout).write(line);
}
