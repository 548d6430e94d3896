import { compact } from './row';

export type IndicatorRole = 'target' | 'comparator' | 'unit' | 'actual' | 'weight' | 'score' | 'reason' | 'other';

/** What a header cell after 三级指标 holds, from its words (never from its position). */
export function indicatorRole(header: string): IndicatorRole {
  const h = compact(header);
  if (h === '') return 'other';
  if (/计算方法|得分率|折算/.test(h)) return 'other';
  if (/偏差|原因|改进措施|说明|备注/.test(h)) return 'reason';
  if (/性质|符号/.test(h)) return 'comparator';
  if (/单位/.test(h)) return 'unit';
  if (/实际|完成值|完成情况/.test(h)) return 'actual';
  if (/指标值|目标值|预期/.test(h)) return 'target';
  if (/分值|权重/.test(h)) return 'weight';
  if (/得分/.test(h)) return 'score';
  return 'other';
}

export type FundsRole = 'initialBudget' | 'adjustedBudget' | 'executed' | 'weight' | 'rate' | 'score';

/** What a header cell of the funds block holds; `undefined` for labels such as "年度预算数(万元)". */
export function fundsRole(header: string): FundsRole | undefined {
  const h = compact(header);
  if (h === '' || /万元|\(元\)|资金情况|项目资金|预算情况/.test(h)) return undefined;
  if (/执行率/.test(h)) return 'rate';
  if (/年初/.test(h)) return 'initialBudget';
  if (/执行数|执行金额|支出数|实际支出/.test(h)) return 'executed';
  if (/预算数|调整后预算|调整预算|全年预算/.test(h)) return 'adjustedBudget';
  if (/分值|权重/.test(h)) return 'weight';
  if (/得分/.test(h)) return 'score';
  return undefined;
}
