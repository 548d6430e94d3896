import type { CanonicalEvaluation, SourceRef } from '@jixiao/contracts/evaluation/canonical-evaluation.schema';
import { parseNumberCell } from '../text/numbers';
import { ref } from '../tables/indicator-table';
import { compact } from '../tables/row';
import type { FormContext } from './context';
import { readTableForm } from './table-form';

/**
 * The 部门整体绩效自评表 (金水 layout): the shared table parts plus the 各项指标得分情况表. The task list is not
 * read into `projects`: its budgets cover 项目支出 only, and the engine compares projects with the whole budget.
 */
export function readDepartmentForm(ctx: FormContext): CanonicalEvaluation {
  const { evaluation } = readTableForm(ctx, 'department');
  const summary = readSummaryTable(ctx);
  if (summary) {
    const reported = (evaluation.reported ??= {});
    const declared = reported.sections ?? [];
    const merged: { name: string; weight?: number | null; score?: number | null }[] = summary.sections.map((s) => ({
      ...s,
    }));
    for (const d of declared) {
      const key = stripSuffix(d.name);
      const hit = merged.find((m) => stripSuffix(m.name) === key);
      if (!hit) merged.push(d);
      else if (hit.weight !== d.weight && d.weight !== null) {
        ctx.sink.warn(
          summary.line,
          `${d.name}: declared ${d.weight}分 in the indicator table, ${hit.weight} in the summary table`,
          `${d.name}：指标表中为 ${d.weight} 分，汇总表中为 ${hit.weight} 分`,
        );
      }
    }
    reported.sections = merged;
    if (summary.total) reported.sectionsTotal = summary.total;
    reported.sources = { ...(reported.sources ?? {}), ...summary.sources };
  }
  return evaluation;
}

function stripSuffix(name: string): string {
  return compact(name).replace(/指标$/, '').replace(/率$/, '');
}

interface Summary {
  line: number;
  sections: { name: string; weight: number | null; score: number | null }[];
  total?: { weight: number | null; score: number | null };
  sources: Record<string, SourceRef>;
}

/** 各项指标得分情况表: 指标 | 权重分值 | 得分 | 得分率, with its 合计 row. */
function readSummaryTable(ctx: FormContext): Summary | undefined {
  const { rows, start, end } = ctx;
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    const cells = row.cells.map(compact);
    const w = cells.findIndex((c) => /^(权重分值|权重|分值)$/.test(c));
    const s = cells.findIndex((c) => c === '得分');
    if (
      w < 0 ||
      s < 0 ||
      !/^(指标|一级指标|指标名称|项目)$/.test(cells[0] ?? '') ||
      cells.some((c) => /三级指标/.test(c))
    )
      continue;
    const summary: Summary = { line: row.line, sections: [], sources: {} };
    for (let j = i + 1; j < end; j++) {
      const r = rows[j]!;
      if (r.cells.length === 0) break;
      const name = r.cells[0]!;
      const weight = parseNumberCell(r.cells[w]);
      const score = parseNumberCell(r.cells[s]);
      if (weight === undefined || score === undefined || name === '') break;
      if (/^(合计|总计|总分)$/.test(compact(name))) {
        summary.total = { weight, score };
        summary.sources.sectionsTotal = ref(r, s, rows[i]!.cells[s]);
        break;
      }
      summary.sections.push({ name, weight, score });
      summary.sources[`section:${name}`] = ref(r, s, rows[i]!.cells[s]);
    }
    if (summary.sections.length > 0) return summary;
  }
  return undefined;
}
