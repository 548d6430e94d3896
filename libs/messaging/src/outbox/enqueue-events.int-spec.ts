import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMigrations, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import { messagingTables } from '../tables';
import { enqueueEvents } from './enqueue-events';
import { messagingMigration } from './messaging.migration';

const OUTBOX = messagingTables('scoring').outbox;
/** Text that any encoding slip would change: CJK, a surrogate pair, escapes, the separators of joined columns. */
const json = (i: number) => JSON.stringify({ i, text: `自评得分 😀 "引号" \\ 反斜杠 \u001f\u001e 第${i}项` });

describe.each(TEST_DIALECTS)('enqueueEvents with payloads given as UTF-8 bytes, on %s', (dialect) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase(dialect, { name: 'enqueue', entities: [], migrations: [messagingMigration('scoring')] });
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
});
