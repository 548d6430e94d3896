import { hashJson, sha256 } from '../json/canonical-json';

/** What a service says happened; the log adds the sequence number, the hashes and (unless given) the time. */
export interface AuditEntry {
  actor: { user: string; role: string };
  entityType: string;
  entityId: string;
  action: string;
  fromState?: string | null;
  toState?: string | null;
  reason?: string | null;
  /** Hashed (canonical JSON, sha256) into `payloadHash`; the payload itself lives in the service's own tables. */
  payload?: unknown;
  /** ISO-8601 UTC; defaults to now. */
  at?: string;
  /**
   * Makes the append idempotent for a producer that may run twice (a re-scoring chunk after a crash): an entry
   * whose key is already in the log is skipped, e.g. `rescore:<runId>:<evaluationId>`.
   */
  dedupeKey?: string;
}

export interface AuditRecord {
  seq: number;
  at: string;
  actorUser: string;
  actorRole: string;
  entityType: string;
  entityId: string;
  action: string;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  dedupeKey: string | null;
  payloadHash: string;
  prevHash: string;
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** The `prevHash` of record 1. */
export const GENESIS_HASH = `sha256:${'0'.repeat(64)}`;

/**
 * sha256 over the canonical JSON of every field but the hash itself (the sequence number and previous hash
 * included): `{"action":…,"actorRole":…,"actorUser":…,"at":…,"dedupeKey":…,"entityId":…,"entityType":…,"fromState":…,
 * "payloadHash":…,"prevHash":…,"reason":…,"seq":…,"toState":…}`. Written out by hand (keys already sorted) because
 * it runs once per record in bulk re-scoring; a unit test pins it to `canonicalJson`.
 */
export function computeRecordHash(r: Omit<AuditRecord, 'hash'>): string {
  return linkHash(recordJson(r), r.prevHash, r.seq);
}

type RecordFields = Omit<AuditRecord, 'seq' | 'prevHash' | 'hash'>;

/** The record's canonical JSON split around `prevHash` and `seq` (the only parts the chain decides). */
function recordJson(r: RecordFields): [string, string, string] {
  const j = JSON.stringify;
  return [
    `{"action":${j(r.action)},"actorRole":${j(r.actorRole)},"actorUser":${j(r.actorUser)},"at":${j(r.at)},` +
      `"dedupeKey":${j(r.dedupeKey)},"entityId":${j(r.entityId)},"entityType":${j(r.entityType)},` +
      `"fromState":${j(r.fromState)},"payloadHash":${j(r.payloadHash)},"prevHash":`,
    `,"reason":${j(r.reason)},"seq":`,
    `,"toState":${j(r.toState)}}`,
  ];
}

function linkHash(json: [string, string, string], prevHash: string, seq: number): string {
  return sha256(json[0] + JSON.stringify(prevHash) + json[1] + JSON.stringify(seq) + json[2]);
}

/**
 * An entry with all of its record worked out but its place in the chain: the fields, and the canonical JSON that
 * `computeRecordHash` hashes split around `prevHash` and `seq`. Chaining prepared entries is then one string
 * concatenation and one SHA-256 per record — cheap enough to redo under the chain head's lock when another writer
 * moved the head first.
 */
export interface PreparedAuditEntry {
  fields: RecordFields;
  /** Canonical JSON up to `"prevHash":`, between the previous hash and the sequence number, and after it. */
  json: [string, string, string];
}

export function prepareAuditEntry(entry: AuditEntry, now: string): PreparedAuditEntry {
  const fields: RecordFields = {
    at: entry.at ?? now,
    actorUser: entry.actor.user,
    actorRole: entry.actor.role,
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    fromState: entry.fromState ?? null,
    toState: entry.toState ?? null,
    reason: entry.reason ?? null,
    dedupeKey: entry.dedupeKey ?? null,
    payloadHash: hashJson(entry.payload ?? null),
  };
  return { fields, json: recordJson(fields) };
}

/** Chains prepared entries after `head` (the same records as `chainRecords` gives for their entries). */
export function chainPrepared(head: ChainHead, prepared: readonly PreparedAuditEntry[]): AuditRecord[] {
  let { seq, hash: prevHash } = head;
  return prepared.map(({ fields, json }) => {
    seq += 1;
    const hash = linkHash(json, prevHash, seq);
    const record: AuditRecord = { seq, ...fields, prevHash, hash };
    prevHash = hash;
    return record;
  });
}

/** Chains entries after `head`: pure, so the same input always gives the same records. */
export function chainRecords(head: ChainHead, entries: readonly AuditEntry[], now: string): AuditRecord[] {
  return chainPrepared(head, entries.map((e) => prepareAuditEntry(e, now)));
}

export const AUDIT_COLUMNS = [
  'seq',
  'at',
  'actor_user',
  'actor_role',
  'entity_type',
  'entity_id',
  'action',
  'from_state',
  'to_state',
  'reason',
  'dedupe_key',
  'payload_hash',
  'prev_hash',
  'hash',
] as const;

export const AUDIT_PG_TYPES = ['bigint', ...Array<string>(AUDIT_COLUMNS.length - 1).fill('text')];

export function recordToRow(r: AuditRecord): unknown[] {
  return [
    r.seq,
    r.at,
    r.actorUser,
    r.actorRole,
    r.entityType,
    r.entityId,
    r.action,
    r.fromState,
    r.toState,
    r.reason,
    r.dedupeKey,
    r.payloadHash,
    r.prevHash,
    r.hash,
  ];
}

export function rowToRecord(row: Record<string, unknown>): AuditRecord {
  const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    seq: Number(row.seq),
    at: String(row.at),
    actorUser: String(row.actor_user),
    actorRole: String(row.actor_role),
    entityType: String(row.entity_type),
    entityId: String(row.entity_id),
    action: String(row.action),
    fromState: str(row.from_state),
    toState: str(row.to_state),
    reason: str(row.reason),
    dedupeKey: str(row.dedupe_key),
    payloadHash: String(row.payload_hash),
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
}
