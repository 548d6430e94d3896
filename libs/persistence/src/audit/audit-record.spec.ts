import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256 } from '../json/canonical-json';
import { chainPrepared, chainRecords, computeRecordHash, GENESIS_HASH, prepareAuditEntry, type AuditEntry } from './audit-record';

const entry = (id: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  actor: { user: 'u1', role: 'reviewer' },
  entityType: 'evaluation',
  entityId: id,
  action: 'approve',
  fromState: 'in_review',
  toState: 'approved',
  payload: { id },
  ...extra,
});

describe('chainRecords', () => {
  it('numbers records after the head and links each to the previous hash', () => {
    const records = chainRecords(
      { seq: 0, hash: GENESIS_HASH },
      [entry('a'), entry('b'), entry('c')],
      '2024-01-01T00:00:00.000Z',
    );
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(records[0].prevHash).toBe(GENESIS_HASH);
    expect(records[1].prevHash).toBe(records[0].hash);
    expect(records[2].prevHash).toBe(records[1].hash);
    for (const r of records) expect(computeRecordHash(r)).toBe(r.hash);
  });

  it('hashes the canonical JSON of the record without its hash', () => {
    const [r] = chainRecords(
      { seq: 41, hash: GENESIS_HASH },
      [entry('a', { reason: '退回 "原因"' })],
      '2024-01-01T00:00:00.000Z',
    );
    const { hash, ...unsigned } = r;
    expect(hash).toBe(sha256(canonicalJson(unsigned)));
  });

  it('is deterministic and continues an existing chain', () => {
    const now = '2024-01-01T00:00:00.000Z';
    const all = chainRecords({ seq: 0, hash: GENESIS_HASH }, [entry('a'), entry('b')], now);
    const first = chainRecords({ seq: 0, hash: GENESIS_HASH }, [entry('a')], now);
    const second = chainRecords({ seq: first[0].seq, hash: first[0].hash }, [entry('b')], now);
    expect([...first, ...second]).toEqual(all);
  });

  it('changes the record hash when any field, the payload or the previous hash changes', () => {
    const now = '2024-01-01T00:00:00.000Z';
    const [base] = chainRecords({ seq: 0, hash: GENESIS_HASH }, [entry('a')], now);
    const variants = [
      { ...base, seq: 2 },
      { ...base, at: '2024-01-01T00:00:00.001Z' },
      { ...base, actorUser: 'u2' },
      { ...base, actorRole: 'auditor' },
      { ...base, entityId: 'b' },
      { ...base, action: 'return' },
      { ...base, fromState: null },
      { ...base, toState: 'returned' },
      { ...base, reason: 'x' },
      { ...base, dedupeKey: 'rescore:r1:a' },
      { ...base, prevHash: `sha256:${'1'.repeat(64)}` },
    ];
    for (const v of variants) expect(computeRecordHash(v)).not.toBe(base.hash);
    const [otherPayload] = chainRecords({ seq: 0, hash: GENESIS_HASH }, [entry('a', { payload: { id: 'z' } })], now);
    expect(otherPayload.payloadHash).not.toBe(base.payloadHash);
    expect(otherPayload.hash).not.toBe(base.hash);
  });

  it('chains prepared entries after any head as it chains the entries themselves (a chain redone under the lock)', () => {
    const now = '2024-01-01T00:00:00.000Z';
    const entries = [entry('a', { reason: '重新评分 "x"\n', dedupeKey: 'k1' }), entry('b', { fromState: null, at: '2023-12-31T00:00:00.000Z' })];
    const prepared = entries.map((e) => prepareAuditEntry(e, now));
    const [x] = chainRecords({ seq: 0, hash: GENESIS_HASH }, [entry('z')], now);
    for (const head of [{ seq: 0, hash: GENESIS_HASH }, { seq: x.seq, hash: x.hash }, { seq: 99_999_999_999, hash: x.hash }]) {
      const records = chainPrepared(head, prepared);
      expect(records).toEqual(chainRecords(head, entries, now));
      for (const r of records) {
        const { hash, ...unsigned } = r;
        expect(hash).toBe(sha256(canonicalJson(unsigned)));
      }
    }
  });
});
