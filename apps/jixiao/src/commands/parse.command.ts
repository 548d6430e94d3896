import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { DEFAULT_LIMITS, DocumentRejectedError, parseDocumentAsync } from '@jixiao/forms';
import type { RuleSetRegistry } from '@jixiao/scoring';
import { CliError } from '../cli-error';
import { openRegistry, resolveRegion } from '../input/regions';

interface ParseOptions {
  region?: string;
  year?: string;
  rules?: string;
}

/** `jixiao parse <file> [--region] [--year]`: a published document → `{ evaluations, diagnostics }` as JSON. */
export function register(program: Command): void {
  program
    .command('parse')
    .description('read a self-evaluation document (.txt, .md, .csv, .xlsx, .json) into canonical evaluations (JSON)')
    .argument('<file>', 'the document')
    .option(
      '--region <code or name>',
      'region code (e.g. 410105) or name (e.g. 金水区); default: recognised in the text',
    )
    .option('--year <YYYY>', 'fiscal year; default: read from the text ("(2022年度)")')
    .option('--rules <dir>', 'rule-set directory used to recognise region names (default: the repository rules/)')
    .action(async (file: string, opts: ParseOptions) => {
      const content = readInput(file);
      const registry = registryIfReadable(opts.rules);
      const region = opts.region ? regionOption(opts.region, registry) : undefined;
      const fiscalYear = opts.year ? parseYear(opts.year) : undefined;
      try {
        const outcome = await parseDocumentAsync(
          { content, fileName: basename(file) },
          { region, fiscalYear, regionLookup: registry ? (text) => registry.findRegionInText(text) : undefined },
        );
        process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
      } catch (err) {
        if (err instanceof DocumentRejectedError) throw new CliError(err.message);
        throw err;
      }
    });
}

function readInput(file: string): Buffer {
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new CliError(`${file}: not a file`);
    if (st.size > DEFAULT_LIMITS.maxBytes)
      throw new CliError(`${file}: ${st.size} bytes, over the ${DEFAULT_LIMITS.maxBytes}-byte limit`);
    return readFileSync(file);
  } catch (err) {
    if (err instanceof CliError) throw err;
    throw new CliError(`${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** The rule-set registry knows the region names; parse goes on without it (a warning), with region codes only. */
function registryIfReadable(dir?: string): RuleSetRegistry | undefined {
  try {
    return openRegistry(dir);
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    process.stderr.write(`jixiao: ${err.message}; region names are not recognised\n`);
    return undefined;
  }
}

function regionOption(nameOrCode: string, registry?: RuleSetRegistry): string {
  if (!registry && !/^(CN|\d{6})$/.test(nameOrCode))
    throw new CliError(`--region ${nameOrCode}: give a 6-digit region code (rule sets not loaded, names unknown)`);
  return registry ? resolveRegion(registry, nameOrCode) : nameOrCode;
}

function parseYear(year: string): number {
  if (!/^\d{4}$/.test(year) || Number(year) < 1990 || Number(year) > 2100) {
    throw new CliError(`--year ${year}: expected a four-digit year (1990–2100)`);
  }
  return Number(year);
}
