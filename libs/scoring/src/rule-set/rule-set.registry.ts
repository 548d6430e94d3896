import { codeHierarchy, REGION_CODE } from './region-code';
import { RuleSetLookupError } from './rule-set.error';
import type { ResolvedRuleSet, RuleSetFile } from './rule-set.schema';

/** One loaded rule file, as `list()` shows it. */
export interface RuleSetSummary {
  id: string;
  version: number;
  extends: string | null;
  region: { code: string; name: string; level: string };
  years: { from: number | null; to: number | null };
  source: string;
  file: string;
  hash: string;
}

const LEVEL_RANK: Record<string, number> = { national: 0, province: 1, city: 2, county: 3 };

function covers(years: RuleSetFile['years'], year: number): boolean {
  return (years.from === null || year >= years.from) && (years.to === null || year <= years.to);
}

/** Years as messages show them: `2023–2024`, `2024–…` (null ends are open). */
export function showYears(y: RuleSetFile['years']): string {
  return `${y.from ?? '…'}–${y.to ?? '…'}`;
}

/** How `files` names a source: by id and version (an id may have several versions, for disjoint years). */
export function fileKey(id: string, version: number): string {
  return `${id}@v${version}`;
}

/**
 * The loaded rule sets, each already resolved and checked (the loader refuses a broken one), answering
 * "which rules apply to this region and year".
 */
export class RuleSetRegistry {
  /** Each id's resolved sets: one, or one per range of years when it or an ancestor has several versions. */
  private readonly byId = new Map<string, ResolvedRuleSet[]>();
  private readonly byRegion = new Map<string, ResolvedRuleSet[]>();
  private readonly cache = new Map<string, ResolvedRuleSet>();
  private readonly names: { name: string; code: string; rank: number }[] = [];

  constructor(
    resolved: readonly ResolvedRuleSet[],
    private readonly files: ReadonlyMap<string, { file: string; extends: string | null }>,
  ) {
    for (const r of resolved) {
      this.byId.set(r.id, [...(this.byId.get(r.id) ?? []), r]);
      const list = this.byRegion.get(r.region.code) ?? [];
      list.push(r);
      this.byRegion.set(r.region.code, list);
    }
    const seen = new Set<string>();
    for (const r of resolved) {
      for (const name of r.region.names) {
        const key = `${r.region.code}|${name}`;
        if (seen.has(key)) continue;
        seen.add(key);
        this.names.push({ name, code: r.region.code, rank: LEVEL_RANK[r.region.level] ?? 0 });
      }
    }
    // most specific first: county before city before province, then the longer name
    this.names.sort((a, b) => b.rank - a.rank || b.name.length - a.name.length);
  }

  /** Every loaded rule set, by id (then by years, when an id has several). */
  list(): RuleSetSummary[] {
    return [...this.byId.values()]
      .flatMap((list) => [...list].sort((a, b) => (a.years.from ?? -Infinity) - (b.years.from ?? -Infinity)))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .map((r) => ({
        id: r.id,
        version: r.version,
        extends: this.files.get(fileKey(r.id, r.version))?.extends ?? null,
        region: { code: r.region.code, name: r.region.name, level: r.region.level },
        years: r.years,
        source: r.source.title,
        file: this.files.get(fileKey(r.id, r.version))?.file ?? '',
        hash: r.hash,
      }));
  }

  /** A rule set by its file id (`CN`, `130126`, `130126@2024`); of several (by years), the latest. */
  resolveById(id: string): ResolvedRuleSet {
    const list = this.byId.get(id);
    if (!list) throw new RuleSetLookupError(`no rule set with id "${id}"`);
    return list.length === 1 ? list[0] : this.pickYear(list, null)!;
  }

  /**
   * The rules for a region and fiscal year: the region's file whose years cover the year, else the city's,
   * the province's, then CN's (`resolvedFor.fallback` says why). A null year takes the latest file.
   */
  resolve(regionCode: string, fiscalYear: number | null): ResolvedRuleSet {
    const key = `${regionCode}|${fiscalYear}`;
    const hit = this.cache.get(key);
    if (hit) return hit;
    const notes: string[] = [];
    for (const code of codeHierarchy(regionCode)) {
      const files = this.byRegion.get(code);
      if (!files) {
        notes.push(`no rule set for ${code}`);
        continue;
      }
      const pick = this.pickYear(files, fiscalYear);
      if (!pick) {
        notes.push(`rule sets for ${code} cover ${files.map((f) => showYears(f.years)).join(', ')}, not ${fiscalYear}`);
        continue;
      }
      const fallback = code === regionCode ? null : `${notes.join('; ')}: using ${pick.id}`;
      const out = Object.freeze({ ...pick, resolvedFor: { region: regionCode, fiscalYear, fallback } });
      this.cache.set(key, out);
      return out;
    }
    throw new RuleSetLookupError(
      `no rule set applies to ${regionCode} for ${fiscalYear ?? 'any year'}: ${notes.join('; ')}`,
    );
  }

  private pickYear(files: readonly ResolvedRuleSet[], year: number | null): ResolvedRuleSet | undefined {
    if (year !== null) return files.find((f) => covers(f.years, year));
    const latest = (f: ResolvedRuleSet) => f.years.to ?? Infinity;
    return [...files].sort((a, b) => latest(b) - latest(a) || (b.years.from ?? 0) - (a.years.from ?? 0))[0];
  }

  /** By region code, or by one of the names a rule set lists (exact, else a unique name starting with it). */
  resolveByName(nameOrCode: string, fiscalYear: number | null = null): ResolvedRuleSet {
    const q = nameOrCode.replace(/\s+/g, '');
    if (REGION_CODE.test(q) || /^\d+$/.test(q)) return this.resolve(q, fiscalYear); // digits: a code, or say why not
    let codes = new Set(this.names.filter((n) => n.name === q).map((n) => n.code));
    if (codes.size === 0 && q.length > 0)
      codes = new Set(this.names.filter((n) => n.name.startsWith(q)).map((n) => n.code));
    if (codes.size === 1) return this.resolve([...codes][0], fiscalYear);
    if (codes.size > 1) throw new RuleSetLookupError(`"${nameOrCode}" names several regions: ${[...codes].join(', ')}`);
    throw new RuleSetLookupError(
      `no rule set names the region "${nameOrCode}" (use a 6-digit code or a name from rules/)`,
    );
  }

  /** The most specific region named in a text (金水区 rather than 郑州市 when both have rule sets), or null. */
  findRegionInText(text: string): { code: string; name: string } | null {
    for (const n of this.names) {
      if (text.includes(n.name)) {
        const r = this.byRegion.get(n.code)?.[0];
        return { code: n.code, name: r?.region.name ?? n.name };
      }
    }
    return null;
  }
}
