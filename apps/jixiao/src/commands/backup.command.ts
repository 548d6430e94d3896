import type { Command } from 'commander';
import { formatTime } from '@jixiao/runtime/html';
import {
  BackupError,
  createBackup,
  type Reconciled,
  reconcileOutboxes,
  restoreBackup,
} from '../../../server/src/backup';
import { NoAuditTrailError } from '../../../server/src/databases';
import { CliError } from '../cli-error';
import { deploymentConfig } from '../input/deployment-config';

const refused = (err: unknown): never => {
  if (err instanceof BackupError) throw new CliError(err.message, 2);
  if (err instanceof NoAuditTrailError) throw new CliError(err.message);
  throw err;
};

/** What reconciling did, a line per producer that had something to say (every producer with `all`). */
function reconciledText(r: Reconciled, resent: string, all = false): string {
  const lines: string[] = [];
  for (const [service, n] of Object.entries(r.resent)) {
    const old = r.tooOld[service] ?? 0;
    const raised = r.sequenceRaised[service] ?? 0;
    if (!all && !n && !old && !raised) continue;
    lines.push(`${service}: ${n} events its consumers had not received ${resent}`);
    if (old)
      lines.push(
        `${service}: ${old} events no consumer recorded, sent more than 29 days ago: not sent again (consumers no longer remember what they took then)`,
      );
    if (raised) lines.push(`${service}: its event ids now continue past those its consumers have seen (+${raised})`);
  }
  return lines.map((l) => `${l}\n`).join('');
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * `jixiao backup create|restore|reconcile`: the embedded deployment's databases (SQLite under DATA_DIR) copied while
 * the services run, and put back, with the events a consumer had not yet received sent again.
 */
export function register(program: Command): void {
  const backup = program.command('backup').description('back up and restore the SQLite databases of DATA_DIR');

  backup
    .command('create')
    .description(
      'copy every service database (online: the services may keep running), verify the copies, write a manifest',
    )
    .argument('<dir>', 'a new or empty directory')
    .action(async (dir: string) => {
      const m = await createBackup(deploymentConfig(), dir).catch(refused);
      for (const [service, f] of Object.entries(m.services))
        process.stdout.write(
          `${service.padEnd(12)} ${mb(f.bytes).padStart(10)}  ${f.auditRecords} audit records, chain intact  ${f.sha256}\n`,
        );
      process.stdout.write(`backup of ${m.source} in ${dir}: ${formatTime(m.startedAt)} (manifest.json)\n`);
    });

  backup
    .command('restore')
    .description(
      'with the services stopped: put a backup in DATA_DIR, send again what consumers had not received, verify',
    )
    .argument('<dir>', 'a directory jixiao backup create wrote')
    .option(
      '--replace',
      'move what DATA_DIR holds (databases, instance-id, private Redis data) to DATA_DIR/replaced-<time>/ instead of refusing',
    )
    .action(async (dir: string, opts: { replace?: boolean }) => {
      const r = await restoreBackup(deploymentConfig(), dir, opts).catch(refused);
      if (r.movedAside) process.stdout.write(`what was in DATA_DIR is in ${r.movedAside}\n`);
      process.stdout.write(
        `restored the backup of ${formatTime(r.manifest.startedAt)} (${Object.keys(r.manifest.services).join(', ')})\n`,
      );
      process.stdout.write(reconciledText(r.reconciled, 'are sent again when it starts'));
      process.stdout.write(
        `audit: ${r.audit.ok ? `${r.audit.records} records, every chain intact` : 'NOT intact (jixiao audit verify)'}\n`,
      );
      if (!r.audit.ok) process.exitCode = 1;
    });

  backup
    .command('reconcile')
    .description('mark as unsent every event a consumer has no record of receiving (after pg_restore, or any time)')
    .action(async () => {
      const r = await reconcileOutboxes(deploymentConfig()).catch(refused);
      process.stdout.write(reconciledText(r, 'to send again', true));
    });
}
