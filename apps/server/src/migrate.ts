import 'reflect-metadata';
import { ConfigError, loadConfig } from '@jixiao/runtime';
import { migrateAll } from './databases';

/** `npm run migrate`: runs every service's migrations against the configured database, then exits. */
migrateAll(loadConfig(), (line) => process.stdout.write(`${line}\n`)).then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`jixiao: migrate failed: ${err instanceof ConfigError ? err.message : err instanceof Error ? err.message : String(err)}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
