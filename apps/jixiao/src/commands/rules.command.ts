import { isAbsolute, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import {
  defaultRulesDir,
  formatIssue,
  inspectRuleSets,
  loadRuleSets,
  RuleSetError,
  type ResolvedRuleSet,
  type RuleSetRegistry,
} from '@jixiao/scoring';
import { CliError } from '../cli-error';
import { registerDiff } from './rules-diff.command';
import { registerVersions } from './rule-versions.command';

interface ShowOptions {
  year?: string;
  form?: string;
  rules?: string;
}

/**
 * `jixiao rules validate [dir]`, `jixiao rules show <region> [--year] [--form]`, `jixiao rules diff`, and the
 * server's rule-set versions (`versions`, `upload`, `impact`, `activate`).
 */
export function register(program: Command): void {
  const rules = program.command('rules').description('check and inspect the region rule sets (rules/*.json)');

  rules
    .command('validate')
    .description('check every rule file of a directory; exit 2 when any is broken')
    .argument('[dir]', 'rule-set directory (default: the repository rules/)')
    .action((dir?: string) => validate(shown(dir ? resolve(dir) : defaultRulesDir())));

  rules
    .command('show')
    .description('print the effective rule set of a region after inheritance, as JSON')
    .argument('<region>', 'region code (e.g. 130126) or name (e.g. 灵寿县)')
    .option('--year <YYYY>', 'fiscal year (default: the latest rule set)')
    .option('--form <type>', 'only the rules of one form type: project or department')
    .option('--rules <dir>', 'rule-set directory (default: the repository rules/)')
    .action((region: string, opts: ShowOptions) => show(region, opts));

  registerDiff(rules);
  registerVersions(rules);
}

function validate(dir: string): void {
  let inspection;
  try {
    inspection = inspectRuleSets(dir);
  } catch (err) {
    if (err instanceof RuleSetError) throw new CliError(err.message);
    throw err;
  }
  const { reports } = inspection;
  if (reports.length === 0) throw new CliError(`${dir}: no rule files (*.json) found`);
  let broken = 0;
  for (const r of reports) {
    if (r.issues.length === 0) {
      process.stdout.write(`OK     ${r.file} (${r.id} v${r.version})\n`);
      continue;
    }
    broken++;
    process.stdout.write(`ERROR  ${r.file}: ${r.issues.length} problem${r.issues.length > 1 ? 's' : ''}\n`);
    for (const i of r.issues) process.stderr.write(`${formatIssue(i)}\n`);
  }
  if (broken > 0) throw new CliError(`${broken} of ${reports.length} rule files are invalid (see above)`);
}

function show(region: string, opts: ShowOptions): void {
  const year = opts.year === undefined ? null : parseYear(opts.year);
  const form = opts.form;
  if (form !== undefined && form !== 'project' && form !== 'department') {
    throw new CliError(`--form ${form}: expected project or department`);
  }
  try {
    const registry = open(opts.rules);
    const set = registry.resolveByName(region, year);
    process.stdout.write(`${JSON.stringify(view(set, form), null, 2)}\n`);
  } catch (err) {
    if (err instanceof RuleSetError) throw new CliError(err.message);
    throw err;
  }
}

function open(dir?: string): RuleSetRegistry {
  return loadRuleSets(dir ? resolve(dir) : defaultRulesDir());
}

/** Identity first (id, version, hash, chain), then the rules; one form type only when asked. */
function view(set: ResolvedRuleSet, form?: 'project' | 'department'): Record<string, unknown> {
  const { id, version, hash, chain, resolvedFor, region, years, source, forms, ...rest } = set;
  return {
    id,
    version,
    hash,
    chain,
    ...(resolvedFor ? { resolvedFor } : {}),
    region,
    years,
    source,
    forms: form ? { [form]: forms[form] } : forms,
    ...rest,
  };
}

/** A directory under the working directory is shown (and named in messages) relative to it. */
function shown(dir: string): string {
  const rel = relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? dir : rel;
}

function parseYear(year: string): number {
  if (!/^\d{4}$/.test(year)) throw new CliError(`--year ${year}: expected a four-digit year`);
  return Number(year);
}
