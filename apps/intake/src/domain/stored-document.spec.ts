import { describe, expect, it } from 'vitest';
import { decodeDocument, encodeDocument, sha256Of } from './stored-document';

describe('stored documents', () => {
  it('keeps UTF-8 text readable and gives back the same bytes', () => {
    const bytes = Buffer.from('项目支出绩效自评表\n霍邱县', 'utf8');
    const stored = encodeDocument(bytes);
    expect(stored).toEqual({ text: '项目支出绩效自评表\n霍邱县', base64: null });
    expect(decodeDocument({ content_text: stored.text, content_base64: stored.base64 }).equals(bytes)).toBe(true);
  });

  it('keeps GBK text, spreadsheets and NUL bytes as base64, byte for byte', () => {
    for (const bytes of [
      Buffer.from([0xcf, 0xee, 0xc4, 0xbf]),
      Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]),
      Buffer.from('a\u0000b'),
    ]) {
      const stored = encodeDocument(bytes);
      expect(stored.text).toBeNull();
      expect(decodeDocument({ content_text: stored.text, content_base64: stored.base64 }).equals(bytes)).toBe(true);
    }
  });

  it('hashes the bytes', () => {
    expect(sha256Of(Buffer.from('abc'))).toBe(
      'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
