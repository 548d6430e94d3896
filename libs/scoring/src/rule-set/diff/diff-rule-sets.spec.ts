import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRulesDir } from '../rules-dir';
import { loadRuleSetsFromSources } from '../rule-sources';
import type { ResolvedRuleSet } from '../rule-set.schema';
import { diffRuleSets } from './diff-rule-sets';
import { formatRuleSetDiff } from './format-diff';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const DIR = defaultRulesDir();
const FILES = readdirSync(DIR).filter((n) => n.endsWith('.json') && n !== 'schema.json');

/** The repository's rule sets with some files edited (parsed JSON), resolved. */
function rules(edit: (files: Record<string, Json>) => void = () => {}) {
  const files: Record<string, Json> = Object.fromEntries(
    FILES.map((n) => [n, JSON.parse(readFileSync(join(DIR, n), 'utf8'))]),
  );
  edit(files);
  return loadRuleSetsFromSources(
    Object.entries(files).map(([n, j]) => ({ file: `rules/${n}`, text: JSON.stringify(j, null, 2) })),
  );
}

const before = rules();
const diff = (edit: (files: Record<string, Json>) => void, id = '130126') =>
  diffRuleSets(before.resolveById(id), rules(edit).resolveById(id));

describe('diffRuleSets', () => {
  it('identical rule sets give no change, even with another version number', () => {
    const a = before.resolveById('130126');
    expect(diffRuleSets(a, { ...a, version: 9, chain: a.chain.map((c) => ({ ...c, version: 9 })) })).toEqual([]);
    expect(formatRuleSetDiff([])).toMatch(/no change/);
  });

  it('灵寿 优秀 from 85 to 90: one band change naming both cutoffs', () => {
    const changes = diff((f) => {
      const g = f['130126.json'].grades;
      g[0].conditions.all[0].value = 90;
      g[1].conditions.all[1].value = 90;
    });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'band', path: '$.grades[0]', summary: '优秀: 下限 85 (含) → 90 (含)' });
    expect(changes[0].from).toEqual({ value: 85, inclusive: true });
    expect(formatRuleSetDiff(changes)).toContain('评价等级');
  });

  it('a section weight moved between 产出 and 效益 of project forms', () => {
    const changes = diff((f) => {
      const s = f['130126.json'].forms.project.sections;
      s[0].weight = 35;
      s[1].weight = 45;
    });
    expect(changes.map((c) => c.summary)).toEqual([
      '项目支出 产出指标 分值: 40 → 35',
      '项目支出 效益指标 分值: 40 → 45',
    ]);
    expect(changes.every((c) => c.kind === 'weight')).toBe(true);
    expect(changes[0].path).toBe('$.forms.project.sections[0].weight');
  });

  it('execution weight and formula parameters', () => {
    const changes = diff((f) => {
      f['130126.json'].forms.department.execution = {
        weight: 10,
        formula: { kind: 'deduction', step: 0.1, points: 2 },
      };
      f['130126.json'].forms.department.sections[0].weight = 40;
    }).filter((c) => c.kind === 'execution');
    expect(changes).toHaveLength(1);
    expect(changes[0].summary).toMatch(
      /部门整体 预算执行率 计分公式: 执行率×分值 \(linear\).* → 每低一档扣分 \(deduction\) step 0.1 points 2/,
    );
  });

  it('a check added in one place and removed in another, with its severity', () => {
    const check = (n: number) => ({
      name: `执行率过低${n}`,
      scope: 'evaluation',
      conditions: { all: [{ fact: 'executionRate', operator: 'lessThan', value: 0.5 }] },
      event: { type: 'finding', params: { code: 'EXECUTION_RATE_MISMATCH', severity: 'warning' } },
    });
    const added = diff((f) => (f['130126.json'].checks = [check(1)]));
    expect(added).toEqual([
      expect.objectContaining({
        kind: 'check',
        summary: '新增检查 执行率过低1 (warning, EXECUTION_RATE_MISMATCH, evaluation)',
      }),
    ]);
    const withCheck = rules((f) => (f['130126.json'].checks = [check(1)])).resolveById('130126');
    const removed = diffRuleSets(withCheck, before.resolveById('130126'));
    expect(removed).toEqual([
      expect.objectContaining({ kind: 'check', summary: expect.stringMatching(/^删除检查 执行率过低1 \(warning/) }),
    ]);
  });

  it('a CN check whose severity changes shows under an inheriting region', () => {
    const changes = diff((f) => (f['CN.json'].checks[2].event.params.severity = 'error'), '341522');
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'check', summary: '检查 分值合计不是100: 严重程度 warning → error' });
  });

  it('a routing rule changed by name, with the condition member that moved', () => {
    const cn = before.resolveById('CN');
    const rule = cn.routing[0];
    const changes = diff((f) => {
      const r = JSON.parse(JSON.stringify(rule));
      r.event.params.decision = r.event.params.decision === 'manual-review' ? 'auto-approve' : 'manual-review';
      f['130126.json'].routing = [r];
    });
    expect(changes).toHaveLength(1);
    expect(changes[0]).toMatchObject({ kind: 'routing', path: '$.routing[0]' });
    expect(changes[0].summary).toMatch(new RegExp(`^审核规则 ${rule.name}: 决定 .* → `));
  });

  it('tiers, years and quantitative formulas in domain words', () => {
    const changes = diff((f) => {
      const cnTiers = JSON.parse(JSON.stringify(before.resolveById('CN').qualitative.tiers));
      cnTiers[2].event.params.default = 0.9;
      f['130126.json'].qualitative = { tiers: cnTiers };
      f['130126.json'].quantitative = { reverse: { formula: 'linear-to-zero-at-double' } };
      f['130126.json'].years = { from: 2020, to: null };
    });
    expect(changes.map((c) => [c.kind, c.summary])).toEqual([
      ['years', '适用年度: 所有年度 → 2020–…'],
      ['tier', '定性档次 达成预期指标 (achieved): 默认得分 100% → 90%'],
      ['formula', '反向指标 (≤) 计分公式 (quantitative.reverse.formula): ratio → linear-to-zero-at-double'],
    ]);
  });

  it('any other member is reported generically with its path, old and new values', () => {
    const a = before.resolveById('130126');
    const b = { ...a, rounding: { ...a.rounding, precision: 1 }, futureKey: { x: 1 } } as ResolvedRuleSet;
    const changes = diffRuleSets(a, b);
    expect(changes).toEqual([
      {
        kind: 'other',
        path: '$.rounding.precision',
        summary: '保留小数位数 (rounding.precision): 2 → 1',
        from: 2,
        to: 1,
      },
      { kind: 'other', path: '$.futureKey', summary: '$.futureKey: （无） → {"x":1}', to: { x: 1 } },
    ]);
  });
});
