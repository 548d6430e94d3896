import { parseRuleText, issueAt, type ReadResult, type RuleFile } from './read-rule-file';
import { resolveChain } from './resolve-file';
import { RuleSetError, type RuleSetIssue } from './rule-set.error';
import { fileKey, RuleSetRegistry, showYears } from './rule-set.registry';
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
 * per source. Same checks and messages as the directory loader; `version` replaces the declared version. Sources
 * with the same id are versions of one rule set when their years do not overlap (a database's active versions, one
 * narrowed by a newer one): each year resolves to the version covering it, and a child inheriting from such a rule set
 * is resolved once per version, for the years it shares with it.
 */
export function inspectRuleSetSources(sources: readonly RuleSource[]): RuleSetInspection {
  const reports = new Map<string, RuleFileReport>();
  // an id's versions: one, or several with disjoint years (a version narrowed to the years a newer one leaves it)
  const byId = new Map<string, RuleFile[]>();
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
    const parsed = res.value.parsed;
    const others = byId.get(parsed.id) ?? [];
    const other = others.find(
      (o) => o.parsed.region.code !== parsed.region.code || yearsOverlap(o.parsed.years, parsed.years),
    );
    if (other)
      add(
        issueAt(
          file,
          res.value.text,
          ['id'],
          `duplicate id "${parsed.id}" (also ${other.file})`,
          `id “${parsed.id}” 重复（${other.file} 也用了它）`,
        ),
      );
    else byId.set(parsed.id, [...others, res.value]);
  }

  checkYearOverlaps([...byId.values()].flat(), add);

  // chains: unknown parents and cycles are reported on the file whose `extends` breaks the chain. A parent with
  // several versions forks the chain: one chain per version, for the years it shares with the child's.
  const chains: Chain[] = [];
  const pending: Chain[] = [...byId.values()].flat().map((f) => ({ chain: [f], years: f.parsed.years }));
  for (let next = pending.shift(); next; next = pending.shift()) {
    const { chain } = next;
    const f = chain[0];
    let years = next.years;
    let broken = false;
    for (let cur = chain[chain.length - 1]; cur.parsed.extends !== null;) {
      const versions = byId.get(cur.parsed.extends) ?? [];
      let parent: RuleFile | undefined = versions[0];
      if (versions.length > 1) {
        const forks = versions.flatMap((v) => {
          const shared = yearsShared(years, v.parsed.years);
          return shared ? [{ v, shared }] : [];
        });
        // years of the child no version of the parent covers would be left without rules: refused
        const gap = firstGap(
          years,
          forks.map((x) => x.shared),
        );
        if (gap) {
          const covered = versions.map((v) => `v${v.parsed.version} ${showYears(v.parsed.years)}`).join(', ');
          add(
            issueAt(
              f.file,
              f.text,
              ['extends'],
              `cannot resolve ${f.parsed.id} for ${showYears(gap)}: no version of ${cur === f ? 'its parent' : 'its ancestor'} ${cur.parsed.extends} covers those years (${covered})`,
              `${f.parsed.id} 在 ${showYears(gap)} 无法解析：其${cur === f ? '上级' : '更上级'}规则 ${cur.parsed.extends} 没有覆盖这些年度的版本（${covered}）`,
            ),
          );
        }
        if (gap || !forks.length) {
          next.forked = true; // reported above: no second message for the chain
          broken = true;
          break;
        }
        for (const fork of forks.slice(1))
          pending.push({ chain: [...chain, fork.v], years: fork.shared, forked: true });
        parent = forks[0].v;
        years = forks[0].shared;
        next.forked = true;
      }
      const brokenFile = brokenIds.get(cur.parsed.extends);
      if (!parent && brokenFile) {
        const ids = [...chain.map((x) => x.parsed.id), cur.parsed.extends].join(' → ');
        add(
          issueAt(
            f.file,
            f.text,
            ['extends'],
            `cannot resolve ${f.parsed.id}: its ${cur === f ? 'parent' : 'ancestor'} ${cur.parsed.extends} (${brokenFile}) has errors (chain ${ids})`,
            `${f.parsed.id} 无法解析：其${cur === f ? '上级' : '更上级'}规则 ${cur.parsed.extends}（${brokenFile}）有错误（继承链 ${ids}）`,
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
              `上级规则 “${cur.parsed.extends}” 不存在：已加载的规则中没有这个 id`,
            ),
          );
        }
        broken = true;
        break;
      }
      if (chain.includes(parent)) {
        const ids = [...chain.slice(chain.indexOf(parent)), parent].map((x) => x.parsed.id).join(' → ');
        if (chain.indexOf(parent) === 0)
          add(issueAt(f.file, f.text, ['extends'], `inheritance cycle (继承循环): ${ids}`, `继承循环：${ids}`));
        broken = true;
        break;
      }
      chain.push(parent);
      cur = parent;
    }
    if (!broken) chains.push({ chain, years, forked: next.forked });
    else if (!next.forked && reports.get(f.file)!.issues.length === 0) {
      add(
        issueAt(
          f.file,
          f.text,
          ['extends'],
          `cannot resolve: its inheritance chain is broken (${chain.map((x) => x.parsed.id).join(' → ')} → ?)`,
          `无法解析：继承链中断（${chain.map((x) => x.parsed.id).join(' → ')} → ?）`,
        ),
      );
    }
  }

  const resolved: ResolvedRuleSet[] = [];
  // ancestors first, so a problem is reported on its own file's resolution before a child's
  for (const { chain, years, forked } of [...chains].sort((a, b) => a.chain.length - b.chain.length)) {
    const res = resolveChain(chain);
    if (!res.ok) res.issues.forEach(add);
    else if (!forked) resolved.push(res.value);
    // a fork applies for the years its parents' versions cover (its hash is of its rules alone: years are not in it)
    else resolved.push(Object.freeze({ ...res.value, years: Object.freeze({ ...years }) }));
  }

  // a file that is fine alone but inherits from a broken one cannot be used either
  for (const { chain } of chains) {
    const leaf = chain[0];
    const id = leaf.parsed.id;
    const bad = chain.slice(1).find((f) => reports.get(f.file)!.issues.length > 0);
    if (bad && reports.get(leaf.file)!.issues.length === 0) {
      add(
        issueAt(
          leaf.file,
          leaf.text,
          ['extends'],
          `cannot resolve ${id}: its parent ${bad.parsed.id} (${bad.file}) has errors`,
          `${id} 无法解析：其上级规则 ${bad.parsed.id}（${bad.file}）有错误`,
        ),
      );
    }
  }

  const list = [...reports.values()];
  const valid = list.every((r) => r.issues.length === 0);
  const files = new Map(
    [...byId.values()]
      .flat()
      .map((f) => [fileKey(f.parsed.id, f.parsed.version), { file: f.file, extends: f.parsed.extends }]),
  );
  return { reports: list, registry: valid ? new RuleSetRegistry(resolved, files) : null };
}

