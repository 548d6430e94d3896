import { describe, expect, it } from 'vitest';
import { dateKey, parseValue } from './parse-value';

const NA = ['/', '—', '-', '不适用'];
const p = (s: string) => parseValue(s, NA);

describe('parseValue: what people wrote in a cell', () => {
  it.each([
    ['≥90%', '≥', 90, '%'],
    ['≧90％', '≥', 90, '%'],
    ['>=90%', '≥', 90, '%'],
    ['≦1%', '≤', 1, '%'],
    ['<=5', '≤', 5, null],
    ['＞３个', '>', 3, '个'],
    ['＜10', '<', 10, null],
    ['═7个', '=', 7, '个'],
    ['=7个', '=', 7, '个'],
    ['265.69万元', null, 265.69, '万元'],
    ['100百分比', null, 100, '%'],
    ['95%以上', '≥', 95, '%'],
    ['不低于95%', '≥', 95, '%'],
    ['5%以内', '≤', 5, '%'],
    ['１００％', null, 100, '%'],
    ['1,200人', null, 1200, '人'],
    ['10万元/年', null, 10, '万元/年'],
    ['36', null, 36, null],
  ])('%s → %s %s %s', (text, comparator, value, unit) => {
    expect(p(text)).toMatchObject({ kind: 'number', comparator, value, unit });
  });

  it.each([
    ['2022年12月31日前', 2022, 12, 31, '≤'],
    ['2023年12月', 2023, 12, null, null],
    ['12月底之前', null, 12, null, '≤'],
    ['2022-06-30', 2022, 6, 30, null],
  ])('date %s', (text, year, month, day, comparator) => {
    expect(p(text)).toMatchObject({ kind: 'date', year, month, day, comparator });
  });

  it('a date without a day is the end of its month; without a year, the fiscal year', () => {
    expect(dateKey({ year: 2023, month: 2, day: null }, 2000)).toBe(20230228);
    expect(dateKey({ year: null, month: 12, day: null }, 2022)).toBe(20221231);
  });

  it.each(['达成预期指标', '完成', '有效', '持续推动', '长期', '2022年按时完成', '部分达成预期指标并具有一定效果'])(
    'qualitative phrase %s stays text',
    (text) => expect(p(text).kind).toBe('text'),
  );

  it.each(['/', '—', '－', '不适用'])('%s marks a row not applicable', (text) => expect(p(text).kind).toBe('not-applicable'));

  it('a bare comparator (its number sits in the next column) is recognised', () => {
    expect(p('≥')).toMatchObject({ kind: 'comparator', comparator: '≥' });
    expect(p('不低于')).toMatchObject({ kind: 'comparator', comparator: '≥' });
  });

  it('a comparator word before a phrase without a number stays with the text', () => {
    expect(p('不低于上年水平')).toEqual({ kind: 'text', comparator: '≥', text: '不低于上年水平' });
    expect(p('高于全省平均')).toEqual({ kind: 'text', comparator: '>', text: '高于全省平均' });
    expect(p('有效提升')).toEqual({ kind: 'text', comparator: null, text: '有效提升' });
    // with a digit the same words lead to a number or a date
    expect(p('不低于上年的95%')).toMatchObject({ kind: 'text', comparator: '≥' });
    expect(p('不低于95%')).toMatchObject({ kind: 'number', comparator: '≥', value: 95 });
    expect(p('不晚于12月底')).toMatchObject({ kind: 'text' });
  });

  it('empty and missing cells are empty', () => {
    expect(p('').kind).toBe('empty');
    expect(parseValue(null, NA).kind).toBe('empty');
    expect(p('  ').kind).toBe('empty');
  });
});
