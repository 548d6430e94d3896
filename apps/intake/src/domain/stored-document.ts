import { createHash } from 'node:crypto';
import { TextDecoder } from 'node:util';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function sha256Of(content: Buffer): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** Text when the bytes are exactly valid UTF-8 without NUL (PostgreSQL text cannot hold one), else base64. */
export function encodeDocument(content: Buffer): { text: string | null; base64: string | null } {
  try {
    const text = strictUtf8.decode(content);
    if (!text.includes('\u0000') && Buffer.from(text, 'utf8').equals(content)) return { text, base64: null };
  } catch {
    // not UTF-8 (GBK text, a spreadsheet): keep the bytes
  }
  return { text: null, base64: content.toString('base64') };
}

export function decodeDocument(row: { content_text: string | null; content_base64: string | null }): Buffer {
  return row.content_text !== null
    ? Buffer.from(row.content_text, 'utf8')
    : Buffer.from(row.content_base64 ?? '', 'base64');
}

/** A row of intake_documents: sha256, size, text or base64, created at. */
export function documentRow(content: Buffer, now: string): unknown[] {
  const { text, base64 } = encodeDocument(content);
  return [sha256Of(content), content.length, text, base64, now];
}