type Years = RuleFile['parsed']['years'];

/** A chain of files, leaf first, and the years it applies for (`forked`: narrower than the leaf's, by a parent's). */
interface Chain {
  chain: RuleFile[];
  years: Years;
  forked?: boolean;
}

function yearsOverlap(a: Years, b: Years): boolean {
  return (a.from ?? -Infinity) <= (b.to ?? Infinity) && (b.from ?? -Infinity) <= (a.to ?? Infinity);
}

/** The years two ranges share, or null. */
function yearsShared(a: Years, b: Years): Years | null {
  if (!yearsOverlap(a, b)) return null;
  const from = a.from === null ? b.from : b.from === null ? a.from : Math.max(a.from, b.from);
  const to = a.to === null ? b.to : b.to === null ? a.to : Math.min(a.to, b.to);
  return { from, to };
}

/** The first years of `years` none of `ranges` (disjoint, each within `years`) covers, or null. */
function firstGap(years: Years, ranges: readonly Years[]): Years | null {
  const sorted = [...ranges].sort((a, b) => (a.from ?? -Infinity) - (b.from ?? -Infinity));
  let from = years.from; // the first year not yet covered (null: from the open start)
  for (const r of sorted) {
    if (r.from !== null && (from === null || r.from > from)) return { from, to: r.from - 1 };
    if (r.to === null) return null;
    from = r.to + 1;
  }
  if (years.to !== null && from !== null && from > years.to) return null;
  return { from, to: years.to };
}

function checkYearOverlaps(files: RuleFile[], add: (i: RuleSetIssue) => void): void {
  const byRegion = new Map<string, RuleFile[]>();
  for (const f of files) byRegion.set(f.parsed.region.code, [...(byRegion.get(f.parsed.region.code) ?? []), f]);
  for (const list of byRegion.values()) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i].parsed.years;
        const b = list[j].parsed.years;
        if (yearsOverlap(a, b)) {
          const f = list[j];
          add(
            issueAt(
              f.file,
              f.text,
              ['years'],
              `years overlap those of ${list[i].parsed.id} (${list[i].file}): one file per region and year`,
              `适用年度与 ${list[i].parsed.id}（${list[i].file}）重叠：同一地区同一年度只能有一个规则文件`,
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
