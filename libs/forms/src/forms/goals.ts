import { compact, type Row } from '../tables/row';

/** 年度总体目标: the row after its header holds 预期目标 and 实际完成情况. */
export function readGoals(
  rows: Row[],
  headerIndex: number,
  end: number,
): { expected: string | null; achieved: string | null } | undefined {
  const header = rows[headerIndex]!;
  const expCol = header.cells.findIndex((c) => /预期目标|年初设定目标|年度目标|预期/.test(compact(c)));
  const achCol = header.cells.findIndex((c) => /实际完成|完成情况/.test(compact(c)));
  for (let i = headerIndex + 1; i < Math.min(end, headerIndex + 4); i++) {
    const row = rows[i]!;
    const filled = row.cells.filter((c) => c !== '');
    if (filled.length === 0) continue;
    if (/^(绩效指标|一级指标)/.test(compact(filled[0]))) return undefined;
    if (filled.length === 2) return { expected: filled[0]!, achieved: filled[1]! };
    if (row.sep === header.sep && expCol >= 0 && achCol >= 0) {
      return { expected: row.cells[expCol] || null, achieved: row.cells[achCol] || null };
    }
    return { expected: filled[0] ?? null, achieved: filled[1] ?? null };
  }
  return undefined;
}
