import { expect } from 'vitest';
import type { DataSource } from 'typeorm';

/** Everything a reader or a consumer can see, without the wall-clock times and hashes that include them. */
export async function reviewSnapshot(ds: DataSource) {
  const strip = <T extends Record<string, unknown>>(row: T, ...keys: string[]) =>
    Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));
  const cases = (await ds.query('SELECT * FROM review_cases ORDER BY evaluation_id')).map(
    (r: Record<string, unknown>) => strip(r, 'updated_at', 'created_at'),
  );
  const details = (await ds.query('SELECT * FROM review_details ORDER BY evaluation_id')).map(
    (r: Record<string, unknown>) => strip(r, 'updated_at'),
  );
  const history = (await ds.query('SELECT * FROM review_history ORDER BY id')).map((r: Record<string, unknown>) => ({
    ...strip(r, 'id', 'at', 'audit_hash', 'audit_seq'),
    audited: r.audit_seq !== null,
  }));
  const audit = (
    await ds.query(
      'SELECT seq, actor_user, actor_role, entity_type, entity_id, action, from_state, to_state, reason, payload_hash FROM review_audit ORDER BY seq',
    )
  ).map((r: Record<string, unknown>) => ({ ...r, seq: Number(r.seq) }));
  const outbox = (await ds.query('SELECT name, payload, correlation_id FROM review_outbox ORDER BY id')).map(
    (r: { name: string; payload: string; correlation_id: string | null }) => {
      const { routedAt: _r, approvedAt: _a, ...payload } = JSON.parse(r.payload);
      return { name: r.name, payload, correlationId: r.correlation_id };
    },
  );
  // each history row of a change points at the audit record of that change
  const links = await ds.query(
    'SELECT h.action AS h_action, a.action AS a_action, h.evaluation_id AS h_id, a.entity_id AS a_id FROM review_history h JOIN review_audit a ON a.seq = h.audit_seq',
  );
  for (const l of links) expect([l.h_action, l.h_id]).toEqual([l.a_action, l.a_id]);
  return { cases, details, history, audit, outbox };
}
