import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import type { DataSource } from 'typeorm';
import { openDataSource, runMigrations, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DATABASE_URL, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import { messagingTables } from '../tables';
import { enqueueEvents, storedEventPayload } from './enqueue-events';
import { decompressPayload } from '../wire/wire-envelope';
import { messagingMigration, messagingMigrations, outboxPayloadEncodingMigration } from './messaging.migration';

const OUTBOX = messagingTables('scoring').outbox;
/** Text that any encoding slip would change: CJK, a surrogate pair, escapes, the separators of joined columns. */
const json = (i: number) => JSON.stringify({ i, text: `自评得分 😀 "引号" \\ 反斜杠 \u001f\u001e 第${i}项` });

describe.each(TEST_DIALECTS)('enqueueEvents with payloads given as UTF-8 bytes, on %s', (dialect) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase(dialect, { name: 'enqueue', entities: [], migrations: [...messagingMigrations('scoring')] });
    await runMigrations(db.dataSource);
  });
  afterEach(async () => db?.close());

  const stored = async () =>
    (await db.dataSource.query(`SELECT payload FROM ${OUTBOX} ORDER BY id`)).map((r: { payload: unknown }) => r.payload);

  it.each([1, 501])('stores %i of them as the same text their JSON strings would be', async (n) => {
    const texts = Array.from({ length: n }, (_, i) => json(i));
    const written = await withTransaction(db.dataSource, (m) =>
      enqueueEvents(
        m,
        'scoring',
        texts.map((t, i) => ({
          name: 'scoring.evaluations.rescored.v1' as const,
          payloadJson: i % 2 === 0 ? Buffer.from(t, 'utf8') : t,
          dedupeKey: `k${i}`,
        })),
      ),
    );
    expect(written).toBe(n);
    expect(await stored()).toEqual(texts);
  });

  it('stores a payload from compressFrom on compressed (as text, as bytes, or compressed by its producer), smaller ones as JSON', async () => {
    const big = JSON.stringify({ items: Array.from({ length: 50 }, (_, i) => json(i)) });
    const given = [big, Buffer.from(big, 'utf8'), await storedEventPayload(big, 1_000), json(1)];
    await withTransaction(db.dataSource, (m) =>
      enqueueEvents(
        m,
        'scoring',
        given.map((payloadJson, i) => ({ name: 'scoring.evaluations.rescored.v1' as const, payloadJson, dedupeKey: `c${i}` })),
        { compressFrom: 1_000 },
      ),
    );
    const rows: Array<{ payload: string; payload_encoding: string | null }> = await db.dataSource.query(
      `SELECT payload, payload_encoding FROM ${OUTBOX} ORDER BY id`,
    );
    expect(rows.map((r) => r.payload_encoding)).toEqual(['gzip+base64', 'gzip+base64', 'gzip+base64', null]);
    for (const row of rows.slice(0, 3)) {
      expect(row.payload.length).toBeLessThan(big.length / 2);
      expect(await decompressPayload(row.payload)).toBe(big);
    }
    expect(rows[3].payload).toBe(json(1));
    expect(await storedEventPayload(json(1), 1_000)).toBe(json(1)); // below the threshold: as it is
  });
});

describe.each(TEST_DIALECTS)('the outbox payload_encoding migration on %s', (dialect) => {
  let db: TestDatabase | undefined;
  let upgraded: DataSource | undefined;
  afterEach(async () => {
    await upgraded?.destroy();
    await db?.close();
  });

  it('keeps the outbox and its id sequence: events pruned before it are never given the same id again', async () => {
    db = await openTestDatabase(dialect, { name: 'upgrade', entities: [], migrations: [messagingMigration('scoring')] });
    await runMigrations(db.dataSource);
    const q = (i: number) => (dialect === 'postgres' ? `$${i}` : '?');
    for (let i = 1; i <= 3; i++)
      await db.dataSource.query(`INSERT INTO ${OUTBOX} (name, payload, occurred_at) VALUES (${q(1)}, ${q(2)}, ${q(3)})`, [
        'scoring.evaluations.rescored.v1',
        json(i),
        '2024-01-01T00:00:00.000Z',
      ]);
    await db.dataSource.query(`DELETE FROM ${OUTBOX} WHERE id > 1`); // sent and pruned
    // the same database opened by the next version, with the migration
    upgraded = await openDataSource({
      name: 'upgrade',
      entities: [],
      migrations: [messagingMigration('scoring'), outboxPayloadEncodingMigration('scoring')],
      ...(dialect === 'postgres' ? { databaseUrl: TEST_DATABASE_URL, schema: db.location } : { dataDir: dirname(db.location) }),
    });
    await runMigrations(upgraded);
    await withTransaction(upgraded, (m) =>
      enqueueEvents(m, 'scoring', [{ name: 'scoring.evaluations.rescored.v1', payloadJson: json(4) }]),
    );
    const rows = await upgraded.query(`SELECT id, payload, payload_encoding FROM ${OUTBOX} ORDER BY id`);
    expect(rows.map((r: { id: unknown }) => Number(r.id))).toEqual([1, 4]);
    expect(rows.map((r: { payload_encoding: unknown }) => r.payload_encoding)).toEqual([null, null]);
    expect(rows[0].payload).toBe(json(1));
  });
});
