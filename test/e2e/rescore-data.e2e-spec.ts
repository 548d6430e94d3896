import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CanonicalEvaluationSchema } from '@jixiao/contracts';
import { loadRuleSets, score, type RuleSetRegistry } from '@jixiao/scoring';
import { syntheticEvaluation, SYNTHETIC_REGIONS } from '../../bench/support/rescore-data';
import { changedCn } from '../../bench/support/rescore-run';

const RULES = join(__dirname, '../../rules');
const registry = loadRuleSets(RULES);
const SAMPLE = 3_000;
const sample = Array.from({ length: SAMPLE }, (_, i) => syntheticEvaluation(registry, 11, i));

/** The rules/ directory with one file replaced, loaded as a registry. */
const dirs: string[] = [];
function registryWith(file: string, content: unknown): RuleSetRegistry {
  const dir = mkdtempSync(join(tmpdir(), 'jixiao-rules-'));
  dirs.push(dir);
  cpSync(RULES, dir, { recursive: true });
  writeFileSync(join(dir, file), JSON.stringify(content, null, 2));
  return loadRuleSets(dir);
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const grades = (reg: RuleSetRegistry, evs: typeof sample) =>
  evs.map((s) => score(s.evaluation, reg.resolve(s.region, s.fiscalYear), { explain: false }).computed.grade);

describe('synthetic evaluations for the re-scoring bench and tests', () => {
  it('are valid canonical evaluations of 20 indicators, the same for the same seed and index', () => {
    for (const s of sample.slice(0, 500)) {
      const parsed = CanonicalEvaluationSchema.safeParse(s.evaluation);
      expect(parsed.success, JSON.stringify(parsed.error?.issues?.[0])).toBe(true);
      expect(s.evaluation.indicators).toHaveLength(20);
      expect(s.evaluation.region).toBe(s.region);
    }
    expect(JSON.stringify(syntheticEvaluation(registry, 11, 42))).toBe(JSON.stringify(sample[42]));
    expect(JSON.stringify(syntheticEvaluation(registry, 12, 42).evaluation)).not.toBe(
      JSON.stringify(sample[42].evaluation),
    );
  });

  it('mix regions with rule files of their own, inheriting sub-regions and CN-only ones, both form types, 2021–2024', () => {
    const ruleSets = new Set(sample.map((s) => registry.resolve(s.region, s.fiscalYear).id));
    expect([...ruleSets].sort()).toEqual([
      '130126',
      '341522',
      '410105',
      '420000',
      '430000',
      '500000',
      '510000@2023',
      '640323',
      'CN',
    ]);
    expect(new Set(sample.map((s) => s.region)).size).toBe(SYNTHETIC_REGIONS.length);
    expect(new Set(sample.map((s) => s.formType))).toEqual(new Set(['project', 'department']));
    expect(new Set(sample.map((s) => s.fiscalYear))).toEqual(new Set([2021, 2022, 2023, 2024]));
  });

  it('score like real forms: totals spread over the grade bands, findings on some, both routings', () => {
    const results = sample.map((s) =>
      score(s.evaluation, registry.resolve(s.region, s.fiscalYear), { explain: false }),
    );
    const totals = results.map((r) => r.computed.total ?? NaN);
    expect(totals.every(Number.isFinite)).toBe(true);
    const share = (p: (t: number) => boolean) => totals.filter(p).length / totals.length;
    expect(share((t) => t >= 90)).toBeGreaterThan(0.15);
    expect(share((t) => t >= 80 && t < 90)).toBeGreaterThan(0.15);
    expect(share((t) => t < 80)).toBeGreaterThan(0.05);
    const withFindings = results.filter((r) => r.findings.length > 0).length / results.length;
    expect(withFindings).toBeGreaterThan(0.2);
    expect(withFindings).toBeLessThan(0.95);
    expect(new Set(results.map((r) => r.routing.decision))).toEqual(new Set(['auto-approve', 'manual-review']));
    const codes = new Set(results.flatMap((r) => r.findings.map((f) => f.code)));
    for (const code of [
      'SCORE_DIFFERS_FROM_RULE',
      'WEIGHTS_NOT_100',
      'REPORTED_TOTAL_MISMATCH',
      'EXECUTION_RATE_MISMATCH',
      'ACTUAL_IS_THRESHOLD',
    ])
      expect(codes, code).toContain(code);
  });

  it('灵寿 优秀 from 85 to 90 points changes the grade of a noticeable share of 灵寿 forms', () => {
    const lingshou = JSON.parse(readFileSync(join(RULES, '130126.json'), 'utf8'));
    for (const g of lingshou.grades)
      for (const c of g.conditions.all) if (c.fact === 'total' && c.value === 85) c.value = 90;
    const changed = registryWith('130126.json', { ...lingshou, version: lingshou.version + 1 });
    const forms = sample.filter((s) => s.region === '130126');
    const before = grades(registry, forms);
    const after = grades(changed, forms);
    const moved = before.filter((g, i) => g !== after[i]).length / forms.length;
    expect(moved).toBeGreaterThan(0.05);
    expect(moved).toBeLessThan(0.5);
  });

  it('the bench’s CN change moves some grades everywhere CN’s bands apply, and changes every effective rule set', () => {
    const changed = registryWith('CN.json', changedCn(RULES));
    const before = grades(registry, sample);
    const after = grades(changed, sample);
    const moved = before.filter((g, i) => g !== after[i]).length / sample.length;
    expect(moved).toBeGreaterThan(0.02);
    expect(moved).toBeLessThan(0.3);
    for (const s of sample.slice(0, 200))
      expect(changed.resolve(s.region, s.fiscalYear).hash).not.toBe(registry.resolve(s.region, s.fiscalYear).hash);
  });
});
