import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DATABASE_URL, TEST_DIALECTS } from '@jixiao/persistence/testing/test-database';
import { loadConfig } from '@jixiao/runtime';
import { migrateAll, NoAuditTrailError, verifyAll } from './databases';

async function sql(text: string): Promise<Array<Record<string, unknown>>> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

/** `jixiao audit verify` and `npm run migrate` as the operator tools run them, on a database of their own. */
describe.each(TEST_DIALECTS)('the operator tools’ audit verification on %s', (dialect) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'jixiao-verify-'));
  const schema = `t_verify_${randomBytes(5).toString('hex')}`;
  const config = loadConfig(
    dialect === 'postgres'
      ? { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema, DATA_DIR: dataDir }
      : { DATA_DIR: dataDir },
  );
  afterEach(async () => {
    if (dialect === 'postgres') await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('says so where nothing has run, and creates nothing there; a missing audit table fails verification, naming it', async () => {
    await expect(verifyAll(config)).rejects.toThrow(NoAuditTrailError);
    await expect(verifyAll(config)).rejects.toThrow(
      /^no audit trail in (PostgreSQL schema t_verify_|the SQLite files of DATA_DIR=)/,
    );
    if (dialect === 'postgres') expect(await sql(`SELECT 1 FROM pg_namespace WHERE nspname = '${schema}'`)).toEqual([]);
    else expect(existsSync(dataDir) ? readdirSync(dataDir) : []).toEqual([]);

    await migrateAll(config, () => undefined);
    expect(await verifyAll(config)).toMatchObject({ ok: true, records: 0 });

    if (dialect === 'postgres') await sql(`DROP TABLE "${schema}".review_audit CASCADE`);
    else rmSync(join(dataDir, 'review.sqlite'));
    const result = await verifyAll(config);
    expect(result.ok).toBe(false);
    expect(result.chains.review).toEqual({
      ok: false,
      records: 0,
      missing: expect.stringMatching(/^no audit table review_audit in /),
    });
    expect(result.chains.intake).toEqual({ ok: true, records: 0 });
  });
});
