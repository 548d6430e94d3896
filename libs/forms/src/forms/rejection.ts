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
export function rejectionMessage(rows: Row[], fileName: string): { message: string; messageZh: string; line?: number } {
  const looked =
    'no 项目支出绩效自评表 / 部门整体绩效自评表 / 绩效自评报告 found: no indicator table header (一级指标/二级指标/三级指标 in separate cells), no 项目名称 row and no numbered project list (N、… 实际支出 … 自评得分 …)';
  const lookedZh =
    '未找到项目支出绩效自评表、部门整体绩效自评表或绩效自评报告：没有指标表表头（一级指标、二级指标、三级指标分列在不同单元格），没有“项目名称”行，也没有编号的项目清单（N、…实际支出…自评得分…）';
  const runTogether = (spaced: boolean) =>
    spaced
      ? { en: 'separated only by spaces', zh: '之间只用空格分隔' }
      : { en: 'run together with no separators', zh: '连在一起，没有分隔' };
  for (const row of rows) {
    const joined = row.cells.join('');
    const c = compact(joined);
    if (c.includes('二级指标') && c.includes('三级指标') && !row.cells.some((x) => /^三级指标/.test(compact(x)))) {
      const how = runTogether(/二级指标 +三级指标/.test(joined));
      return {
        message: `${fileName}: ${looked}. Line ${row.line} holds the table header but its cells are ${how.en}: the columns cannot be told apart, so no figure is read from it`,
        messageZh: `${fileName}：${lookedZh}。第 ${row.line} 行是表头，但各单元格${how.zh}，分不清各栏，因此没有从中读取任何数字。请从原表格另存为 Excel（.xlsx）或 CSV 后再提交`,
        line: row.line,
      };
    }
    const found = FORM_WORDS.filter((w) => c.includes(w));
    if (row.sep === 'none' && found.length >= 3) {
      const how = runTogether(joined.split(' ').length >= 8);
      return {
        message: `${fileName}: ${looked}. Line ${row.line} holds form cells (${found.slice(0, 4).join(', ')}) ${
          how.en
        } in one line: the columns cannot be told apart, so no figure is read from it`,
        messageZh: `${fileName}：${lookedZh}。第 ${row.line} 行含有表格内容（${found.slice(0, 4).join('、')}），但在一行中${how.zh}，分不清各栏，因此没有从中读取任何数字。请从原表格另存为 Excel（.xlsx）或 CSV 后再提交`,
        line: row.line,
      };
    }
  }
  return { message: `${fileName}: ${looked}`, messageZh: `${fileName}：${lookedZh}` };
}
