import type { EntityManager } from 'typeorm';
import { dialectOf, insertMany, placeholder } from '@jixiao/persistence';
import { IDEMPOTENCY_TTL_MS, type IdempotencyClaim } from '../domain/idempotency';
import { INTAKE_TABLES } from './intake-tables';

const T = INTAKE_TABLES;

/** A key's first use: the fingerprint of its request and the answer it got (JSON). */
export interface RememberedRequest {
  fingerprint: string;
  result: unknown;
}

const cutoff = (now: string) => new Date(Date.parse(now) - IDEMPOTENCY_TTL_MS).toISOString();

/** The request this user made with this key within the last day, if any. */
export async function findRemembered(
  m: EntityManager,
  user: string,
  key: string,
  now: string,
): Promise<RememberedRequest | null> {
  const d = dialectOf(m);
  const [row] = (await m.query(
    `SELECT fingerprint, result FROM ${T.idempotencyKeys}
      WHERE created_by = ${placeholder(d, 1)} AND idempotency_key = ${placeholder(d, 2)} AND created_at >= ${placeholder(d, 3)}`,
    [user, key, cutoff(now)],
  )) as Array<{ fingerprint: string; result: string }>;
  return row ? { fingerprint: row.fingerprint, result: JSON.parse(row.result) as unknown } : null;
}

/**
 * Remembers each key with its request's answer, in the submission's transaction: the key is taken exactly when the
 * forms are stored. Keys past their day are dropped first (so a key may be used again after it).
 */
export async function rememberRequests(
  m: EntityManager,
  rows: ReadonlyArray<{ user: string; claim: IdempotencyClaim; result: unknown; now: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  const d = dialectOf(m);
  await m.query(`DELETE FROM ${T.idempotencyKeys} WHERE created_at < ${placeholder(d, 1)}`, [cutoff(rows[0].now)]);
  await insertMany(
    m,
    T.idempotencyKeys,
    ['created_by', 'idempotency_key', 'fingerprint', 'result', 'created_at'],
    rows.map((r) => [r.user, r.claim.key, r.claim.fingerprint, JSON.stringify(r.result), r.now]),
  );
}
