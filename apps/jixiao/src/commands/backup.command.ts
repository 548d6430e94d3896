import type { Command } from 'commander';
import { formatTime } from '@jixiao/runtime/html';
import { BackupError, createBackup, reconcileOutboxes, restoreBackup } from '../../../server/src/backup';
import { NoAuditTrailError } from '../../../server/src/databases';
import { CliError } from '../cli-error';
import { deploymentConfig } from '../input/deployment-config';

const refused = (err: unknown): never => {
  if (err instanceof BackupError) throw new CliError(err.message, 2);
  if (err instanceof NoAuditTrailError) throw new CliError(err.message);
  throw err;
};

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
    .option('--replace', 'move the databases in DATA_DIR aside (DATA_DIR/replaced-<time>/) instead of refusing')
    .action(async (dir: string, opts: { replace?: boolean }) => {
      const r = await restoreBackup(deploymentConfig(), dir, opts).catch(refused);
      if (r.movedAside) process.stdout.write(`the databases that were in DATA_DIR are in ${r.movedAside}\n`);
      process.stdout.write(
        `restored the backup of ${formatTime(r.manifest.startedAt)} (${Object.keys(r.manifest.services).join(', ')})\n`,
      );
      for (const [service, n] of Object.entries(r.resent))
        if (n)
          process.stdout.write(
            `${service}: ${n} events its consumers had not received are sent again when it starts\n`,
          );
      process.stdout.write(
        `audit: ${r.audit.ok ? `${r.audit.records} records, every chain intact` : 'NOT intact (jixiao audit verify)'}\n`,
      );
      if (!r.audit.ok) process.exitCode = 1;
    });

  backup
    .command('reconcile')
    .description('mark as unsent every event a consumer has no record of receiving (after pg_restore, or any time)')
    .action(async () => {
      const resent = await reconcileOutboxes(deploymentConfig()).catch(refused);
      for (const [service, n] of Object.entries(resent))
        process.stdout.write(`${service}: ${n} events to send again\n`);
    });
}
