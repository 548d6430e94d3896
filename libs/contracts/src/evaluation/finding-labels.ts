import type { FindingCode } from './score-result.schema';

/** Each kind of finding as a bureau's staff name it (filters, counts, reports). */
export const FINDING_CODE_LABELS: Record<FindingCode, string> = {
  REPORTED_TOTAL_MISMATCH: '自评总分与各项之和或复核总分不符',
  SCORE_DIFFERS_FROM_RULE: '自评得分与评分规则不符',
  SCORE_EXCEEDS_WEIGHT: '得分超过分值',
  SCORE_OUTSIDE_TIER: '定性指标得分不在所属档次内',
  WEIGHTS_NOT_100: '分值合计不为 100',
  SECTION_WEIGHT_MISMATCH: '一级指标分值与规定不符',
  EXECUTION_RATE_MISMATCH: '填报的执行率与金额不符',
  EXECUTED_EXCEEDS_BUDGET: '执行数超过预算数',
  SUM_MISMATCH: '合计与各项之和不符',
  MISSING_DEVIATION_REASON: '未完成目标而未说明偏差原因',
  GRADE_MISMATCH: '自评等级与总分不符',
  UNIT_MISMATCH: '目标值与实际值的计量单位不一致',
  NON_NUMERIC_ACTUAL: '定量指标的实际值不是数值',
  ACTUAL_IS_THRESHOLD: '实际值填写的是目标值',
  INCOMPLETE_FORM: '表格不完整',
  NOT_SCORABLE: '指标无法评分',
};
