import 'reflect-metadata';
import { checkDatabase, ConfigError, DatabaseUnavailableError, loadConfig } from '@jixiao/runtime';
import { migrateAll } from './databases';

async function migrate(): Promise<void> {
  const config = loadConfig();
  if (config.DATABASE_URL) await checkDatabase(config.DATABASE_URL);
  await migrateAll(config, (line) => process.stdout.write(`${line}\n`));
}

/** `npm run migrate`: runs every service's migrations against the configured database, then exits. */
migrate().then(
  () => process.exit(0),
  (err) => {
    // bad configuration or a database that cannot be used: the user's to mend (exit 2); anything else: exit 1
    const known = err instanceof ConfigError || err instanceof DatabaseUnavailableError;
    process.stderr.write(`jixiao: migrate failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(known ? 2 : 1);
  },
);
