import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMigrations, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import { messagingTables } from '../tables';
import { enqueueEvents, storedEventPayload } from './enqueue-events';
import { decompressPayload } from '../wire/wire-envelope';
import { messagingMigrations } from './messaging.migration';

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
