import type { Command } from 'commander';
import type { CanonicalEvaluation, ScoreResult } from '@jixiao/contracts';
import { RuleSetError, type RuleSetRegistry, score } from '@jixiao/scoring';
import { CliError } from '../cli-error';
import { readEvaluations } from '../input/read-evaluations';
import { openRegistry, resolveRegion } from '../input/regions';
import { renderScoreReport } from '../output/score-report';

interface ScoreOptions {
  region?: string;
  year?: string;
  json?: boolean;
  rules?: string;
}

/** `jixiao score <file> [--region] [--year] [--json]`: re-score forms with their region's rules. */
export function register(program: Command): void {
  program
    .command('score')
    .description('re-score self-evaluation forms (.json, .txt, .md, .csv, .xlsx) with the region rule set')
    .argument('<file>', 'the form: canonical JSON or a published document')
    .option('--region <code or name>', 'region code (e.g. 130126) or name (e.g. 灵寿县); overrides the form')
    .option('--year <YYYY>', 'fiscal year; overrides the form')
    .option('--json', 'print one JSON document instead of the readable report')
    .option('--rules <dir>', 'rule-set directory (default: the repository rules/)')
    .action(async (file: string, opts: ScoreOptions) => {
      const registry = openRegistry(opts.rules);
      const region = opts.region ? resolveRegion(registry, opts.region) : undefined;
      const fiscalYear = opts.year ? parseYear(opts.year) : undefined;
      const { evaluations, diagnostics } = await readEvaluations(file, { region, fiscalYear, registry });
      if (evaluations.length === 0) throw new CliError(`${file}: no evaluation could be read`);
      for (const d of diagnostics) if (!opts.json) process.stderr.write(`${file}${d.line ? `:${d.line}` : ''}: ${d.level}: ${d.message}\n`);
      const results = evaluations.map((e) => scoreOne(registry, e));
      if (opts.json) process.stdout.write(`${JSON.stringify({ evaluations: results }, null, 2)}\n`);
      else process.stdout.write(results.map(renderScoreReport).join('\n'));
    });
}

function parseYear(year: string): number {
  if (!/^\d{4}$/.test(year)) throw new CliError(`--year ${year}: expected a four-digit year`);
  return Number(year);
}

function scoreOne(registry: RuleSetRegistry, evaluation: CanonicalEvaluation): ScoreResult {
  const region = evaluation.region ?? 'CN';
  try {
    return score(evaluation, registry.resolve(region, evaluation.fiscalYear ?? null));
  } catch (err) {
    if (err instanceof RuleSetError) throw new CliError(`region ${region}: ${err.message}`);
    throw err;
  }
}
