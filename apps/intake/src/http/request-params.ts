import { BadRequestException } from '@nestjs/common';
import { refusal } from '@jixiao/auth';
import type { RuleSetRegistry } from '@jixiao/scoring';

/** `region` as a 6-digit code, CN, or a region name a rule set lists (霍邱县 → 341522). */
export function parseRegionParam(value: unknown, registry: RuleSetRegistry): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value).trim();
  if (/^(CN|\d{6})$/.test(text)) return text;
  try {
    return registry.resolveByName(text).region.code;
  } catch (err) {
    const said = (err as Error).message;
    const several = /names several regions: (.+)$/.exec(said);
    throw refusal(
      BadRequestException,
      `region "${text}": ${said}`,
      several
        ? `地区“${text}”对应多个地区（${several[1]}），请填写 6 位行政区划代码`
        : `地区“${text}”：规则中没有这个地区（请填 6 位行政区划代码，或规则中列出的地区名称）`,
    );
  }
}

export function parseYearParam(value: unknown): number | null {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value).trim();
  if (!/^\d{4}$/.test(text))
    throw refusal(
      BadRequestException,
      `year "${text}": expected a four-digit fiscal year`,
      `年度“${text}”：应为四位数年份`,
    );
  return Number(text);
}

export function parseIdParam(name: string, value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  const text = String(value).trim();
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(text))
    throw refusal(BadRequestException, `${name} "${text}": not an evaluation id`, `“${text}”不是评价编号`);
  return text;
}
