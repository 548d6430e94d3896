import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMigrations, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import { messagingMigrations } from '../outbox/messaging.migration';
import { messagingTables } from '../tables';
import { recordInbox } from './run-once';

const INBOX = messagingTables('scoring').inbox;
/** Ids a literal must escape: quotes, a backslash, CJK. */
const awkward = [`intake-1`, `it's "quoted"`, `back\\slash`, `事件-二`];
const event = (id: string) => ({ id, name: 'intake.submission.received.v1' });

describe.each(TEST_DIALECTS)('recordInbox on %s', (dialect) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase(dialect, { name: 'inbox', entities: [], migrations: [...messagingMigrations('scoring')] });
    await runMigrations(db.dataSource);
  });
  afterEach(async () => db?.close());

  it.each([{}, { lockTimeoutMs: 200 }])('returns the ids written now, each once, whatever they hold (%o)', async (options) => {
    const first = await withTransaction(db.dataSource, (m) => recordInbox(m, 'scoring', [...awkward, awkward[0]].map(event), options));
    expect([...first].sort()).toEqual([...awkward].sort());
    const again = await withTransaction(db.dataSource, (m) =>
      recordInbox(m, 'scoring', [event(awkward[1]), event('intake-2')], options),
    );
    expect([...again]).toEqual(['intake-2']);
    const stored: Array<{ event_id: string }> = await db.dataSource.query(`SELECT event_id FROM ${INBOX} ORDER BY event_id`);
    expect(stored.map((r) => r.event_id).sort()).toEqual([...awkward, 'intake-2'].sort());
  });

  it('with lockTimeoutMs on PostgreSQL, sets the lock timeout for the rest of the transaction in the same round trip', async () => {
    if (dialect !== 'postgres') return;
    const seen = await withTransaction(db.dataSource, async (m) => {
      const query = m.query.bind(m);
      let statements = 0;
      m.query = ((sql: string, params?: unknown[]) => ((statements += 1), query(sql, params))) as typeof m.query;
      await recordInbox(m, 'scoring', [event('intake-9')], { lockTimeoutMs: 200 });
      m.query = query;
      const [{ lock_timeout }] = await m.query(`SHOW lock_timeout`);
      return { statements, lock_timeout };
    });
    expect(seen).toEqual({ statements: 0, lock_timeout: '200ms' }); // on the transaction's connection, not through m.query
    const [{ lock_timeout }] = await db.dataSource.query(`SHOW lock_timeout`);
    expect(lock_timeout).toBe('0'); // SET LOCAL: gone with the transaction
    await expect(
      withTransaction(db.dataSource, (m) => recordInbox(m, 'scoring', [event('x')], { lockTimeoutMs: 1.5 })),
    ).rejects.toThrow(/not a whole number/);
  });
});
