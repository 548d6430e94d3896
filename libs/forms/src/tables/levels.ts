import { compact } from './row';

const LEVEL1 =
  /^(产出|效益|效果|满意度|投入管理|投入|过程|决策|管理|绩效|项目管理)(指标)?(?:\((\d{1,3}(?:\.\d{1,2})?)分\))?$/;
const LEVEL2 =
  /^(数量|质量|时效|成本|经济成本|社会成本|生态环境成本|生态成本|经济效益|社会效益|生态效益|可持续影响|服务对象满意度|社会公众满意度|满意度)指标$/;

/** "产出指标 (50分)" → { name: "产出指标", weight: 50 }; a first-level cell needs 指标 or a declared weight. */
export function matchLevel1(cell: string): { name: string; weight: number | null } | undefined {
  const m = LEVEL1.exec(compact(cell));
  if (!m || (!m[2] && !m[3])) return undefined;
  return { name: `${m[1]}${m[2] ?? ''}`, weight: m[3] !== undefined ? Number(m[3]) : null };
}

export function isKnownLevel2(cell: string): boolean {
  return LEVEL2.test(compact(cell));
}

/** The standard first-level sections a project form is expected to have, by keyword. */
export const STANDARD_SECTIONS = [
  { key: '产出', label: '产出指标各行' },
  { key: '效益', label: '效益指标各行' },
  { key: '满意度', label: '满意度指标各行' },
] as const;

export function isTotalLabel(cell: string | undefined): boolean {
  return /^(总分|合计|总计|综合得分)[:]?$/.test(compact(cell));
}
