import { describe, expect, it } from 'vitest';
import { fixtureDir, VALID_DIR } from './__fixtures__/fixture-dir';
import { loadRuleSets } from './load-rule-sets';
import { RuleSetLookupError } from './rule-set.error';

const registry = loadRuleSets(VALID_DIR);

describe('inheritance', () => {
  const jinshui = registry.resolve('410105', 2022);

  it('merges plain objects key by key down the chain', () => {
    expect(jinshui.rounding).toEqual({ precision: 1, mode: 'half-up' }); // precision from 410000, mode from CN
    // 410105 restates only the execution weight: denominator and formula come from CN
    expect(jinshui.forms.department.execution).toEqual({
      label: '预算执行率',
      weight: 10,
      denominator: 'adjusted',
      formula: { kind: 'linear', cap: true },
    });
  });

  it('replaces arrays wholesale', () => {
    expect(jinshui.forms.department.sections.map((s) => s.label)).toEqual(['投入管理', '产出', '效益']);
    expect(jinshui.forms.project.sections.map((s) => s.weight)).toEqual([50, 30, 10]); // untouched, from CN
    expect(registry.resolve('130126', 2022).grades.map((g) => g.name)).toEqual(['优秀', '良好', '一般', '较差']);
  });

  it('merges checks by name: same name replaces in place, new names append, disabled removes', () => {
    const zhengzhou = registry.resolve('410100', 2022);
    expect(zhengzhou.checks.map((c) => `${c.name}:${c.event.params.severity}`)).toEqual([
      'total-mismatch:error',
      'score-exceeds-weight:warning',
      'missing-reason:warning',
    ]);
    expect(jinshui.checks.map((c) => c.name)).toEqual(['score-exceeds-weight', 'missing-reason']);
    expect(jinshui.checks.some((c) => 'disabled' in c)).toBe(false);
    expect(jinshui.routing.map((r) => r.name)).toEqual(['errors-to-review']);
  });

  it('replaces a formula of another kind whole rather than mixing parameters', () => {
    const ningxia = registry.resolve('640000', 2022);
    expect(ningxia.forms.project.execution.formula).toEqual({ kind: 'none' });
  });

  it("carries the file's own id, version and the chain up to CN", () => {
    expect(jinshui.id).toBe('410105');
    expect(jinshui.version).toBe(3);
    expect(jinshui.region).toEqual({
      code: '410105',
      name: '金水区',
      names: ['金水区', '郑州市金水区'],
      level: 'county',
    });
    expect(jinshui.chain).toEqual([
      { id: '410105', version: 3 },
      { id: '410100', version: 2 },
      { id: '410000', version: 1 },
      { id: 'CN', version: 1 },
    ]);
  });
});

describe('resolve: years and the code hierarchy', () => {
  it('picks the region file whose years cover the fiscal year', () => {
    expect(registry.resolve('130126', 2023).id).toBe('130126');
    expect(registry.resolve('130126', 2024).id).toBe('130126@2024');
    expect(registry.resolve('130126', 2030).forms.project.execution.denominator).toBe('initial');
    expect(registry.resolve('130126', 2023).forms.project.execution.denominator).toBe('adjusted');
  });

  it('takes the latest file when the year is unknown', () => {
    expect(registry.resolve('130126', null).id).toBe('130126@2024');
  });

  it("falls back to the parent level when the region's files do not cover the year, and says so", () => {
    const r = registry.resolve('130126', 2020);
    expect(r.id).toBe('CN');
    expect(r.resolvedFor?.fallback).toMatch(/130126 cover 2021–2023, 2024–…, not 2020/);
    expect(registry.resolve('410105', 2019).id).toBe('410100'); // 410105 starts in 2020
  });

  it('falls back county → city → province → CN when a region has no file', () => {
    expect(registry.resolve('410102', 2022).id).toBe('410100'); // another district of 郑州
    expect(registry.resolve('410302', 2022).id).toBe('410000'); // 洛阳: no city file, province
    expect(registry.resolve('640323', 2022).id).toBe('640000');
    expect(registry.resolve('640323', 2023).id).toBe('CN'); // 640000 covers 2019–2022 only
    expect(registry.resolve('341522', 2022).resolvedFor).toEqual({
      region: '341522',
      fiscalYear: 2022,
      fallback: 'no rule set for 341522; no rule set for 341500; no rule set for 340000: using CN',
    });
    expect(registry.resolve('410105', 2022).resolvedFor?.fallback).toBeNull();
  });

  it('refuses a malformed region code', () => {
    expect(() => registry.resolve('4101', 2022)).toThrow(RuleSetLookupError);
    expect(() => registry.resolve('金水区', 2022)).toThrow(/not a region code/);
  });

  it('says so when not even CN is there', () => {
    const empty = loadRuleSets(fixtureDir((f) => Object.keys(f).forEach((k) => delete f[k])));
    expect(() => empty.resolve('410105', 2022)).toThrow(/no rule set applies to 410105/);
  });

  it('caches: the same request gives the same object', () => {
    expect(registry.resolve('410102', 2022)).toBe(registry.resolve('410102', 2022));
  });
});

describe('region names', () => {
  it('resolves by name or code', () => {
    expect(registry.resolveByName('金水区').id).toBe('410105');
    expect(registry.resolveByName('郑州市金水区', 2022).id).toBe('410105');
    expect(registry.resolveByName('宁夏', 2022).id).toBe('640000');
    expect(registry.resolveByName('灵寿', 2022).id).toBe('130126'); // unique prefix
    expect(registry.resolveByName('130126', 2025).id).toBe('130126@2024');
    expect(() => registry.resolveByName('霍邱县')).toThrow(/no rule set names the region "霍邱县"/);
  });

  it('finds the most specific region named in a text', () => {
    expect(registry.findRegionInText('郑州市金水区教育局2022年度部门整体支出绩效自评报告')).toEqual({
      code: '410105',
      name: '金水区',
    });
    expect(registry.findRegionInText('郑州市财政局：关于金水区的通知')).toEqual({ code: '410105', name: '金水区' });
    expect(registry.findRegionInText('郑州市二七区财政局')).toEqual({ code: '410100', name: '郑州市' });
    expect(registry.findRegionInText('宁夏回族自治区盐池县')).toEqual({ code: '640000', name: '宁夏回族自治区' });
    expect(registry.findRegionInText('霍邱县财政局')).toBeNull();
  });

  it('lists every rule set for the CLI', () => {
    const list = registry.list();
    expect(list.map((r) => r.id)).toContain('130126@2024');
    expect(list.find((r) => r.id === '410105')).toMatchObject({
      extends: '410100',
      version: 3,
      region: { name: '金水区' },
    });
  });
});
