import { z } from 'zod';

const ZH = z.locales.zhCN();

const TYPE_ZH: Record<string, string> = {
  string: '文字',
  number: '数字',
  boolean: '是或否',
  object: '对象（{…}）',
  array: '列表（[…]）',
  null: '空值',
};

/** A JSON type as the staff call it (文字, 数字, 列表 …). */
export const typeZh = (type: string): string => TYPE_ZH[type] ?? type;

/**
 * A schema issue in Chinese, for the people who fix the input (a unit's JSON form, a bureau's rule file): a missing
 * field or a wrong type said plainly, anything else in zod's zh-CN locale, told the value it judged (`data` is the
 * whole input the issue's path points into); a schema's own message (`custom`) as the schema wrote it.
 */
export function zodIssueZh(issue: z.core.$ZodIssue, data: unknown): string {
  if (issue.code === 'custom') return issue.message;
  const input = issue.path.reduce<unknown>(
    (at, key) => (at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined),
    data,
  );
  if (issue.code === 'invalid_type') {
    if (input === undefined) return `缺少此项（应为${typeZh(issue.expected)}）`;
    const got = input === null ? 'null' : Array.isArray(input) ? 'array' : typeof input;
    return `应为${typeZh(issue.expected)}，实为${typeZh(got)}`;
  }
  if (issue.code === 'unrecognized_keys') return `不认识的字段：${issue.keys.join('、')}`;
  const said = ZH.localeError({ ...issue, input } as Parameters<typeof ZH.localeError>[0]);
  return typeof said === 'string' ? said : (said?.message ?? issue.message);
}

const JSON_ERRORS_ZH: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^Expected double-quoted property name/, () => '此处应为带双引号的字段名（多余的逗号？）'],
  [/^Expected ':' after property name/, () => '字段名后缺少冒号'],
  [/^Expected ',' or '([\]}])' after (?:array element|property value)/, (m) => `此处缺少逗号或 ${m[1]}`],
  [/^Bad control character in string literal/, () => '文字中含有控制字符（如未转义的换行）'],
  [/^Bad escaped character/, () => '文字中含有无效的转义符'],
  [/^Unterminated string/, () => '文字缺少结尾的双引号'],
  [/^Unexpected end of JSON input/, () => '内容不完整（提前结束）'],
  [/^Unexpected non-whitespace character after JSON/, () => 'JSON 结束后还有多余内容'],
  [/^Unexpected token '(.+?)'/, (m) => `不应出现的字符 ${m[1]}`],
  [/^Unexpected (number|string)/, (m) => `不应出现的${m[1] === 'number' ? '数字' : '文字'}`],
];

/** Node's JSON.parse message (position already taken out, or not) in Chinese; one it does not know, as it is. */
export function jsonSyntaxZh(message: string): string {
  for (const [pattern, say] of JSON_ERRORS_ZH) {
    const m = pattern.exec(message);
    if (m) return say(m);
  }
  return message;
}
