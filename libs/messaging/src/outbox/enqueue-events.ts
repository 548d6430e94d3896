import type { DataSource, EntityManager } from 'typeorm';
import { parseEvent, type EventName, type EventPayload } from '@jixiao/contracts';
import { afterCommitOf, assertInTransaction, dialectOf, insertMany, insertRider, type Rider } from '@jixiao/persistence';
import { messagingTables } from '../tables';
import { compressPayload, DEFAULT_COMPRESS_FROM, GZIP_BASE64 } from '../wire/wire-envelope';

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
  /**
   * The payload's JSON, or its UTF-8 bytes (a large payload built outside the heap, see Utf8Text), or either as
   * `storedEventPayload` gives it (a producer with a large payload compresses it before its transaction opens).
   */
  payloadJson: string | Buffer | CompressedPayload;
  dedupeKey?: string;
  correlationId?: string | null;
  occurredAt?: string;
}

/** A payload compressed for the outbox (`storedEventPayload`): stored and relayed as it is. */
export interface CompressedPayload {
  encoding: typeof GZIP_BASE64;
  payload: string;
}

/**
 * A payload's JSON as enqueueEvents would store it: compressed (off the event loop) from `compressFrom` characters or
 * bytes on, else as it is. A producer with a large payload calls this before its transaction opens, so that the
 * transaction neither waits for the compression nor holds the uncompressed bytes.
 */
export async function storedEventPayload(
  payloadJson: string | Buffer,
  compressFrom = DEFAULT_COMPRESS_FROM,
): Promise<string | Buffer | CompressedPayload> {
  if (payloadJson.length < compressFrom) return payloadJson;
  return { encoding: GZIP_BASE64, payload: await compressPayload(payloadJson) };
}

/**
 * Writes events to the service's outbox inside the caller's transaction: they exist if and only if the state
 * change commits. One multi-row INSERT per thousand events. Payloads are validated against their contract (a
 * SerializedEvent's is the producer's word, and its consumers'). Returns how many rows were
 * written (events whose dedupe key already exists are skipped). Call the relay's `nudge()` after commit.
 *
 * A payload of at least `compressFrom` characters or bytes (default DEFAULT_COMPRESS_FROM, the size from which the
 * relay sends payloads compressed) is stored compressed, `payload_encoding` `gzip+base64`, and the relay sends it on
 * as it is. A re-scoring chunk's event (~1.4 MB of JSON) otherwise went to the database in full, was compressed
 * there (lz4) and decompressed for the relay, which decoded the text, encoded it to UTF-8 again and compressed it.
 * Now ~200 KB of base64 goes in and comes out. Measured per chunk event on PostgreSQL: the INSERT 4.8–5.4 ms of
 * server CPU before, 0.6–0.8 after; reading it back 1.6 ms before, 0.2 after; the relay's decoding and encoding
 * ~7 ms of its CPU before, none after. The compression itself (~7 ms, off the event loop) only moved.
 */
export async function enqueueEvents(
  manager: EntityManager,
  service: string,
  events: ReadonlyArray<OutgoingEvent | SerializedEvent>,
  options: { compressFrom?: number } = {},
): Promise<number> {
  if (events.length === 0) return 0;
  assertInTransaction(manager, 'enqueueEvents');
  const byColumn = events.length > 500;
  const compressFrom = options.compressFrom ?? DEFAULT_COMPRESS_FROM;
  const encodings = await Promise.all(
    events.map(async (e) => {
      const json = payloadOf(e);
      return stored(isCompressed(json) ? json : await storedEventPayload(json, compressFrom));
    }),
  );
  const written = await insertMany(manager, messagingTables(service).outbox, OUTBOX_COLUMNS, outboxRows(manager, events, encodings, byColumn), {
    onConflictDoNothing: conflictOf(events),
    // more than a rider takes: the types given, and payloads as text (a column's joined text cannot hold bytes); fewer
    // go by column too where insertMany can (column types from the catalogue), and as VALUES when a payload is bytes
    pgTypes: byColumn ? ['text', 'text', 'text', 'text', 'text', 'text'] : undefined,
  });
  if (written > 0) noteOutboxWrite(manager, service);
  return written;
}

/**
 * enqueueEvents as a Rider: the events' INSERT, to travel in the statement that appends the transaction's audit
 * records (`appendAudit(m, table, entries, [rider])`), one round trip for both. Null when there are none, or more
 * than 500 (enqueueEvents writes those).
 */
export async function outboxRider(
  manager: EntityManager,
  service: string,
  events: ReadonlyArray<OutgoingEvent | SerializedEvent>,
): Promise<Rider | null> {
  if (events.length === 0 || events.length > 500) return null;
  assertInTransaction(manager, 'outboxRider');
  const payloads = events.map((e) => stored(payloadOf(e)));
  return insertRider(manager, messagingTables(service).outbox, OUTBOX_COLUMNS, outboxRows(manager, events, payloads, false), {
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
  const rider = await outboxRider(manager, service, events);
  if (rider) riders.push(rider);
  else await enqueueEvents(manager, service, events);
}

const OUTBOX_COLUMNS = ['name', 'payload', 'payload_encoding', 'occurred_at', 'correlation_id', 'dedupe_key'];

/** A payload as the outbox stores it: its JSON (text or UTF-8 bytes), or compressed (`encoding` says how). */
interface StoredPayload {
  payload: string | Buffer;
  encoding: typeof GZIP_BASE64 | null;
}

const isCompressed = (json: string | Buffer | CompressedPayload): json is CompressedPayload =>
  typeof json !== 'string' && !Buffer.isBuffer(json);

/** A payload's row values: compressed ones with their encoding, JSON text or bytes with none. */
function stored(json: string | Buffer | CompressedPayload): StoredPayload {
  return isCompressed(json) ? json : { payload: json, encoding: null };
}

/** An event's payload JSON: a SerializedEvent's as given, another's validated against its contract and serialised. */
function payloadOf(e: OutgoingEvent | SerializedEvent): string | Buffer | CompressedPayload {
  return 'payloadJson' in e ? e.payloadJson : JSON.stringify(parseEvent(e.name, e.payload));
}

function conflictOf(events: ReadonlyArray<OutgoingEvent | SerializedEvent>): string[] | undefined {
  return events.some((e) => e.dedupeKey) ? ['dedupe_key'] : undefined;
}

function outboxRows(
  manager: EntityManager,
  events: ReadonlyArray<OutgoingEvent | SerializedEvent>,
  payloads: readonly StoredPayload[],
  byColumn: boolean,
): unknown[][] {
  const now = new Date().toISOString();
  // UTF-8 bytes go to PostgreSQL as they are, one parameter per value (binary format: a text's bytes); SQLite would
  // store them as a blob, and a column's joined text cannot hold them: those get the text
  const bytesAsIs = !byColumn && dialectOf(manager) === 'postgres';
  return events.map((e, i) => {
    let { payload } = payloads[i];
    if (typeof payload !== 'string' && !bytesAsIs) payload = payload.toString('utf8');
    return [e.name, payload, payloads[i].encoding, e.occurredAt ?? now, e.correlationId ?? null, e.dedupeKey ?? null];
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
