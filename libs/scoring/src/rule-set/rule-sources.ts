import { parseRuleText, issueAt, type ReadResult, type RuleFile } from './read-rule-file';
import { resolveChain } from './resolve-file';
import { RuleSetError, type RuleSetIssue } from './rule-set.error';
import { RuleSetRegistry } from './rule-set.registry';
import type { ResolvedRuleSet } from './rule-set.schema';

/**
 * A rule file's text and the label that names it in messages: a path (`rules/130126.json`) or a version kept
 * elsewhere (`api:130126@v3`). `version` (a database's version number) replaces the file's declared `version`
 * in the resolved set and in the `chain` of every set inheriting from it. `expectId`: the id the text must
 * declare, checked instead of the file name (see `parseRuleText`).
 */
export interface RuleSource {
  file: string;
  text: string;
  version?: number;
  expectId?: string;
}

/** What loading found for one file: its id when readable, and its issues (none: the file is valid). */
export interface RuleFileReport {
  file: string;
  id: string | null;
  version: number | null;
  issues: RuleSetIssue[];
}

export interface RuleSetInspection {
  reports: RuleFileReport[];
  /** Null when any file has issues. */
  registry: RuleSetRegistry | null;
}

/**
 * Parse and check rule sets given as texts (the files of a directory, or versions kept in a database), reporting
 * per source. Same checks and messages as the directory loader; `version` replaces the declared version.
 */
export function inspectRuleSetSources(sources: readonly RuleSource[]): RuleSetInspection {
  const reports = new Map<string, RuleFileReport>();
  const byId = new Map<string, RuleFile>();
  const brokenIds = new Map<string, string>(); // id → file, for files refused on their own
  // an ancestor's problem found again while resolving a child is reported once
  const base = (m: string) => m.replace(/ \(found resolving .*\)$/, '');
  const add = (issue: RuleSetIssue) => {
    const r = reports.get(issue.file);
    if (r && !r.issues.some((i) => i.path === issue.path && base(i.message) === base(issue.message)))
      r.issues.push(issue);
  };

  for (const source of sources) {
    const file = source.file;
    const res = readSource(source);
    const p = res.ok ? res.value.parsed : null;
    if (reports.has(file)) {
      add({ file, path: '$', message: 'the same label is given to two rule sources: labels must be unique' });
      continue;
    }
    reports.set(file, { file, id: p?.id ?? null, version: p?.version ?? null, issues: res.ok ? [] : res.issues });
    if (!res.ok) {
      if (res.id) brokenIds.set(res.id, file);
      continue;
    }
    const other = byId.get(res.value.parsed.id);
    if (other) add(issueAt(file, res.value.text, ['id'], `duplicate id "${res.value.parsed.id}" (also ${other.file})`));
    else byId.set(res.value.parsed.id, res.value);
  }

  checkYearOverlaps([...byId.values()], add);

  // chains: unknown parents and cycles are reported on the file whose `extends` breaks the chain
  const chains = new Map<string, RuleFile[]>();
  for (const f of byId.values()) {
    const chain: RuleFile[] = [f];
    let broken = false;
    for (let cur = f; cur.parsed.extends !== null;) {
      const parent = byId.get(cur.parsed.extends);
      const brokenFile = brokenIds.get(cur.parsed.extends);
      if (!parent && brokenFile) {
        const ids = [...chain.map((x) => x.parsed.id), cur.parsed.extends].join(' → ');
        add(
          issueAt(
            f.file,
            f.text,
            ['extends'],
            `cannot resolve ${f.parsed.id}: its ${cur === f ? 'parent' : 'ancestor'} ${cur.parsed.extends} (${brokenFile}) has errors (chain ${ids})`,
          ),
        );
        broken = true;
        break;
      }
      if (!parent) {
        if (cur === f) {
          add(
            issueAt(
              f.file,
              f.text,
              ['extends'],
              `unknown parent "${cur.parsed.extends}": no loaded rule set has that id`,
            ),
          );
        }
        broken = true;
        break;
      }
      if (chain.includes(parent)) {
        const ids = [...chain.slice(chain.indexOf(parent)), parent].map((x) => x.parsed.id).join(' → ');
        if (chain.indexOf(parent) === 0)
          add(issueAt(f.file, f.text, ['extends'], `inheritance cycle (继承循环): ${ids}`));
        broken = true;
        break;
      }
      chain.push(parent);
      cur = parent;
    }
    if (!broken) chains.set(f.parsed.id, chain);
    else if (reports.get(f.file)!.issues.length === 0) {
      add(
        issueAt(
          f.file,
          f.text,
          ['extends'],
          `cannot resolve: its inheritance chain is broken (${chain.map((x) => x.parsed.id).join(' → ')} → ?)`,
        ),
      );
    }
  }

  const resolved: ResolvedRuleSet[] = [];
  // ancestors first, so a problem is reported on its own file's resolution before a child's
  for (const chain of [...chains.values()].sort((a, b) => a.length - b.length)) {
    const res = resolveChain(chain);
    if (res.ok) resolved.push(res.value);
    else res.issues.forEach(add);
  }

  // a file that is fine alone but inherits from a broken one cannot be used either
  for (const [id, chain] of chains) {
    const leaf = chain[0];
    const bad = chain.slice(1).find((f) => reports.get(f.file)!.issues.length > 0);
    if (bad && reports.get(leaf.file)!.issues.length === 0) {
      add(
        issueAt(
          leaf.file,
          leaf.text,
          ['extends'],
          `cannot resolve ${id}: its parent ${bad.parsed.id} (${bad.file}) has errors`,
        ),
      );
    }
  }

  const list = [...reports.values()];
  const valid = list.every((r) => r.issues.length === 0);
  const files = new Map([...byId.values()].map((f) => [f.parsed.id, { file: f.file, extends: f.parsed.extends }]));
  return { reports: list, registry: valid ? new RuleSetRegistry(resolved, files) : null };
}

function checkYearOverlaps(files: RuleFile[], add: (i: RuleSetIssue) => void): void {
  const byRegion = new Map<string, RuleFile[]>();
  for (const f of files) byRegion.set(f.parsed.region.code, [...(byRegion.get(f.parsed.region.code) ?? []), f]);
  for (const list of byRegion.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i].parsed.years;
        const b = list[j].parsed.years;
        const overlap = (a.from ?? -Infinity) <= (b.to ?? Infinity) && (b.from ?? -Infinity) <= (a.to ?? Infinity);
        if (overlap) {
          const f = list[j];
          add(
            issueAt(
              f.file,
              f.text,
              ['years'],
              `years overlap those of ${list[i].parsed.id} (${list[i].file}): one file per region and year`,
            ),
          );
        }
      }
    }
  }
}

function readSource(source: RuleSource): ReadResult {
  const res = parseRuleText(source.file, source.text, { expectId: source.expectId });
  if (!res.ok || source.version === undefined) return res;
  return { ok: true, value: { ...res.value, parsed: { ...res.value.parsed, version: source.version } } };
}

/**
 * Load rule sets given as texts (sync). Throws `RuleSetError` listing every problem, each naming the source's
 * label and the JSON path, when any rule set is broken.
 */
export function loadRuleSetsFromSources(sources: readonly RuleSource[]): RuleSetRegistry {
  const { reports, registry } = inspectRuleSetSources(sources);
  if (registry) return registry;
  throw new RuleSetError(reports.flatMap((r) => r.issues));
}
