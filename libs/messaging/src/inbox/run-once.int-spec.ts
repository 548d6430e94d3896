import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runMigrations, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import { messagingMigration } from '../outbox/messaging.migration';
import { messagingTables } from '../tables';
import { recordInbox } from './run-once';

const INBOX = messagingTables('scoring').inbox;
/** Ids a literal must escape: quotes, a backslash, CJK. */
const awkward = [`intake-1`, `it's "quoted"`, `back\\slash`, `事件-二`];
const event = (id: string) => ({ id, name: 'intake.submission.received.v1' });

describe.each(TEST_DIALECTS)('recordInbox on %s', (dialect) => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await openTestDatabase(dialect, { name: 'inbox', entities: [], migrations: [messagingMigration('scoring')] });
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

  describe('in a transaction whose BEGIN is deferred (as the inbox worker runs its batches)', () => {
    const deferred = <T>(fn: (m: Parameters<Parameters<typeof withTransaction>[1]>[0]) => Promise<T>) =>
      withTransaction(db.dataSource, fn, { deferBegin: true });
    const stored = async () =>
      ((await db.dataSource.query(`SELECT event_id FROM ${INBOX} ORDER BY event_id`)) as Array<{ event_id: string }>).map((r) => r.event_id);

    /**
     * The statements sent on the transaction's connection (by their first words) until `restore()` — called once the
     * transaction is over, since the connection goes back to the pool.
     */
    const spies: Array<() => void> = [];
    afterEach(() => spies.splice(0).forEach((restore) => restore()));
    const spy = (m: Parameters<Parameters<typeof withTransaction>[1]>[0]) => {
      const sent: string[] = [];
      const client = (m.queryRunner as unknown as { databaseConnection?: { query: (...a: unknown[]) => unknown } }).databaseConnection;
      if (client) {
        const query = client.query;
        client.query = (...a: unknown[]) => {
          const text = typeof a[0] === 'string' ? a[0] : String((a[0] as { text?: string }).text ?? '');
          sent.push(text.replace(/\s+/g, ' ').slice(0, 24));
          return query.apply(client, a);
        };
        spies.push(() => (client.query = query));
      }
      return sent;
    };
    const restoreSpies = () => spies.splice(0).forEach((restore) => restore());

    it.each([{}, { lockTimeoutMs: 200 }])('takes BEGIN with the inbox insert: one round trip, the same transaction (%o)', async (options) => {
      let sent: string[] = [];
      await deferred(async (m) => {
        sent = spy(m);
        await recordInbox(m, 'scoring', [event('d-1'), event('d-2')], options);
        await m.query(`SELECT 1`);
      });
      restoreSpies();
      if (dialect === 'postgres') {
        expect(sent[0]).toMatch(/^BEGIN; /);
        expect(sent.slice(1)).toEqual(['SELECT 1', 'COMMIT']);
      }
      expect(await stored()).toEqual(['d-1', 'd-2']);
      // a failure after the insert rolls it back with the rest
      await expect(
        deferred(async (m) => {
          await recordInbox(m, 'scoring', [event('d-3')], options);
          throw new Error('the handler failed');
        }),
      ).rejects.toThrow('the handler failed');
      expect(await stored()).toEqual(['d-1', 'd-2']);
    });

    it('begins alone when another statement comes first, and sends nothing when nothing is done', async () => {
      let sent: string[] = [];
      await expect(
        deferred(async (m) => {
          sent = spy(m);
          await m.query(`INSERT INTO ${INBOX} (event_id, event_name, processed_at) VALUES ('d-4', 'x', 'now')`);
          await recordInbox(m, 'scoring', [event('d-5')], {});
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      restoreSpies();
      expect(await stored()).toEqual([]);
      if (dialect === 'postgres') expect(sent).toEqual(['START TRANSACTION', 'INSERT INTO scoring_inbo', 'INSERT INTO scoring_inbo', 'ROLLBACK']);
      let none: string[] = ['not run'];
      expect(await deferred(async (m) => ((none = spy(m)), 7))).toBe(7);
      restoreSpies();
      if (dialect === 'postgres') expect(none).toEqual([]);
    });
  });
});
