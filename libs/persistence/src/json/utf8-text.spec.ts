import { describe, expect, it } from 'vitest';
import { Utf8Text } from './utf8-text';

describe('Utf8Text', () => {
  it('joins pieces with the separator as UTF-8, prefix and suffix around them', () => {
    const t = new Utf8Text(',');
    for (const piece of ['{"a":"评分"}', '{"b":"😀 \\"q\\""}', '{}']) t.append(piece);
    expect(t.count).toBe(3);
    const text = '[{"a":"评分"},{"b":"😀 \\"q\\""},{}]';
    expect(t.toBuffer('[', ']').equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(t.toString('[', ']')).toBe(text);
    expect(JSON.parse(t.toBuffer('[', ']').toString('utf8'))).toEqual([{ a: '评分' }, { b: '😀 "q"' }, {}]);
    expect(t.byteLength).toBe(Buffer.byteLength(text) - 2);
  });

  it('grows past its first allocation without losing or reordering anything', () => {
    const t = new Utf8Text('\n', 16);
    const pieces = Array.from({ length: 5000 }, (_, i) => `${i}:${'绩效'.repeat(i % 7)}${'x'.repeat(i % 13)}`);
    for (const p of pieces) t.append(p);
    expect(t.toString()).toBe(pieces.join('\n'));
    expect(t.toBuffer().equals(Buffer.from(pieces.join('\n'), 'utf8'))).toBe(true);
  });

  it('is empty until something is appended; an unpaired surrogate becomes U+FFFD as any UTF-8 encoding of it', () => {
    const t = new Utf8Text(',');
    expect(t.toBuffer('[', ']').toString('utf8')).toBe('[]');
    t.append('a\ud800b');
    expect(t.toString()).toBe('a\ufffdb');
    expect(t.count).toBe(1);
  });
});
