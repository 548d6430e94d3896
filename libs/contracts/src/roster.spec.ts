import { describe, expect, it } from 'vitest';
import { unitKey, unitsFromText } from './roster';

describe('unitsFromText', () => {
  it('reads a pasted column: a unit a line, blank lines and spaces around left out', () => {
    expect(unitsFromText('灵寿县人民政府办公室\r\n\n  灵寿县财政局 \n灵寿县教育局')).toEqual([
      '灵寿县人民政府办公室',
      '灵寿县财政局',
      '灵寿县教育局',
    ]);
  });

  it('skips a header line and a running-number column, pasted from Excel (tabs) or saved as CSV', () => {
    const pasted = '序号\t单位名称\t备注\n1\t灵寿县人民政府办公室\t本级\n2\t灵寿县财政局\t';
    expect(unitsFromText(pasted)).toEqual(['灵寿县人民政府办公室', '灵寿县财政局']);
    const csv = '\uFEFF序号,单位名称\n1,"灵寿县人民政府办公室"\n2.,灵寿县财政局\n3,"灵寿县""一办"",二办"\n';
    expect(unitsFromText(csv, { csv: true })).toEqual(['灵寿县人民政府办公室', '灵寿县财政局', '灵寿县"一办",二办']);
    expect(unitsFromText('单位名称\n灵寿县财政局')).toEqual(['灵寿县财政局']);
  });

  it('does not split a pasted name at a comma', () => {
    expect(unitsFromText('灵寿县教育局（含幼儿园,小学）\n灵寿县财政局，国库')).toEqual([
      '灵寿县教育局（含幼儿园,小学）',
      '灵寿县财政局，国库',
    ]);
  });

  it('keeps a unit whose name merely contains a header word, and a header word after the first unit', () => {
    expect(unitsFromText('灵寿县财政局\n名称\n单位名称管理办公室')).toEqual([
      '灵寿县财政局',
      '名称',
      '单位名称管理办公室',
    ]);
  });

  it('reads nothing from a list of numbers or blanks', () => {
    expect(unitsFromText('1\n2\n\n  \n')).toEqual([]);
  });
});

describe('unitKey', () => {
  it('matches spellings that differ only in spaces, full-width forms and brackets', () => {
    expect(unitKey('灵寿县 人民政府办公室')).toBe(unitKey('灵寿县人民政府办公室'));
    expect(unitKey('灵寿县教育局（本级）')).toBe(unitKey('灵寿县教育局(本级)'));
    expect(unitKey('ＡＢＣ　中学')).toBe(unitKey('ABC中学'));
    expect(unitKey('灵寿县教育局')).not.toBe(unitKey('灵寿县教育体育局'));
  });
});
