import { hasTraditional, toSimplified } from './traditional';

export interface NormalizedText {
  text: string;
  /** Repairs made, for diagnostics. */
  notes: Array<{ message: string; messageZh: string }>;
}

/**
 * Bring the many ways forms are written to one: half-width characters, one glyph per comparator, simplified
 * characters. Line breaks are preserved one for one so line numbers stay those of the source.
 */
export function normalizeText(raw: string): NormalizedText {
  const notes: NormalizedText['notes'] = [];
  let text = raw.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  text = text.normalize('NFKC');
  text = text
    .replace(/[≧]/g, '≥')
    .replace(/[≦]/g, '≤')
    .replace(/[═]/g, '=')
    .replace(/>=|=>/g, '≥')
    .replace(/<=|=</g, '≤')
    .replace(/\\geq?\b/g, '≥')
    .replace(/\\leq?\b/g, '≤')
    .replace(/[\u00A0\u3000]/g, ' ');
  if (hasTraditional(text)) {
    // Only the lines that need it: OpenCC is slow, and most documents carry a stray traditional character or two.
    const simplified = text
      .split('\n')
      .map((line) => (hasTraditional(line) ? toSimplified(line) : line))
      .join('\n');
    if (simplified !== text)
      notes.push({
        message: 'traditional characters converted to simplified (OpenCC)',
        messageZh: '繁体字已转换为简体字',
      });
    text = simplified;
  }
  return { text, notes };
}
