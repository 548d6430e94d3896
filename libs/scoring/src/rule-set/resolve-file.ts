import { bandProblems, type Problem } from './bands.check';
import { contentHash } from './hash';
import { valueAt, type PathSegment } from './json-path';
import { mergeBodies } from './merge';
import { issueAt, type RuleFile } from './read-rule-file';
import { ResolvedBodySchema } from './resolved.schema';
import type { RuleSetIssue } from './rule-set.error';
import type { ResolvedRuleSet } from './rule-set.schema';
import { ruleProblems } from './rules.check';
import { tierProblems } from './tiers.check';
import { weightProblems } from './weights.check';
import { flattenIssues } from './zod-issues';

export type ResolveResult = { ok: true; value: ResolvedRuleSet } | { ok: false; issues: RuleSetIssue[] };

/** `410105 → 410100 → 410000 → CN` */
export function showChain(chain: readonly RuleFile[]): string {
  return chain.map((f) => f.parsed.id).join(' → ');
}

/**
 * The file and in-file path a problem of the resolved set comes from: the deepest file of the chain that
 * sets that path (arrays replace wholesale, so whoever set the array set all of it); checks and routing
 * rules are found by name, since merging by name renumbers them.
 */
function owner(chain: readonly RuleFile[], path: PathSegment[], resolved: unknown): [RuleFile, PathSegment[]] {
  const [list, index, ...rest] = path;
  if ((list === 'checks' || list === 'routing') && typeof index === 'number') {
    const name = (valueAt(resolved, [list, index, 'name']) as string) ?? '';
    for (const f of chain) {
      const rules = f.raw[list];
      const at = Array.isArray(rules) ? rules.findIndex((r: { name?: string }) => r.name === name) : -1;
      if (at >= 0) return [f, [list, at, ...rest]];
    }
  }
  for (let len = path.length; len > 0; len--) {
    const prefix = path.slice(0, len);
    for (const f of chain) if (valueAt(f.raw, prefix) !== undefined) return [f, path];
  }
  return [chain[0], path];
}

/** Merge a chain (leaf first, CN last), check the result, and give the resolved set or the problems. */
export function resolveChain(chain: readonly RuleFile[]): ResolveResult {
  const leaf = chain[0];
  const merged = mergeBodies([...chain].reverse().map((f) => f.raw));
  const parsed = ResolvedBodySchema.safeParse(merged);
  const chainText = showChain(chain);
  if (!parsed.success) {
    const issues = flattenIssues(parsed.error.issues, merged).map((i) => {
      const missing = valueAt(merged, i.path) === undefined;
      const message = missing
        ? `missing after inheritance (继承后仍缺少此项): neither this file nor its parents set it (chain ${chainText})`
        : `${i.message} (after inheritance, chain ${chainText})`;
      const messageZh = missing
        ? `继承后仍缺少此项：本文件及其上级规则都没有设置（继承链 ${chainText}）`
        : `${i.messageZh}（继承后，继承链 ${chainText}）`;
      return issueAt(leaf.file, leaf.text, i.path, message, messageZh);
    });
    return { ok: false, issues };
  }
  const body = parsed.data;
  const problems: Problem[] = [
    ...weightProblems(body.forms),
    ...bandProblems(body.grades),
    ...tierProblems(body.qualitative.tiers),
    ...ruleProblems(body),
  ];
  if (problems.length > 0) {
    const issues = problems.map((p) => {
      const [f, path] = owner(chain, p.path, body);
      const note = f === leaf ? '' : ` (found resolving ${leaf.parsed.id}: ${chainText})`;
      const noteZh = f === leaf ? '' : `（在解析 ${leaf.parsed.id} 时发现：${chainText}）`;
      return issueAt(f.file, f.text, path, p.message + note, p.messageZh + noteZh);
    });
    return { ok: false, issues };
  }
  const p = leaf.parsed;
  const value: ResolvedRuleSet = {
    id: p.id,
    version: p.version,
    hash: contentHash(body),
    region: { code: p.region.code, name: p.region.names[0], names: p.region.names, level: p.region.level },
    years: p.years,
    chain: chain.map((f) => ({ id: f.parsed.id, version: f.parsed.version })),
    source: p.source,
    ...body,
  };
  return { ok: true, value: deepFreeze(value) };
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
