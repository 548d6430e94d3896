import { describe, expect, it } from 'vitest';
import { BufferReader } from 'pg-protocol/dist/buffer-reader';
import { decodeUtf8, installPgTextDecoding, pgTextDecodingInstalled } from './pg-text-decoding';

const samples: Record<string, string> = {
  'short Chinese': '自评总分',
  'long Chinese with ASCII and reserved characters': `验收合格率${'\ue000'}≥90%${'\ue001'}95.77%产出指标质量指标，部分工作延后；`.repeat(40),
  'long ASCII': '{"formType":"department","region":"320581"}'.repeat(40),
  'surrogate pairs (4-byte UTF-8)': '达成 😀 𠀀 目标 '.repeat(60),
  'accents and symbols': 'é ü ß ≧ ≦ ═ — （） ¥'.repeat(60),
  'exactly at the threshold': 'ab'.padEnd(254, 'x') + '值',
};

describe('decodeUtf8', () => {
  for (const [name, text] of Object.entries(samples)) {
    it(`gives what toString gives: ${name}`, () => {
      const bytes = Buffer.from(text, 'utf8');
      expect(decodeUtf8(bytes)).toBe(text);
      expect(decodeUtf8(bytes)).toBe(bytes.toString('utf8'));
    });
  }

  it('decodes malformed bytes as toString does (U+FFFD replacements), long or short', () => {
    const good = Buffer.from('自评总分与各项之和不一致'.repeat(30), 'utf8');
    for (const bad of [
      Buffer.concat([good, Buffer.from([0xe8, 0x87])]), // truncated sequence at the end
      Buffer.concat([Buffer.from([0xff, 0xfe]), good]), // bytes that never occur in UTF-8
      Buffer.concat([good.subarray(0, 301), good.subarray(302)]), // a sequence cut in the middle
      Buffer.from([0xed, 0xa0, 0x80, ...good]), // an encoded surrogate
      Buffer.from([0xc0, 0xaf]), // overlong, short
    ]) {
      expect(decodeUtf8(bad)).toBe(bad.toString('utf8'));
    }
  });
});

describe('installPgTextDecoding', () => {
  it("puts decodeUtf8 behind pg-protocol's reader, which still reads fields in sequence", () => {
    expect(pgTextDecodingInstalled()).toBe(false);
    expect(installPgTextDecoding()).toBe(true);
    expect(pgTextDecodingInstalled()).toBe(true);
    expect(installPgTextDecoding()).toBe(true); // once per process
    const long = samples['long Chinese with ASCII and reserved characters'];
    const fields = ['id-1', long, samples['surrogate pairs (4-byte UTF-8)'], '', samples['long ASCII'], '尾'];
    const parts = fields.map((f) => Buffer.from(f, 'utf8'));
    const reader = new BufferReader();
    reader.setBuffer(3, Buffer.concat([Buffer.from('xyz'), ...parts, Buffer.from('!')]));
    for (let i = 0; i < fields.length; i++) expect(reader.string(parts[i].length)).toBe(fields[i]);
    expect(reader.byte()).toBe('!'.charCodeAt(0));
  });
});
