import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository's `rules/` directory, found from this file's location (not the working directory), so the
 * CLI works from anywhere in a clone.
 */
export function defaultRulesDir(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'rules'))) return join(dir, 'rules');
    if (dirname(dir) === dir) return join(process.cwd(), 'rules');
  }
}
