import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const VALID_DIR = join(__dirname, 'valid');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Files = Record<string, any>;

/** The valid fixture files by file name, parsed (a fresh copy each call). */
export function validFiles(): Files {
  const out: Files = {};
  for (const n of readdirSync(VALID_DIR)) out[n] = JSON.parse(readFileSync(join(VALID_DIR, n), 'utf8'));
  return out;
}

/**
 * A temporary rule directory: the valid fixtures after `mutate` (edit, add or delete files); a string value
 * is written as is (for JSON syntax errors).
 */
export function fixtureDir(mutate: (files: Files) => void = () => {}): string {
  const files = validFiles();
  mutate(files);
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-rules-'));
  for (const [name, body] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof body === 'string' ? body : JSON.stringify(body, null, 2));
  }
  return dir;
}
