import { describe, expect, it } from 'vitest';
import { BOM, csvCell, toCsv } from './csv';

describe('csv', () => {
  it('starts with a BOM, has a header row and CRLF line ends', () => {
    expect(toCsv(['单位', '总分'], [['霍邱县财政局', 95.16]])).toBe(`${BOM}单位,总分\r\n霍邱县财政局,95.16\r\n`);
  });

  it('quotes commas, quotes and line breaks (RFC 4180)', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell(null)).toBe('');
  });

  it.each(['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx'])('neutralises a formula: %j', (cell) => {
    const out = csvCell(cell);
    expect(out.replace(/^"/, '').startsWith("'")).toBe(true);
  });

  it('keeps ordinary text and numbers as they are', () => {
    expect(csvCell('高标准农田建设项目')).toBe('高标准农田建设项目');
    expect(csvCell(98.5)).toBe('98.5');
    expect(csvCell('=1+1,2')).toBe(`"'=1+1,2"`);
  });
});
