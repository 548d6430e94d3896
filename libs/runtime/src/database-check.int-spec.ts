import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL } from '@jixiao/persistence/testing/test-database';
import { withoutPassword } from './config';
import { checkDatabase, DatabaseUnavailableError } from './database-check';

const ROOT = resolve(__dirname, '../../..');

const withPort = (url: string, port: number, password?: string) => {
  const u = new URL(url);
  u.port = String(port);
  if (password) u.password = password;
  return u.toString();
};

describe('checkDatabase (the real PostgreSQL)', () => {
  it('passes when PostgreSQL answers', async () => {
    await expect(checkDatabase(TEST_DATABASE_URL)).resolves.toBeUndefined();
  });

  it('says which database cannot be used and why, without its password', async () => {
    const closed = checkDatabase(withPort(TEST_DATABASE_URL, 1, 's3cret'));
    await expect(closed).rejects.toThrow(DatabaseUnavailableError);
    const shown = withoutPassword(withPort(TEST_DATABASE_URL, 1, 's3cret'));
    expect(shown).toContain(':***@');
    await expect(closed).rejects.toThrow(
      `PostgreSQL at DATABASE_URL=${shown} cannot be used (connect ECONNREFUSED ${new URL(TEST_DATABASE_URL).hostname}:1): start it, or fix DATABASE_URL`,
    );
    await expect(closed).rejects.not.toThrow('s3cret');
    const u = new URL(TEST_DATABASE_URL);
    u.pathname = '/no_such_database_here';
    await expect(checkDatabase(u.toString())).rejects.toThrow('(database "no_such_database_here" does not exist)');
  });

  it('stops `npm start` with that one line and exit code 2, before anything else starts', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'jixiao-dbcheck-'));
    try {
      const run = spawnSync(process.execPath, ['-r', './apps/jixiao/register.js', 'apps/server/src/main.ts'], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: withPort(TEST_DATABASE_URL, 1), DATA_DIR: dataDir, PORT: '1' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(run.status).toBe(2);
      expect(run.stderr.trim().split('\n')).toEqual([
        `jixiao: PostgreSQL at DATABASE_URL=${withPort(TEST_DATABASE_URL, 1)} cannot be used (connect ECONNREFUSED ${new URL(TEST_DATABASE_URL).hostname}:1): start it, or fix DATABASE_URL`,
      ]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 60_000);
});
