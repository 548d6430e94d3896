import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { defaultRulesDir, formatIssue, loadRuleSets, RuleSetError, type RuleSetRegistry } from '@jixiao/scoring';
import { CliError } from '../cli-error';
import { draftDiff, findRuleSetId, formatDraftDiff } from '../rule-diff/draft-diff';
import { parseVersion } from '../server/follow-run';
import { clientFor, withServerOptions, type ServerOptions } from '../server/server-options';

interface DiffOptions extends ServerOptions {
  file?: string;
  rulesDir?: string;
  from?: string;
  to?: string;
  json?: boolean;
}

/** `jixiao rules diff <region-or-id> --file <draft.json>` (offline) or `[--from v] [--to v]` (server). */
export function registerDiff(rules: Command): void {
  withServerOptions(
    rules
      .command('diff')
      .description(
        "what a draft file (offline, --file) or a stored version (server, --from/--to) changes, in the domain's terms",
      )
      .argument('<region-or-id>', 'rule set id (130126, 130126@2024) or, offline, a region code or name')
      .option('--file <draft.json>', 'offline: a draft replacing the rule set of that id in the rules directory')
      .option('--rules-dir <dir>', 'offline: rule-set directory (default: the repository rules/)')
      .option('--from <version>', 'server: compare from this version (default: the active one)')
      .option('--to <version>', 'server: compare to this version (default: the latest draft)')
      .option('--json', 'print the changes as JSON'),
  ).action((target: string, opts: DiffOptions) =>
    opts.file ? offline(target, opts.file, opts) : online(target, opts),
  );
}

function loadDir(dir?: string): RuleSetRegistry {
  try {
    return loadRuleSets(dir ? resolve(dir) : defaultRulesDir());
  } catch (err) {
    if (err instanceof RuleSetError) throw new CliError(`the rules directory itself is broken:\n${err.message}`);
    throw err;
  }
}

function offline(target: string, file: string, opts: DiffOptions): void {
  if (opts.from || opts.to)
    throw new CliError(
      '--file compares a draft with the rules directory; --from/--to compare stored versions: give one or the other',
    );
  const current = loadDir(opts.rulesDir);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`${file}: cannot read the draft (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  let id: string;
  try {
    id = findRuleSetId(current, target);
  } catch (err) {
    if (err instanceof RuleSetError) throw new CliError(err.message);
    throw err;
  }
  const d = draftDiff(current, id, { file, text });
  if (!d.ok) {
    // the draft's own problems first, then the rule sets it breaks
    const issues = [...d.issues].sort((a, b) => Number(b.file === file) - Number(a.file === file));
    for (const i of issues) process.stderr.write(`${formatIssue(i)}\n`);
    throw new CliError(
      `the draft is refused: ${d.issues.length} problem${d.issues.length > 1 ? 's' : ''} (see above)`,
      1,
    );
  }
  if (opts.json) {
    const { ok: _ok, ...out } = d;
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
  } else process.stdout.write(`${formatDraftDiff(d, current)}\n`);
}

async function online(id: string, opts: DiffOptions): Promise<void> {
  const from = opts.from === undefined ? undefined : parseVersion(opts.from, '--from');
  const to = opts.to === undefined ? undefined : parseVersion(opts.to, '--to');
  const answer = await clientFor(opts, id).diff(id, from, to);
  if (opts.json) process.stdout.write(`${JSON.stringify({ id, ...answer }, null, 2)}\n`);
  else process.stdout.write(`${answer.text}\n`);
}
