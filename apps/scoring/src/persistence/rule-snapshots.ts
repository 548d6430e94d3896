import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { enqueueEvents } from '@jixiao/messaging';
import { afterCommitOf, dialectOf, insertMany, isoNow } from '@jixiao/persistence';
import { ruleSetFromSnapshot, ruleSetSnapshot, type ResolvedRuleSet } from '@jixiao/scoring';
import { SCORING_SERVICE, SCORING_TABLES } from './scoring-tables';

const T = SCORING_TABLES.ruleSnapshots;

type Identity = Pick<ResolvedRuleSet, 'id' | 'version' | 'hash'>;

const keyOf = (r: Identity) => `${r.id}|${r.version}|${r.hash}`;

/**
 * The effective rule sets results were scored under (`scoring_rule_snapshots`), kept so that any stored result's
 * breakdown with explanations can be recomputed: a result names its rule set, version and effective hash, and the
 * rules behind that hash also depend on the ancestors' versions active when it was scored, which later activations
 * replace. Written in the transaction that writes the first result under a combination; read when a result is
 * explained.
 *
 * Each process also sends every combination it scores under as `scoring.ruleset.snapshot.v1`, in the transaction of
 * its first batch under it and before that batch's scores (so review has the rules before the scores citing them,
 * and recomputes their breakdowns instead of receiving ~6 KB with every score). Once per process, not once ever:
 * a consumer deployed or restored later still gets the rules of the scores it receives; the outbox keeps one event
 * per combination (dedupe key) while its row lasts, and consumers store each once.
 */
@Injectable()
export class RuleSnapshots {
  /** Combinations this process has seen committed (each is written once and never changes). */
  private readonly known = new Set<string>();
  /** Combinations this process has sent as `scoring.ruleset.snapshot.v1` (committed). */
  private readonly announced = new Set<string>();

  /**
   * Makes sure each rule set has its snapshot, in the caller's transaction. Free once this process has seen a
   * combination stored: a batch under known rules costs no statement; under new ones, a lookup and an insert of
   * those missing (ON CONFLICT DO NOTHING: replicas may record the same one at once).
   */
  async record(m: EntityManager, ruleSets: Iterable<ResolvedRuleSet>): Promise<void> {
    const fresh = new Map<string, ResolvedRuleSet>();
    for (const r of ruleSets) {
      const key = keyOf(r);
      if (!this.known.has(key)) fresh.set(key, r);
    }
    if (fresh.size === 0) return;
    await this.announce(m, [...fresh.entries()]);
    const pg = dialectOf(m) === 'postgres';
    const hashes = [...new Set([...fresh.values()].map((r) => r.hash))];
    const stored: Array<{ rule_set_id: string; rule_set_version: unknown; hash: string }> = await m.query(
      `SELECT rule_set_id, rule_set_version, hash FROM ${T} WHERE hash ${
        pg ? '= ANY($1::varchar[])' : `IN (${hashes.map(() => '?').join(', ')})`
      }`,
      pg ? [hashes] : hashes,
    );
    for (const s of stored) {
      // committed before this transaction began, or by it: either way there to stay once it commits
      const key = keyOf({ id: s.rule_set_id, version: Number(s.rule_set_version), hash: s.hash });
      if (fresh.delete(key)) this.known.add(key);
    }
    if (fresh.size === 0) return;
    const at = isoNow();
    await insertMany(
      m,
      T,
      ['rule_set_id', 'rule_set_version', 'hash', 'content', 'recorded_at'],
      [...fresh.values()].map((r) => [r.id, r.version, r.hash, ruleSetSnapshot(r), at]),
      { onConflictDoNothing: ['rule_set_id', 'rule_set_version', 'hash'] },
    );
    // not `known` yet: this transaction may still roll back; the next batch's lookup will find them
  }

  /** Sends the snapshots of combinations this process has not sent yet, in the caller's transaction. */
  private async announce(m: EntityManager, combinations: Array<[string, ResolvedRuleSet]>): Promise<void> {
    const due = combinations.filter(([key]) => !this.announced.has(key));
    if (due.length === 0) return;
    const at = isoNow();
    await enqueueEvents(
      m,
      SCORING_SERVICE,
      due.map(([key, r]) => ({
        name: 'scoring.ruleset.snapshot.v1' as const,
        payload: {
          ruleSet: { id: r.id, version: r.version, hash: r.hash },
          content: ruleSetSnapshot(r),
          recordedAt: at,
        },
        dedupeKey: `ruleset-snapshot:${key}`,
        occurredAt: at,
      })),
    );
    // sent once committed; a transaction we cannot see commit sends them again next time (the dedupe key keeps one)
    afterCommitOf(m, () => due.forEach(([key]) => this.announced.add(key)));
  }

  /** The rule set a result names, checked against its hash (RuleSnapshotError if not), or null when none was kept. */
  async find(m: EntityManager, ruleSet: Identity): Promise<ResolvedRuleSet | null> {
    const pg = dialectOf(m) === 'postgres';
    const [row]: Array<{ content: string }> = await m.query(
      `SELECT content FROM ${T} WHERE rule_set_id = ${pg ? '$1' : '?'} AND rule_set_version = ${pg ? '$2' : '?'} AND hash = ${pg ? '$3' : '?'}`,
      [ruleSet.id, ruleSet.version, ruleSet.hash],
    );
    return row ? ruleSetFromSnapshot(row.content) : null;
  }
}
