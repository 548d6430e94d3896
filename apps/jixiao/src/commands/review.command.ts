import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { FindingCodeSchema, unitsFromText } from '@jixiao/contracts';
import { DEFAULT_LIMITS, DocumentRejectedError, readSpreadsheetText } from '@jixiao/forms';
import { CliError } from '../cli-error';
import {
  renderEvaluationDetail,
  renderEvaluationHistory,
  renderEvaluationList,
  renderProgress,
  renderRoster,
  renderRosterOverview,
  STATE_LABELS,
} from '../output/review-report';
import { clientFor, withServerOptions, type ServerOptions } from '../server/server-options';
import { positive } from '../input/positive';
import { regionCode } from '../input/regions';

interface ListOptions extends ServerOptions {
  region?: string;
  year?: string;
  state: string;
  grade?: string;
  search?: string;
  finding?: string;
  page?: string;
  pageSize?: string;
  current?: boolean;
  json?: boolean;
}

const REVISION_HELP =
  'the revision you decided on (review show prints it): refused if the evaluation has changed since, e.g. re-scored';

/**
 * `jixiao review list|progress|show|history|approve|return`: a reviewer's work from the command line, against the review service
 * (the token given, else one minted with JWT_SECRET for a reviewer of `--region`, or of every region).
 */
