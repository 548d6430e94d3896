import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CanonicalEvaluation } from '@jixiao/contracts';
import { score } from '../engine/score';
import { loadRuleSets } from './load-rule-sets';
import { defaultRulesDir } from './rules-dir';
import { ruleSetFromSnapshot, ruleSetSnapshot, RuleSnapshotError } from './snapshot';

const dir = defaultRulesDir();
const registry = loadRuleSets(dir);
const golden = readdirSync(join(dir, 'golden'))
  .filter((f) => f.endsWith('.input.json'))
  .flatMap((f) => {
    const json = JSON.parse(readFileSync(join(dir, 'golden', f), 'utf8'));
    return (json.evaluations ?? [json]) as CanonicalEvaluation[];
  });

describe('rule-set snapshots', () => {
  it('every rule set, read back from its snapshot, scores every golden form exactly as the set itself', () => {
    const sets = registry.list().map((s) => registry.resolve(s.region.code, s.years.from ?? s.years.to));
    expect(sets.length).toBeGreaterThan(5);
    expect(golden.length).toBeGreaterThanOrEqual(5);
    for (const set of sets) {
      const back = ruleSetFromSnapshot(ruleSetSnapshot(set));
      expect(back.hash).toBe(set.hash);
      expect(back.resolvedFor).toBeUndefined();
      for (const form of golden) {
        const ev = { ...form, region: set.region.code };
        expect(score(ev, back, { explain: true })).toEqual(score(ev, set, { explain: true }));
      }
    }
  });

  it('refuses a snapshot whose rules were changed, naming the rule set and both hashes', () => {
    const set = registry.resolve('130126', 2022);
    const json = JSON.parse(ruleSetSnapshot(set));
    json.grades[0].conditions.all[0].value = 80;
    expect(() => ruleSetFromSnapshot(JSON.stringify(json))).toThrow(RuleSnapshotError);
    expect(() => ruleSetFromSnapshot(JSON.stringify(json))).toThrow(`rule-set snapshot 130126 v${set.version}: its rules hash to sha256:`);
  });

  it('refuses rules that do not validate, and text that is not JSON, with a clear message', () => {
    const json = JSON.parse(ruleSetSnapshot(registry.resolve('CN', 2022)));
    json.tolerance = 'small';
    expect(() => ruleSetFromSnapshot(JSON.stringify(json))).toThrow(/its rules do not validate at tolerance/);
    expect(() => ruleSetFromSnapshot('{"id":')).toThrow(/not JSON/);
  });
});
