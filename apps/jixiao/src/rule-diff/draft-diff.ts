import { readFileSync } from 'node:fs';
import {
  diffRuleSets,
  formatRuleSetDiff,
  inspectRuleSetSources,
  RuleSetLookupError,
  type RuleSetChange,
  type RuleSetIssue,
  type RuleSetRegistry,
} from '@jixiao/scoring';

export interface AffectedDiff {
  id: string;
  changes: RuleSetChange[];
}

export type DraftDiff =
  | { ok: true; id: string; file: string; draft: string; changes: RuleSetChange[]; affected: AffectedDiff[] }
  | { ok: false; issues: RuleSetIssue[] };

/** A rule set by id (`130126@2024`), else by region code or name (its latest file). */
export function findRuleSetId(registry: RuleSetRegistry, regionOrId: string): string {
  try {
    return registry.resolveById(regionOrId).id;
  } catch (err) {
    if (!(err instanceof RuleSetLookupError)) throw err;
    return registry.resolveByName(regionOrId).id;
  }
}

/**
 * What a draft file would change: the loaded rule sets with the draft in place of rule set `id` (it must declare
 * that id), compared with them as they are, for `id` and every rule set inheriting from it whose effective rules
 * change. A draft the loader refuses gives its issues (the draft's, and those of children it breaks).
 */
export function draftDiff(current: RuleSetRegistry, id: string, draft: { file: string; text: string }): DraftDiff {
  const others = current.list().filter((s) => s.id !== id);
  const sources = [
    ...others.map((s) => ({ file: s.file, text: readFileSync(s.file, 'utf8') })),
    { file: draft.file, text: draft.text, expectId: id },
  ];
  const { reports, registry } = inspectRuleSetSources(sources);
  if (!registry) return { ok: false, issues: reports.flatMap((r) => r.issues) };
  const inherits = (r: RuleSetRegistry, x: string) => r.resolveById(x).chain.some((c) => c.id === id);
  const affected = others
    .filter((s) => inherits(current, s.id) || inherits(registry, s.id))
    .map((s) => ({ id: s.id, changes: diffRuleSets(current.resolveById(s.id), registry.resolveById(s.id)) }))
    .filter((a) => a.changes.length > 0);
  const file = current.list().find((s) => s.id === id)?.file ?? '';
  const changes = diffRuleSets(current.resolveById(id), registry.resolveById(id));
  return { ok: true, id, file, draft: draft.file, changes, affected };
}

/** The readable diff: the rule set first, then each inheriting one that changes. */
export function formatDraftDiff(d: Extract<DraftDiff, { ok: true }>, registry: RuleSetRegistry): string {
  if (d.changes.length === 0 && d.affected.length === 0) {
    return `no change: ${d.draft} gives the same effective rules as ${d.id} (${d.file})`;
  }
  const name = (id: string) => `${id} ${registry.resolveById(id).region.name}`;
  const blocks = [formatRuleSetDiff(d.changes, { title: `${name(d.id)} (${d.file} → ${d.draft})` })];
  for (const a of d.affected)
    blocks.push(formatRuleSetDiff(a.changes, { title: `${name(a.id)} (inherits from ${d.id})` }));
  return blocks.join('\n\n');
}