export function register(program: Command): void {
  const review = withServerOptions(program.command('review'), 'review', 'reviewer').description(
    'list, show, approve or return evaluations, or show their history (server)',
  );
  const client = (cmd: Command, region?: string) => clientFor(cmd.optsWithGlobals<ServerOptions>(), region, 'reviewer');

  review
    .command('list')
    .description('the evaluations waiting for review (or in another state), newest first')
    .option('--region <code or name>', 'a 6-digit division code or a region name (灵寿县), its sub-regions too; or CN')
    .option('--year <year>', 'fiscal year')
    .option('--state <state>', `one of ${Object.keys(STATE_LABELS).join(', ')}, or all`, 'in_review')
    .option('--grade <grade>', 'grade, e.g. 优')
    .option('--search <words>', 'words the unit’s or the project’s name contains')
    .option(
      '--finding <code>',
      `only those whose score found this kind of problem: ${FindingCodeSchema.options.join(', ')}`,
    )
    .option('--page <n>', 'page (from 1)')
    .option('--page-size <n>', 'evaluations per page (at most 100; default 20)')
    .option('--current', 'only versions no correction has replaced (as `review progress` counts them)')
    .option('--json', 'print the page as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ListOptions>();
      if (opts.finding !== undefined && !(FindingCodeSchema.options as readonly string[]).includes(opts.finding))
        throw new CliError(`--finding ${opts.finding}: expected one of ${FindingCodeSchema.options.join(', ')}`, 2);
      if (opts.state !== 'all' && !(opts.state in STATE_LABELS))
        throw new CliError(`--state ${opts.state}: expected one of ${Object.keys(STATE_LABELS).join(', ')}, or all`, 2);
      // a name is looked up in the local rule sets, as `jixiao score --region` does
      const region = opts.region === undefined ? undefined : regionCode(opts.region);
      const filters = {
        region,
        year: positive('--year', opts.year),
        state: opts.state === 'all' ? undefined : opts.state,
        grade: opts.grade,
        q: opts.search,
        finding: opts.finding,
        page: positive('--page', opts.page),
        pageSize: positive('--page-size', opts.pageSize),
        current: opts.current ? true : undefined,
      };
      const page = await client(cmd, region).evaluations(filters);
      if (opts.json) return void process.stdout.write(`${JSON.stringify(page, null, 2)}\n`);
      const more = page.page * page.pageSize < page.total;
      const next = more ? nextPageCommand(opts, page.page + 1) : null;
      process.stdout.write(renderEvaluationList(page, next));
    });

  review
    .command('progress')
    .description(
      'how the work stands: the current versions by state and by grade (a correction replaces what it corrects)',
    )
    .option('--region <code or name>', 'a 6-digit division code or a region name (灵寿县), its sub-regions too; or CN')
    .option('--year <year>', 'fiscal year')
    .option('--by-region', 'also a line per region under it (a city’s counties, a province’s cities and counties)')
    .option('--json', 'print it as the server sends it')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<
        ServerOptions & { region?: string; year?: string; byRegion?: boolean; json?: boolean }
      >();
      const region = opts.region === undefined ? undefined : regionCode(opts.region);
      const p = await client(cmd, region).progress({
        region,
        year: positive('--year', opts.year),
        by: opts.byRegion ? 'region' : undefined,
      });
      process.stdout.write(opts.json ? `${JSON.stringify(p, null, 2)}\n` : renderProgress(p));
    });

  review
    .command('roster')
    .description(
      'which units of a region have submitted for a year and which on its roster have not; --set replaces the roster',
    )
    .argument('<region>', 'a 6-digit division code or a region name (灵寿县)')
    .option('--year <year>', 'fiscal year (required)')
    .option('--set <file>', 'the units expected to submit: .txt or .csv (a unit per line), or .xlsx (the first column)')
    .option('--deadline <YYYY-MM-DD>', 'with --set: the last day (China time) a form counts as on time')
    .option('--under', 'the rosters set under the region (a city’s counties, a province’s …), a line each')
    .option('--json', 'print it as the server sends it')
    .action(async (where: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<
        ServerOptions & { year?: string; set?: string; deadline?: string; under?: boolean; json?: boolean }
      >();
      const region = regionCode(where);
      const year = positive('--year', opts.year);
      if (year === undefined) throw new CliError('--year is needed: a roster is for one fiscal year', 2);
      const api = client(cmd, region);
      if (opts.deadline && !opts.set) throw new CliError('--deadline goes with --set (the roster it is for)', 2);
      if (opts.under && opts.set) throw new CliError('--under reads the rosters under a region; --set sets one', 2);
      if (opts.under) {
        const o = await api.rosterOverview(region, year);
        return void process.stdout.write(opts.json ? `${JSON.stringify(o, null, 2)}\n` : renderRosterOverview(o));
      }
      const r = opts.set
        ? await api.setRoster(region, year, await rosterFile(opts.set), opts.deadline)
        : await api.roster(region, year);
      process.stdout.write(opts.json ? `${JSON.stringify(r, null, 2)}\n` : renderRoster(r));
    });

  review
    .command('next')
    .description(
      'take the evaluation that has waited longest and nobody holds (held for you 30 minutes) and show it; exit 3 when none is left',
    )
    .option('--region <code or name>', 'a 6-digit division code or a region name (灵寿县), its sub-regions too')
    .option('--year <year>', 'fiscal year')
    .option('--json', 'print it as the server sends it')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ServerOptions & { region?: string; year?: string; json?: boolean }>();
      const region = opts.region === undefined ? undefined : regionCode(opts.region);
      const api = client(cmd, region);
      const { taken } = await api.takeNext({ region, year: positive('--year', opts.year) });
      if (!taken) {
        process.stderr.write('没有等待审核的自评表了。\n');
        process.exitCode = 3;
        return;
      }
      const e = await api.evaluation(taken.evaluationId);
      process.stdout.write(opts.json ? `${JSON.stringify(e, null, 2)}\n` : renderEvaluationDetail(e));
    });

  review
    .command('show')
    .description('an evaluation: its score indicator by indicator, its findings, its state')
    .argument('<evaluationId>')
    .option('--json', 'print it as the server sends it')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ServerOptions & { json?: boolean }>();
      const e = await client(cmd).evaluation(id);
      process.stdout.write(opts.json ? `${JSON.stringify(e, null, 2)}\n` : renderEvaluationDetail(e));
    });

  review
    .command('history')
    .description("an evaluation's trail: every change of its state, who made it and why")
    .argument('<evaluationId>')
    .option('--json', 'print it as the server sends it')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ServerOptions & { json?: boolean }>();
      const h = await client(cmd).history(id);
      process.stdout.write(opts.json ? `${JSON.stringify(h, null, 2)}\n` : renderEvaluationHistory(h));
    });

  review
    .command('approve')
    .description('approve an evaluation in review (published next)')
    .argument('<evaluationId>')
    .option('--comment <text>', 'a comment kept in its history')
    .option('--revision <n>', REVISION_HELP)
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ServerOptions & { comment?: string; revision?: string }>();
      const d = await client(cmd).approve(id, {
        comment: opts.comment,
        revision: positive('--revision', opts.revision),
      });
      process.stdout.write(`${d.evaluationId} → ${STATE_LABELS[d.state] ?? d.state} (${d.state})\n`);
    });

  review
    .command('return')
    .description(
      'return an evaluation in review to its unit, with the reason it is given and/or the findings it must correct',
    )
    .argument('<evaluationId>')
    .option('--reason <text>', 'why it goes back (the unit sees it); may be left out when --finding is given')
    .option(
      '--finding <n>',
      'a finding the unit must correct: its number in `review show` (or its key); repeat for several',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--revision <n>', REVISION_HELP)
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ServerOptions & { reason?: string; finding: string[]; revision?: string }>();
      const reason = opts.reason?.trim() ?? '';
      if (!reason && opts.finding.length === 0) throw new CliError('--reason or at least one --finding is needed', 2);
      let revision = positive('--revision', opts.revision);
      let findings: string[] = [];
      if (opts.finding.length > 0) {
        // numbers name findings as `review show` listed them: at the revision read here, unless one was given
        const shown = await client(cmd).evaluation(id);
        revision ??= shown.revision;
        findings = findingKeys(opts.finding, shown.score?.breakdown?.findings ?? []);
      }
      const d = await client(cmd).returnToUnit(id, reason, revision, findings);
      process.stdout.write(
        `${d.evaluationId} → ${STATE_LABELS[d.state] ?? d.state} (${d.state})${reason ? `: ${reason}` : ''}` +
          `${findings.length ? `（指出 ${findings.length} 个问题）` : ''}\n`,
      );
    });
}

