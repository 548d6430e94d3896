import type { DataSource, EntityManager } from 'typeorm';
import { parseEvent, type EventName, type EventPayload } from '@jixiao/contracts';
import { afterCommitOf, assertInTransaction, dialectOf, insertMany, insertRider, type Rider } from '@jixiao/persistence';
import { messagingTables } from '../tables';

export type OutgoingEvent = {
  [N in EventName]: {
    name: N;
    payload: EventPayload<N>;
    /** Written once per key: a producer that may run twice (a re-scoring chunk) passes a stable key. */
    dedupeKey?: string;
    correlationId?: string | null;
    occurredAt?: string;
  };
}[EventName];

/**
 * An event whose payload its producer serialised itself (a bulk path that builds it piece by piece): written as
 * it is, not validated — the producer vouches for it, and every consumer validates it on receipt.
 */
export interface SerializedEvent {
  name: EventName;
  /** The payload's JSON, or its UTF-8 bytes (a large payload built outside the heap, see Utf8Text). */
  payloadJson: string | Buffer;
  dedupeKey?: string;
  correlationId?: string | null;
  occurredAt?: string;
}

/**
 * Writes events to the service's outbox inside the caller's transaction: they exist if and only if the state
 * change commits. One multi-row INSERT per thousand events. Payloads are validated against their contract (a
 * SerializedEvent's is the producer's word, and its consumers'). Returns how many rows were
 * written (events whose dedupe key already exists are skipped). Call the relay's `nudge()` after commit.
 */
export async function enqueueEvents(
  manager: EntityManager,
  service: string,
  events: ReadonlyArray<OutgoingEvent | SerializedEvent>,
): Promise<number> {
  if (events.length === 0) return 0;
  assertInTransaction(manager, 'enqueueEvents');
  const byColumn = events.length > 500;
  const written = await insertMany(manager, messagingTables(service).outbox, OUTBOX_COLUMNS, outboxRows(manager, events, byColumn), {
    onConflictDoNothing: conflictOf(events),
    // one parameter per column pays off for thousands of rows; below that, plain VALUES with one parameter per
    // value costs less for large payloads (see the same choice for scoring's results)
    pgTypes: byColumn ? ['text', 'text', 'text', 'text', 'text'] : undefined,
  });
  if (written > 0) noteOutboxWrite(manager, service);
  return written;
}

/**
 * enqueueEvents as a Rider: the events' INSERT, to travel in the statement that appends the transaction's audit
 * records (`appendAudit(m, table, entries, [rider])`), one round trip for both. Null when there are none, or more
 * than 500 (enqueueEvents writes those).
 */
export function outboxRider(
  manager: EntityManager,
  service: string,
  events: ReadonlyArray<OutgoingEvent | SerializedEvent>,
): Rider | null {
  if (events.length === 0 || events.length > 500) return null;
  assertInTransaction(manager, 'outboxRider');
  return insertRider(manager, messagingTables(service).outbox, OUTBOX_COLUMNS, outboxRows(manager, events, false), {
    onConflictDoNothing: conflictOf(events),
    written: (n) => {
      if (n > 0) noteOutboxWrite(manager, service);
    },
  });
}

/** The events as a rider added to `riders` (see outboxRider), or written now when they cannot ride (enqueueEvents). */
export async function enqueueOrRide(
  manager: EntityManager,
  service: string,
  events: ReadonlyArray<OutgoingEvent | SerializedEvent>,
  riders: Rider[],
): Promise<void> {
  const rider = outboxRider(manager, service, events);
  if (rider) riders.push(rider);
  else await enqueueEvents(manager, service, events);
}

const OUTBOX_COLUMNS = ['name', 'payload', 'occurred_at', 'correlation_id', 'dedupe_key'];

function conflictOf(events: ReadonlyArray<OutgoingEvent | SerializedEvent>): string[] | undefined {
  return events.some((e) => e.dedupeKey) ? ['dedupe_key'] : undefined;
}

function outboxRows(
  manager: EntityManager,
  events: ReadonlyArray<OutgoingEvent | SerializedEvent>,
  byColumn: boolean,
): unknown[][] {
  const now = new Date().toISOString();
  // UTF-8 bytes go to PostgreSQL as they are, one parameter per value (binary format: a text's bytes); SQLite would
  // store them as a blob, and a column's joined text cannot hold them: those get the text
  const bytesAsIs = !byColumn && dialectOf(manager) === 'postgres';
  return events.map((e) => {
    let json = 'payloadJson' in e ? e.payloadJson : JSON.stringify(parseEvent(e.name, e.payload));
    if (typeof json !== 'string' && !bytesAsIs) json = json.toString('utf8');
    return [e.name, json, e.occurredAt ?? now, e.correlationId ?? null, e.dedupeKey ?? null];
  });
}

/** Per data source and service: how many transactions that wrote to the outbox have committed (as far as known). */
export interface OutboxCommits {
  committed: number;
  /** A write happened in a transaction whose commit we cannot see (not opened by withTransaction). */
  untracked: boolean;
}

const outboxCommits = new WeakMap<DataSource, Map<string, OutboxCommits>>();

/** What the relay reads to tell a nudge after a commit with new events from one after a commit without. */
export function outboxCommitsOf(dataSource: DataSource, service: string): OutboxCommits {
  let byService = outboxCommits.get(dataSource);
  if (!byService) outboxCommits.set(dataSource, (byService = new Map()));
  let entry = byService.get(service);
  if (!entry) byService.set(service, (entry = { committed: 0, untracked: false }));
  return entry;
}

function noteOutboxWrite(manager: EntityManager, service: string): void {
  const entry = outboxCommitsOf(manager.connection, service);
  if (!afterCommitOf(manager, () => (entry.committed += 1))) entry.untracked = true;
}
