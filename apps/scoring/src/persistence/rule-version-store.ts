import type { EntityManager } from 'typeorm';
import { dialectOf, insertMany, type Rider } from '@jixiao/persistence';
import type { ActiveYears, RuleVersionRow, VersionStatus } from '../domain/rule-version';
import { SCORING_TABLES } from './scoring-tables';

const T = SCORING_TABLES.ruleSetVersions;

const SELECT = `SELECT id, rule_set_id, region, version, hash, status, origin, label, raw, declared_version, created_by,
  loaded_at, updated_at, active_from, active_to, activated_at, activated_by, activation_reason, retired_at FROM ${T}`;

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function toVersion(r: Row): RuleVersionRow {
  return {
    id: r.id as string,
    ruleSetId: r.rule_set_id as string,
    region: r.region as string,
    version: Number(r.version),
    hash: r.hash as string,
    status: r.status as VersionStatus,
    origin: (r.origin as 'file' | 'api') ?? 'file',
    label: (r.label as string) ?? null,
    raw: (r.raw as string) ?? null,
    declaredVersion: num(r.declared_version),
    createdBy: (r.created_by as string) ?? null,
    loadedAt: r.loaded_at as string,
    updatedAt: (r.updated_at as string) ?? null,
    activeFrom: num(r.active_from),
    activeTo: num(r.active_to),
    activatedAt: (r.activated_at as string) ?? null,
    activatedBy: (r.activated_by as string) ?? null,
    activationReason: (r.activation_reason as string) ?? null,
    retiredAt: (r.retired_at as string) ?? null,
  };
}

function p(m: EntityManager, i: number): string {
  return dialectOf(m) === 'postgres' ? `$${i}` : '?';
}

export async function activeVersions(m: EntityManager): Promise<RuleVersionRow[]> {
  return (await m.query(`${SELECT} WHERE status = 'active' AND raw IS NOT NULL ORDER BY rule_set_id`)).map(toVersion);
}

export async function versionsOf(m: EntityManager, ruleSetId: string): Promise<RuleVersionRow[]> {
  return (await m.query(`${SELECT} WHERE rule_set_id = ${p(m, 1)} ORDER BY version`, [ruleSetId])).map(toVersion);
}

export async function versionsByIds(m: EntityManager, ids: readonly string[]): Promise<RuleVersionRow[]> {
  if (ids.length === 0) return [];
  const marks = ids.map((_, i) => p(m, i + 1)).join(', ');
  return (await m.query(`${SELECT} WHERE id IN (${marks})`, [...ids])).map(toVersion);
}

export async function findVersion(m: EntityManager, ruleSetId: string, version: number): Promise<RuleVersionRow | null> {
  const rows = await m.query(`${SELECT} WHERE rule_set_id = ${p(m, 1)} AND version = ${p(m, 2)}`, [ruleSetId, version]);
  return rows.length ? toVersion(rows[0]) : null;
}

export async function nextVersionNumber(m: EntityManager, ruleSetId: string): Promise<number> {
  const [row] = await m.query(`SELECT MAX(version) AS v FROM ${T} WHERE rule_set_id = ${p(m, 1)}`, [ruleSetId]);
  return Number(row?.v ?? 0) + 1;
}

export async function insertVersion(m: EntityManager, v: RuleVersionRow, content: string): Promise<void> {
  await insertMany(
    m,
    T,
    [
      'id', 'rule_set_id', 'region', 'version', 'hash', 'years_from', 'years_to', 'content', 'status', 'loaded_at',
      'origin', 'label', 'raw', 'declared_version', 'created_by', 'updated_at',
    ],
    [[
      v.id, v.ruleSetId, v.region, v.version, v.hash, v.activeFrom, v.activeTo, content, v.status, v.loadedAt,
      v.origin, v.label, v.raw, v.declaredVersion, v.createdBy, v.updatedAt,
    ]],
  );
}

/** A draft's text replaced (drafts only: an active or retired version is never edited). */
export async function updateDraft(
  m: EntityManager,
  id: string,
  patch: { hash: string; raw: string; content: string; declaredVersion: number; updatedAt: string; label: string },
): Promise<void> {
  await m.query(
    `UPDATE ${T} SET hash = ${p(m, 1)}, raw = ${p(m, 2)}, content = ${p(m, 3)}, declared_version = ${p(m, 4)},
       updated_at = ${p(m, 5)}, label = ${p(m, 6)} WHERE id = ${p(m, 7)} AND status = 'draft'`,
    [patch.hash, patch.raw, patch.content, patch.declaredVersion, patch.updatedAt, patch.label, id],
  );
}

export async function markActive(
  m: EntityManager,
  id: string,
  a: { years: ActiveYears; at: string; by: string; reason: string },
): Promise<void> {
  await m.query(
    `UPDATE ${T} SET status = 'active', active_from = ${p(m, 1)}, active_to = ${p(m, 2)}, activated_at = ${p(m, 3)},
       activated_by = ${p(m, 4)}, activation_reason = ${p(m, 5)}, retired_at = NULL WHERE id = ${p(m, 6)}`,
    [a.years.from, a.years.to, a.at, a.by, a.reason, id],
  );
}

/**
 * An active version left active for fewer years (a newer version took the others): only its years change — its text
 * and its activation (who, when, why) stay; the narrowing is in the audit trail.
 */
export async function markNarrowed(m: EntityManager, id: string, years: ActiveYears): Promise<void> {
  await m.query(
    `UPDATE ${T} SET active_from = ${p(m, 1)}, active_to = ${p(m, 2)} WHERE id = ${p(m, 3)} AND status = 'active'`,
    [years.from, years.to, id],
  );
}

export async function markRetired(m: EntityManager, id: string, at: string): Promise<void> {
  await m.query(`UPDATE ${T} SET status = 'retired', retired_at = ${p(m, 1)} WHERE id = ${p(m, 2)}`, [at, id]);
}

/** The rule generation, locked against activations (shared) or for one (exclusive) on PostgreSQL. */
export async function ruleGeneration(m: EntityManager, lock: 'share' | 'update' | null): Promise<number> {
  const pg = dialectOf(m) === 'postgres';
  const suffix = pg && lock === 'share' ? ' FOR SHARE' : pg && lock === 'update' ? ' FOR UPDATE' : '';
  const [row] = await m.query(`SELECT generation FROM ${SCORING_TABLES.ruleState} WHERE id = 1${suffix}`);
  return Number(row?.generation ?? 0);
}

/**
 * A rider (see appendAudit) confirming that the rule generation is still `generation` and share-locking it as
 * `ruleGeneration(m, 'share')` does, so that an activation waits for this transaction from then on: one row if so,
 * none if an activation moved it on (`confirmed(false)`: the transaction must not commit what it scored).
 */
export function generationCheck(generation: number, confirmed: (ok: boolean) => void): Rider {
  return {
    sql: `SELECT 1 AS ok FROM ${SCORING_TABLES.ruleState} WHERE id = 1 AND generation = $1 FOR SHARE`,
    params: [generation],
    written: (rows) => confirmed(rows === 1),
    fixed: true,
  };
}

export async function bumpGeneration(m: EntityManager): Promise<number> {
  await m.query(`UPDATE ${SCORING_TABLES.ruleState} SET generation = generation + 1 WHERE id = 1`);
  return ruleGeneration(m, null);
}
