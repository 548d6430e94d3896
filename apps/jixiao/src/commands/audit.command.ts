import type { Command } from 'commander';
import type { AuditRecord } from '@jixiao/persistence';
import { checkDatabase, DatabaseUnavailableError, parseAuditQuery } from '@jixiao/runtime';
import { formatTime } from '@jixiao/runtime/html';
import { ACTOR_ROLE_LABELS, AUDIT_ACTION_LABELS, auditStates } from '@jixiao/runtime/workspace';
import { DATABASES, NoAuditTrailError, searchAll, verifyAll } from '../../../server/src/databases';
import { CliError } from '../cli-error';
import { deploymentConfig } from '../input/deployment-config';
import { renderTable } from '../output/table';

interface LogOptions {
  service?: string;
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  since?: string;
  until?: string;
  before?: string;
  limit?: string;
  json?: boolean;
}

const SERVICES = DATABASES.map((d) => d.service);

/** The configured database, answering (a clear message when it does not). */
async function databaseAnswers(url: string | undefined): Promise<void> {
  if (url)
    await checkDatabase(url).catch((err: unknown) => {
      throw err instanceof DatabaseUnavailableError ? new CliError(err.message) : err;
    });
}

const noTrail = (err: unknown) => {
  throw err instanceof NoAuditTrailError ? new CliError(err.message) : err;
};

/**
 * `jixiao audit verify`: checks every service's audit hash chain in the configured database (DATABASE_URL or
 * DATA_DIR). `jixiao audit log`: searches the services' audit records there, newest first.
 */
export function register(program: Command): void {
  const audit = program.command('audit').description('audit trail tools');
  audit
    .command('verify')
    .description('verify the hash chain of every service; exit 0 when intact, 1 when a record was tampered with')
    .action(async () => {
      const config = deploymentConfig();
      await databaseAnswers(config.DATABASE_URL);
      const result = await verifyAll(config).catch(noTrail);
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      if (!result.ok) process.exitCode = 1;
    });

  audit
    .command('log')
    .description('who did what, to which evaluation, rule set or roster, when and why: the audit records, newest first')
    .option('--service <name>', `one of ${SERVICES.join(', ')} (default: all, merged by time)`)
    .option('--actor <user>', 'the user who acted, exactly')
    .option('--action <action>', 'e.g. return, approve, retract, rule set activated')
    .option('--entity-type <type>', 'evaluation, disclosure, roster, rule-set, rescoring-run, …')
    .option('--entity-id <id>', 'an evaluation id, a rule set (130126), a roster (130126/2023), …')
    .option('--since <day>', 'from this day (YYYY-MM-DD, Beijing time) or instant')
    .option('--until <day>', 'up to this day (included) or instant')
    .option('--before <seq>', 'with --service: records before this sequence number (the next page)')
    .option('--limit <n>', 'at most this many records (default 50, at most 500)')
    .option('--json', 'print the records as JSON')
    .action(async (_opts: unknown, cmd: Command) => {
      const opts = cmd.opts<LogOptions>();
      if (opts.service !== undefined && !SERVICES.includes(opts.service as (typeof SERVICES)[number]))
        throw new CliError(`--service ${opts.service}: expected one of ${SERVICES.join(', ')}`, 2);
      if (opts.before !== undefined && opts.service === undefined)
        throw new CliError('--before goes with --service (sequence numbers are per service)', 2);
      let search;
      try {
        ({ search } = parseAuditQuery(
          {
            service: opts.service,
            actor: opts.actor,
            action: opts.action,
            entityType: opts.entityType,
            entityId: opts.entityId,
            since: opts.since,
            until: opts.until,
            before: opts.before,
            limit: opts.limit,
          },
          SERVICES,
        ));
      } catch (err) {
        const said = (err as { getResponse?: () => { message?: unknown } }).getResponse?.().message;
        throw new CliError(
          `${typeof said === 'string' ? said : (err as Error).message}`.replace(
            /query\.(\w+)/g,
            (_, k: string) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
          ),
          2,
        );
      }
      const config = deploymentConfig();
      await databaseAnswers(config.DATABASE_URL);
      const found = await searchAll(config, opts.service ? [opts.service] : SERVICES, search).catch(noTrail);
      const records = found
        .flatMap((f) => f.records.map((r) => ({ service: f.service, ...r })))
        .sort((a, b) => (a.at === b.at ? b.seq - a.seq : a.at < b.at ? 1 : -1))
        .slice(0, search.limit);
      if (opts.json)
        return void process.stdout.write(
          `${JSON.stringify({ records, next: found.length === 1 ? found[0].next : null }, null, 2)}\n`,
        );
      process.stdout.write(renderLog(records, opts.service ? (found[0]?.next ?? null) : null));
    });
}

function renderLog(records: Array<{ service: string } & AuditRecord>, next: number | null): string {
  if (records.length === 0) return '没有符合条件的审计记录。\n';
  const table = renderTable(
    [
      { header: '服务' },
      { header: '序号', align: 'right' },
      { header: '时间' },
      { header: '操作人' },
      { header: '对象' },
      { header: '操作' },
      { header: '状态' },
      { header: '理由', max: 60 },
    ],
    records.map((r) => [
      r.service,
      String(r.seq),
      formatTime(r.at),
      `${r.actorUser} (${ACTOR_ROLE_LABELS[r.actorRole] ?? r.actorRole})`,
      `${r.entityType} ${r.entityId}`,
      AUDIT_ACTION_LABELS[r.action] ?? r.action,
      auditStates(r.fromState, r.toState),
      r.reason ?? '',
    ]),
  );
  return `${table}\n\n${records.length} 条${next !== null ? `；更早的记录：--before ${next}` : ''}\n`;
}
