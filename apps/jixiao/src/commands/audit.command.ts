import type { Command } from 'commander';
import { checkDatabase, DatabaseUnavailableError } from '@jixiao/runtime';
import { NoAuditTrailError, verifyAll } from '../../../server/src/databases';
import { CliError } from '../cli-error';
import { deploymentConfig } from '../input/deployment-config';

/** `jixiao audit verify`: checks every service's audit hash chain in the configured database (DATABASE_URL or DATA_DIR). */
export function register(program: Command): void {
  program
    .command('audit')
    .description('audit trail tools')
    .command('verify')
    .description('verify the hash chain of every service; exit 0 when intact, 1 when a record was tampered with')
    .action(async () => {
      const config = deploymentConfig();
      if (config.DATABASE_URL)
        await checkDatabase(config.DATABASE_URL).catch((err: unknown) => {
          throw err instanceof DatabaseUnavailableError ? new CliError(err.message) : err;
        });
      const result = await verifyAll(config).catch((err: unknown) => {
        throw err instanceof NoAuditTrailError ? new CliError(err.message) : err;
      });
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      if (!result.ok) process.exitCode = 1;
    });
}