/**
 * The unit names in a roster file: a spreadsheet's first sheet, or a text (cells by tabs) or CSV file's lines — the
 * first cell of each that is not a running number (exit 2 if none).
 */
async function rosterFile(path: string): Promise<string[]> {
  let content: Buffer;
  try {
    content = await readFile(path);
  } catch (err) {
    throw new CliError(`--set ${path}: ${(err as Error).message}`, 2);
  }
  let text: string;
  try {
    text =
      extname(path).toLowerCase() === '.xlsx'
        ? await readSpreadsheetText(content, path, DEFAULT_LIMITS)
        : content.toString('utf8');
  } catch (err) {
    if (err instanceof DocumentRejectedError) throw new CliError(`--set ${err.message}`, 2);
    throw err;
  }
  const units = unitsFromText(text, { csv: extname(path).toLowerCase() === '.csv' });
  if (units.length === 0)
    throw new CliError(`--set ${path}: no unit name found (a unit per line, or the first column)`, 2);
  return units;
}

/**
 * The keys of the findings `--finding` names: a number is the finding's place in `review show`'s list (from 1), anything
 * else a key as the API gives it (`CODE` or `CODE|subject`).
 */
export function findingKeys(named: readonly string[], findings: ReadonlyArray<{ key?: string }>): string[] {
  return named.map((n) => {
    if (!/^\d+$/.test(n)) return n;
    const f = findings[Number(n) - 1];
    if (!f)
      throw new CliError(
        `--finding ${n}: the evaluation's score lists ${findings.length} finding(s); number them as review show does`,
        2,
      );
    if (!f.key) throw new CliError('--finding by number needs a server that names findings (key); give the key', 2);
    return f.key;
  });
}

/** The command line that shows page `page` of the same list (the token is not repeated). */
export function nextPageCommand(opts: ListOptions, page: number): string {
  const quote = (v: string) => (/^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`);
  const given: Array<[string, string | undefined]> = [
    ['--url', opts.url],
    ['--region', opts.region],
    ['--year', opts.year],
    ['--state', opts.state === 'in_review' ? undefined : opts.state],
    ['--grade', opts.grade],
    ['--search', opts.search],
    ['--finding', opts.finding],
    ['--page-size', opts.pageSize],
  ];
  const flags = given.flatMap(([flag, v]) => (v === undefined ? [] : [flag, quote(v)]));
  return ['jixiao review list', ...flags, ...(opts.current ? ['--current'] : []), '--page', String(page)].join(' ');
}
