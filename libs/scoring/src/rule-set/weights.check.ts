import type { Problem } from './bands.check';
import type { FormRules } from './rule-set.schema';

const EPS = 1e-9;

/** Per form type: execution weight + section weights = 100; a `none` execution formula carries no weight. */
export function weightProblems(forms: { project: FormRules; department: FormRules }): Problem[] {
  const out: Problem[] = [];
  for (const form of ['project', 'department'] as const) {
    const { execution, sections } = forms[form];
    const sum = execution.weight + sections.reduce((s, x) => s + x.weight, 0);
    if (Math.abs(sum - 100) > EPS) {
      const parts = [`${execution.label} ${execution.weight}`, ...sections.map((s) => `${s.label} ${s.weight}`)];
      out.push({
        path: ['forms', form],
        message: `${form} form weights add up to ${+sum.toFixed(6)}, not 100 (${parts.join(' + ')})`,
        messageZh: `${form === 'project' ? '项目支出' : '部门整体'}自评表的分值合计为 ${+sum.toFixed(6)}，不是 100（${parts.join(' + ')}）`,
      });
    }
    if (execution.formula.kind === 'none' && execution.weight !== 0) {
      out.push({
        path: ['forms', form, 'execution', 'weight'],
        message: `execution is not scored (formula "none") but has weight ${execution.weight}; set it to 0`,
        messageZh: `预算执行率不计分（公式为 "none"），但分值为 ${execution.weight}：请设为 0`,
      });
    }
    const keys = new Set<string>();
    sections.forEach((s, i) => {
      if (keys.has(s.key))
        out.push({
          path: ['forms', form, 'sections', i, 'key'],
          message: `duplicate section key "${s.key}"`,
          messageZh: `一级指标 key “${s.key}” 重复`,
        });
      keys.add(s.key);
    });
  }
  return out;
}
