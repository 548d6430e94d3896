import type { Command } from 'commander';
import { CliError } from '../cli-error';
import { positive } from '../input/positive';
import { regionCode } from '../input/regions';
import { renderDisclosure, renderDisclosureList } from '../output/publication-report';
import { clientFor, type ServerOptions, withServerOptions } from '../server/server-options';

const STATUSES = ['published', 'retracted', 'revised', 'under_review'] as const;

interface ListOptions extends ServerOptions {
  region?: string;
  year?: string;
  status?: string;
  search?: string;
  page?: string;
  pageSize?: string;
  json?: boolean;
}

/**
 * `jixiao publication list|show|retract`: what was published in the bureau's regions and its withdrawal, against the
 * publication service (the token given, else one minted with JWT_SECRET for a reviewer of `--region`, or of every
 * region) — the API's `GET /disclosures` and `POST /disclosures/:id/retract`, as the 公开管理 pages use them.
 */
export function register(program: Command): void {
  const publication = withServerOptions(program.command('publication'), 'publication', 'reviewer').description(
    'what was published (in force, revised, under review again, retracted), one publication, its retraction (server)',
  );
  const client = (cmd: Command, region?: string) => clientFor(cmd.optsWithGlobals<ServerOptions>(), region, 'reviewer');

  publication
    .command('list')
    .description('what was published in your regions, newest first, with the counts by status')
    .option('--region <code or name>', 'a 6-digit division code or a region name (灵寿县), its sub-regions too')
    .option('--year <year>', 'fiscal year')
    .option('--status <status>', `one of ${STATUSES.join(', ')}`)
    .option('--search <words>', 'words the unit’s or the project’s name contains')
    .option('--page <n>', 'page (from 1)')
    .option('--page-size <n>', 'publications per page (at most 100; default 20)')
    .option('--json', 'print the page as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ListOptions>();
      if (opts.status !== undefined && !(STATUSES as readonly string[]).includes(opts.status))
        throw new CliError(`--status ${opts.status}: expected one of ${STATUSES.join(', ')}`, 2);
      const region = opts.region === undefined ? undefined : regionCode(opts.region);
      const list = await client(cmd, region).disclosures({
        region,
        year: positive('--year', opts.year),
        status: opts.status,
        q: opts.search,
        page: positive('--page', opts.page),
        pageSize: positive('--page-size', opts.pageSize),
      });
      if (opts.json) return void process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
      const more = list.page * list.pageSize < list.total;
      process.stdout.write(renderDisclosureList(list, more ? `--page ${list.page + 1}` : null));
    });

  publication
    .command('show')
    .description('one evaluation’s publication: where it stands, every revision, its retraction')
    .argument('<evaluationId>')
    .option('--json', 'print it as the server sends it')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ServerOptions & { json?: boolean }>();
      const found = await client(cmd).disclosure(id);
      process.stdout.write(opts.json ? `${JSON.stringify(found, null, 2)}\n` : renderDisclosure(found));
    });

  publication
    .command('retract')
    .description(
      'withdraw a publication (a reviewer of its region); the public page keeps it, marked 已撤回 with the reason',
    )
    .argument('<evaluationId>')
    .option('--reason <text>', 'why (shown on the public page, kept in the audit trail); required')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ServerOptions & { reason?: string }>();
      const reason = opts.reason?.trim();
      if (!reason) throw new CliError('--reason is needed: the public page shows why a publication was withdrawn', 2);
      const d = await client(cmd).retract(id, reason);
      process.stdout.write(`${d.evaluationId} → 已撤回公开：${d.retractionReason ?? reason}\n`);
    });
}
