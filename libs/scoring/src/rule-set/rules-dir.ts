import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * `relative` inside the checkout (or the image's /app): the first directory upwards from this file's location that
 * holds a package.json and `relative`, whether the code runs from the sources or from a build in dist/; null when
 * there is none.
 */
export function packagePath(relative: string): string | null {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, relative))) return join(dir, relative);
    if (dirname(dir) === dir) return null;
  }
}

/**
 * The repository's `rules/` directory, found from this file's location (not the working directory), so the
 * CLI works from anywhere in a clone.
 */
export function defaultRulesDir(): string {
  return packagePath('rules') ?? join(process.cwd(), 'rules');
}
