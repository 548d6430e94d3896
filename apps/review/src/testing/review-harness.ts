import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { signToken, type Principal } from '@jixiao/auth';
import { QUEUES, type InboxQueueName } from '@jixiao/contracts';
import {
  enqueueEvents,
  messagingMigrations,
  OutboxRelay,
  type MessagingLogger,
  type OutgoingEvent,
} from '@jixiao/messaging';
import { deletePrefix, TEST_REDIS_URL, testPrefix, waitFor } from '@jixiao/messaging/testing/test-redis';
import { openDataSource, runMigrations, withTransaction } from '@jixiao/persistence';
import { TEST_DATABASE_URL, type TestDialect } from '@jixiao/persistence/testing/test-database';
import { freePort, type RunningSystem, startServices } from '@jixiao/runtime';
import { ReviewModule } from '../review.module';
import { REVIEW_DATA_SOURCE } from '../review.tokens';

const quiet: MessagingLogger = { log: () => undefined, warn: () => undefined, error: () => undefined };
const SECRET = 'review-integration-secret-0123456789';
export type Producer = 'intake' | 'scoring' | 'publication';

export interface HttpResult {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/**
 * The review service booted as production boots it (`startServices` with its own DATA_DIR, PostgreSQL schema and
 * BullMQ prefix), fed by the other services' events the way production feeds it: written to a producer's outbox
 * with `enqueueEvents` and moved to BullMQ by the real `OutboxRelay`.
 */
export class ReviewHarness {
  private constructor(
    public system: RunningSystem,
    readonly prefix: string,
    public db: DataSource,
    private readonly env: NodeJS.ProcessEnv,
    private readonly producerDb: DataSource,
    private readonly relays: Record<Producer, OutboxRelay>,
    private readonly queues: Map<string, Queue>,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async start(dialect: TestDialect): Promise<ReviewHarness> {
    const prefix = testPrefix();
    const dir = mkdtempSync(join(tmpdir(), 'jixiao-review-'));
    const schema = `t_review_${randomBytes(5).toString('hex')}`;
    const env: NodeJS.ProcessEnv = {
      PORT: String(await freePort()),
      DATA_DIR: dir,
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: prefix,
      JWT_SECRET: SECRET,
      LOG_LEVEL: 'silent',
      ...(dialect === 'postgres' ? { DATABASE_URL: TEST_DATABASE_URL, DATABASE_SCHEMA: schema } : {}),
    };
    const system = await startServices([(ctx) => ReviewModule.forRoot(ctx)], { title: 'review test', env });
    const producerDb = await openDataSource({
      name: 'producers',
      dataDir: dir,
      entities: [],
      migrations: [
        ...messagingMigrations('intake'),
        ...messagingMigrations('scoring', 1),
        ...messagingMigrations('publication', 2),
      ],
    });
    await runMigrations(producerDb);
    const relay = (service: Producer) =>
      new OutboxRelay({ service, dataSource: producerDb, connection: TEST_REDIS_URL, prefix, logger: quiet });
    const relays = { intake: relay('intake'), scoring: relay('scoring'), publication: relay('publication') };
    return new ReviewHarness(
      system,
      prefix,
      system.app.get<DataSource>(REVIEW_DATA_SOURCE),
      env,
      producerDb,
      relays,
      new Map(),
      async () => {
        for (const r of Object.values(relays)) await r.stop();
        await producerDb.destroy();
        rmSync(dir, { recursive: true, force: true });
        if (dialect === 'postgres') {
          const pg = new Client({ connectionString: TEST_DATABASE_URL });
          await pg.connect();
          await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
          await pg.end();
        }
      },
    );
  }

  /** A producer commits events to its outbox, and its relay moves them to the inbox queues. */
  async send(producer: Producer, events: OutgoingEvent[]): Promise<void> {
    await withTransaction(this.producerDb, (m) => enqueueEvents(m, producer, events));
    while ((await this.relays[producer].relayOnce()) > 0);
  }

  queue(name: InboxQueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      const { hostname, port } = new URL(TEST_REDIS_URL);
      q = new Queue(name, { connection: { host: hostname, port: Number(port || 6379) }, prefix: this.prefix });
      this.queues.set(name, q);
    }
    return q;
  }

  /** Bounded wait until the review inbox has nothing left to do. */
  async drained(): Promise<void> {
    await waitFor('the review inbox to drain', async () => {
      const c = await this.queue(QUEUES.reviewInbox).getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return c.waiting + c.active + c.delayed + c.prioritized === 0;
    });
  }

  async stateOf(evaluationId: string): Promise<string | null> {
    const rows: Array<{ state: string }> = await this.db.query(
      `SELECT state FROM review_cases WHERE evaluation_id = '${evaluationId}'`,
    );
    return rows[0]?.state ?? null;
  }

  async waitForState(evaluationId: string, state: string): Promise<void> {
    await waitFor(`${evaluationId} to be ${state}`, async () => (await this.stateOf(evaluationId)) === state);
  }

  /** Events review wrote to its outbox (all, in order), parsed. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read payload fields freely
  async outbox(evaluationId?: string): Promise<Array<{ name: string; payload: any; correlationId: string | null }>> {
    const rows: Array<{ name: string; payload: string; correlation_id: string | null }> = await this.db.query(
      'SELECT name, payload, correlation_id FROM review_outbox ORDER BY id',
    );
    return rows
      .map((r) => ({ name: r.name, payload: JSON.parse(r.payload), correlationId: r.correlation_id }))
      .filter((e) => !evaluationId || e.payload.evaluationId === evaluationId);
  }

  async count(table: string): Promise<number> {
    const [row] = await this.db.query(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number(row.n);
  }

  token(role: Principal['role'], regions: string[], unit?: string): string {
    return signToken(
      { sub: `${role}-${regions.join('-')}${unit ? `-${unit}` : ''}`, role, regions, ...(unit ? { unit } : {}) },
      SECRET,
    );
  }

  async http(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    token?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult> {
    const res = await fetch(`${this.system.url}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** Stops the service (as on SIGTERM: app.close) and starts it again on the same database, Redis and port. */
  async restart(): Promise<void> {
    await this.system.close();
    this.system = await startServices([(ctx) => ReviewModule.forRoot(ctx)], { title: 'review test', env: this.env });
    this.db = this.system.app.get<DataSource>(REVIEW_DATA_SOURCE);
  }

  async close(): Promise<void> {
    for (const q of this.queues.values()) await q.close();
    await this.system.close();
    await this.cleanup();
    await deletePrefix(this.prefix);
  }
}
