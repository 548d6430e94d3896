import { compact, type Row } from '../tables/row';

const FORM_WORDS = [
  '项目名称',
  '年度资金总额',
  '年初预算数',
  '执行率',
  '一级指标',
  '三级指标',
  '指标名称',
  '指标值',
  '得分',
  '分值',
  '权重',
  '全年执行数',
  '预算数',
];

/** Why nothing could be read: what was looked for, and the nearest thing that was found instead. */
export function rejectionMessage(rows: Row[], fileName: string): { message: string; line?: number } {
  const looked =
    'no 项目支出绩效自评表 / 部门整体绩效自评表 / 绩效自评报告 found: no indicator table header (一级指标/二级指标/三级指标 in separate cells), no 项目名称 row and no numbered project list (N、… 实际支出 … 自评得分 …)';
  for (const row of rows) {
    const joined = row.cells.join('');
    const c = compact(joined);
    if (c.includes('二级指标') && c.includes('三级指标') && !row.cells.some((x) => /^三级指标/.test(compact(x)))) {
      const spaced = /二级指标 +三级指标/.test(joined);
      return {
        message: `${fileName}: ${looked}. Line ${row.line} holds the table header but ${
          spaced ? 'its cells are separated only by spaces' : 'its cells are run together with no separators'
        }: the columns cannot be told apart, so no figure is read from it`,
        line: row.line,
      };
    }
    const words = FORM_WORDS.filter((w) => c.includes(w)).length;
    if (row.sep === 'none' && words >= 3) {
      const spaced = joined.split(' ').length >= 8;
      return {
        message: `${fileName}: ${looked}. Line ${row.line} holds form cells (${FORM_WORDS.filter((w) => c.includes(w))
          .slice(0, 4)
          .join(', ')}) ${
          spaced ? 'separated only by spaces' : 'run together with no separators'
        } in one line: the columns cannot be told apart, so no figure is read from it`,
        line: row.line,
      };
    }
  }
  return { message: `${fileName}: ${looked}` };
}
