import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DataSource } from 'typeorm';
import { runMigrations, withTransaction } from '@jixiao/persistence';
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from '@jixiao/persistence/testing/test-database';
import type { MessagingLogger } from '../logger';
import { submission } from '../testing/pipeline-fixture';
import { deletePrefix, TEST_REDIS_URL, testPrefix, waitFor } from '../testing/test-redis';
import { enqueueEvents } from './enqueue-events';
import { messagingMigrations } from './messaging.migration';
import { OutboxRelay } from './outbox-relay';

const quiet: MessagingLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const event = (i: number) => ({ name: 'intake.submission.received.v1' as const, payload: submission(i) });

describe.each(TEST_DIALECTS)('relay nudges on %s', (dialect) => {
  let db: TestDatabase;
  let ds: DataSource;
  let prefix: string;
  let relay: OutboxRelay;
  beforeEach(async () => {
    prefix = testPrefix();
    db = await openTestDatabase(dialect, { name: 'nudge', entities: [], migrations: [...messagingMigrations('intake')] });
    ds = db.dataSource;
    await runMigrations(ds);
    // polls once an hour: only nudges make it relay
    relay = new OutboxRelay({
      service: 'intake',
      dataSource: ds,
      connection: TEST_REDIS_URL,
      prefix,
      logger: quiet,
      pollIntervalMs: 3_600_000,
    });
  });
  afterEach(async () => {
    await relay.stop();
    await db?.close();
    await deletePrefix(prefix);
  });

  it('a nudge after a commit that wrote events relays them; a nudge after none runs no pass', async () => {
    const passes = vi.spyOn(relay, 'relayOnce');
    relay.start();
    await waitFor('first pass', async () => passes.mock.calls.length === 1);
    for (let i = 0; i < 5; i++) relay.nudge();
    await new Promise((r) => setTimeout(r, 50));
    expect(passes).toHaveBeenCalledTimes(1);

    await withTransaction(ds, (m) => enqueueEvents(m, 'intake', [event(1), event(2)]));
    relay.nudge();
    await waitFor('relayed', async () => relay.relayed === 2);
    const after = passes.mock.calls.length;
    relay.nudge(); // nothing new committed since that pass began
    await new Promise((r) => setTimeout(r, 50));
    expect(passes.mock.calls.length).toBe(after);
  });

  it('events written in a transaction withTransaction did not open are still relayed on the nudge', async () => {
    const passes = vi.spyOn(relay, 'relayOnce');
    relay.start();
    // SQLite has one connection: a bare transaction must not overlap the relay's first pass
    await waitFor('first pass', async () => passes.mock.calls.length === 1 && relay.relayed === 0);
    await new Promise((r) => setTimeout(r, 50));
    await ds.transaction((m) => enqueueEvents(m, 'intake', [event(3)]));
    relay.nudge();
    await waitFor('relayed', async () => relay.relayed === 1);
  });
});
