import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { formatScore as fmt, renderRouting } from '../output/score-report';
import { STATE_LABELS } from '../output/review-report';
import type { ApiClient } from '../server/api-client';
import type { EvaluationDetail } from '../server/api-types';
import { clientForRegions, tokenGiven, withServerOptions, type ServerOptions } from '../server/server-options';
import { readEvaluations } from '../input/read-evaluations';
import { openRegistry, regionCode } from '../input/regions';

interface SubmitOptions extends ServerOptions {
  region?: string;
  year?: string;
  corrects?: string;
  wait?: string | boolean;
  json?: boolean;
}

/** States an evaluation has once review has decided where it goes. */
const ROUTED = new Set(['in_review', 'approved', 'published', 'returned', 'retracted']);
const POLL_MS = 250;

/**
 * `jixiao submit <file>`: a unit sends its self-evaluation document to intake (the token given, else one minted
 * with JWT_SECRET for a submitter of `--region`, or of the regions the document names), optionally waiting for its
 * score and routing.
 */
export function register(program: Command): void {
  withServerOptions(program.command('submit'), 'intake', 'submitter')
    .description('submit a self-evaluation document (.txt, .md, .csv, .xlsx, .json) to the server')
    .argument('<file>')
    .option('--region <code>', 'region (6-digit code or name) when the document does not name it')
    .option('--year <year>', 'fiscal year when the document does not give it')
    .option('--corrects <evaluationId>', 'the returned evaluation this document corrects (it becomes its next version)')
    .option('--wait [seconds]', 'wait until each evaluation is scored and routed (default 30 s), and print the outcome')
    .option('--json', 'print what the server answered (and, with --wait, each evaluation) as JSON')
    .action(async (file: string, opts: SubmitOptions) => {
      const year = opts.year === undefined ? undefined : Number(opts.year);
      if (year !== undefined && !(Number.isInteger(year) && year >= 1990 && year <= 2100))
        throw new CliError(`--year ${opts.year}: expected a fiscal year such as 2023`, 2);
      const waitSeconds =
        opts.wait === undefined || opts.wait === false ? null : opts.wait === true ? 30 : Number(opts.wait);
      if (waitSeconds !== null && !(waitSeconds > 0))
        throw new CliError(`--wait ${String(opts.wait)}: expected seconds`, 2);
      let content: Buffer;
      try {
        content = readFileSync(file);
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 2);
      }
      // a token minted here is a submitter's of the document's regions: read it first when --region does not say
      const client = clientForRegions(
        opts,
        tokenGiven(opts) ? [] : await regionsOf(file, opts.region, year),
        'submitter',
      );
      const answer = await client.submitDocument(basename(file), content, {
        region: opts.region,
        year,
        previousVersionId: opts.corrects,
      });
      for (const d of answer.diagnostics)
        process.stderr.write(
          `${file}${d.line ? `:${d.line}` : ''}${d.sheet ? ` (${d.sheet})` : ''}: ${d.level}: ${d.message}\n`,
        );
      const outcomes = waitSeconds === null ? null : await waitForRouting(client, answer.evaluationIds, waitSeconds);
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(outcomes ? { ...answer, evaluations: outcomes } : answer, null, 2)}\n`);
      } else {
        for (const v of answer.versions) {
          const version = `第 ${v.version} 版${v.previousVersionId ? `（更正 ${v.previousVersionId}）` : ''}`;
          const e = outcomes?.find((o) => o.evaluationId === v.evaluationId);
          process.stdout.write(`${v.evaluationId}  ${version}${e ? `  ${outcomeLine(e)}` : '  已提交'}\n`);
        }
      }
      const late = outcomes?.filter((e) => !ROUTED.has(e.state)) ?? [];
      if (late.length)
        throw new CliError(
          `${late.map((e) => e.evaluationId).join(', ')}: not routed within ${waitSeconds} s (still ${late[0].state})`,
          1,
        );
    });
}

/** The regions the document's evaluations belong to, read here with the local rule sets (as `jixiao parse` does). */
async function regionsOf(file: string, region: string | undefined, fiscalYear: number | undefined): Promise<string[]> {
  if (region !== undefined) return [regionCode(region)];
  const { evaluations } = await readEvaluations(file, { registry: openRegistry(), fiscalYear });
  const regions = [...new Set(evaluations.map((e) => e.region).filter((r): r is string => Boolean(r)))];
  if (regions.length === 0) throw new CliError(`${file}: no region found in the document; give --region`, 2);
  return regions;
}

/** `待审核 99.50 优 · 处理：人工审核（…）`. */
function outcomeLine(e: EvaluationDetail): string {
  const parts = [`${STATE_LABELS[e.state] ?? e.state}`, `总分 ${fmt(e.total)}`, `等级 ${e.grade ?? '—'}`];
  return `${parts.join(' ')}${e.routing ? ` · ${renderRouting(e.routing)}` : ''}`;
}

/** Each evaluation once routed (or as it stands when the time is up). */
async function waitForRouting(client: ApiClient, ids: readonly string[], seconds: number): Promise<EvaluationDetail[]> {
  const deadline = Date.now() + seconds * 1000;
  const out: EvaluationDetail[] = [];
  for (const id of ids) {
    for (;;) {
      // not found yet: review has not had the submission's event
      const e = await client.evaluation(id).catch((err: unknown) => {
        if ((err as { status?: number }).status === 404) return null;
        throw err;
      });
      if ((e && ROUTED.has(e.state)) || Date.now() >= deadline) {
        if (e) out.push(e);
        else throw new CliError(`${id}: not seen by review within ${seconds} s`, 1);
        break;
      }
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  return out;
}
