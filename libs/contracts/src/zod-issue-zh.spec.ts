import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { jsonSyntaxZh, zodIssueZh } from './zod-issue-zh';

const parseError = (text: string) => {
  try {
    JSON.parse(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('parsed');
};

describe('input errors in Chinese', () => {
  it('says what is wrong with a JSON text, for each kind of syntax error Node reports', () => {
    const cases: Array<[string, string]> = [
      ['{\n"a":1,\n}', '此处应为带双引号的字段名（多余的逗号？）'],
      ['{"a" 1}', '字段名后缺少冒号'],
      ['[1,2', '此处缺少逗号或 ]'],
      ['{"a":1 "b":2}', '此处缺少逗号或 }'],
      ['{"a":"x\ny"}', '文字中含有控制字符（如未转义的换行）'],
      ['', '内容不完整（提前结束）'],
      ['{"a":1}}', 'JSON 结束后还有多余内容'],
      ['abc', '不应出现的字符 a'],
    ];
    for (const [text, zh] of cases) expect(jsonSyntaxZh(parseError(text)), JSON.stringify(text)).toBe(zh);
    expect(jsonSyntaxZh('something new')).toBe('something new');
  });

  it('says a schema issue plainly: missing, wrong type, unknown field, bad option; a schema’s own words kept', () => {
    const schema = z.strictObject({
      name: z.string(),
      weight: z.number(),
      level: z.enum(['county', 'city']),
      total: z.number().refine((n) => n <= 100, '总分不能超过 100'),
    });
    const data = { weight: '十', level: 'town', total: 120, colour: 'red' };
    const said = schema.safeParse(data).error!.issues.map((i) => `${i.path.join('.') || '$'}：${zodIssueZh(i, data)}`);
    expect(said).toEqual([
      'name：缺少此项（应为文字）',
      'weight：应为数字，实为文字',
      'level：无效选项：期望以下之一 "county"|"city"',
      'total：总分不能超过 100',
      '$：不认识的字段：colour',
    ]);
  });
});
