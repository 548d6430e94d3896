import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { loadRuleSetsFromSources, type RuleSetRegistry } from '@jixiao/scoring';
import { effectiveText, versionLabel, type ActiveYears, type RuleVersionRow } from '../domain/rule-version';
import { activeVersions, ruleGeneration, versionsByIds } from '../persistence/rule-version-store';

/** A registry built from version rows (each with the years it is active for, or its own for a draft). */
export function buildRegistry(rows: readonly RuleVersionRow[]): RuleSetRegistry {
  return loadRuleSetsFromSources(
    rows.map((v) => ({
      file: versionLabel(v),
      text: effectiveText(
        v.raw ?? '{}',
        v.status === 'active' || v.activeFrom !== null || v.activeTo !== null ? { from: v.activeFrom, to: v.activeTo } : null,
      ),
      version: v.version,
    })),
  );
}

const CACHE_LIMIT = 16;

/**
 * The rule sets scoring uses: built from the active versions in the database, rebuilt when an activation moved the
 * rule generation on (in this process or another replica). `current(manager)` reads the generation inside the
 * caller's transaction with a shared lock on PostgreSQL, so an activation (which takes it exclusively) waits for
 * transactions scoring with the old rules, and transactions after it see the new ones.
 */
@Injectable()
export class ActiveRuleSets {
  private generation = -1;
  private registry: RuleSetRegistry | null = null;
  private readonly byVersions = new Map<string, RuleSetRegistry>();

  async current(m: EntityManager): Promise<RuleSetRegistry> {
    return (await this.currentWithGeneration(m)).registry;
  }

  /** The active rules and the rule generation they belong to (recorded with the results scored under them). */
  async currentWithGeneration(m: EntityManager): Promise<{ registry: RuleSetRegistry; generation: number }> {
    const generation = await ruleGeneration(m, 'share');
    if (generation !== this.generation || !this.registry) {
      this.registry = buildRegistry(await activeVersions(m));
      this.generation = generation;
    }
    return { registry: this.registry, generation };
  }

  /**
   * The active rules as this process last read them, without reading the generation (null until it has been read,
   * and after `invalidate`). A transaction scoring with them must confirm the generation before it commits
   * (`generationCheck`): another process may have activated a version since.
   */
  cached(): { registry: RuleSetRegistry; generation: number } | null {
    return this.registry && this.generation >= 0 ? { registry: this.registry, generation: this.generation } : null;
  }

  /** The registry a re-scoring run targets (cached: every chunk of a run asks for the same one). */
  async forVersions(m: EntityManager, ids: readonly string[], overrides: Record<string, ActiveYears> = {}): Promise<RuleSetRegistry> {
    const key = `${[...ids].sort().join(',')}|${JSON.stringify(Object.entries(overrides).sort(([a], [b]) => a.localeCompare(b)))}`;
    const hit = this.byVersions.get(key);
    if (hit) return hit;
    const rows = await versionsByIds(m, ids);
    const missing = ids.filter((id) => !rows.some((r) => r.id === id));
    if (missing.length) throw new Error(`rule-set versions not found: ${missing.join(', ')}`);
    const registry = buildRegistry(
      rows.map((r) => {
        const y = overrides[r.id];
        // as active for those years (a draft's own years would otherwise come from its text)
        return y ? { ...r, status: 'active' as const, activeFrom: y.from, activeTo: y.to } : r;
      }),
    );
    if (this.byVersions.size >= CACHE_LIMIT) this.byVersions.delete(this.byVersions.keys().next().value!);
    this.byVersions.set(key, registry);
    return registry;
  }

  /** Forget the cached registry (after an activation in this process). */
  invalidate(): void {
    this.generation = -1;
  }
}
