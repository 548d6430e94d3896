import { isAscii, transcode } from 'node:buffer';
import { BufferReader } from 'pg-protocol/dist/buffer-reader';

/**
 * Long non-ASCII text from PostgreSQL decoded through ICU's converter instead of V8's UTF-8 decoder.
 *
 * node-postgres decodes every field of every row with `buffer.toString('utf-8', …)` (pg-protocol's BufferReader).
 * For Chinese text V8's decoder in Node 20 takes ~3 ns a byte: a stored evaluation (~2,700 bytes, ~1,450 characters)
 * costs ~8.7 µs to decode, where converting it to UTF-16 with `buffer.transcode` (ICU) and taking those bytes as
 * they are (`toString('utf16le')`, a copy) costs ~2.0 µs (same evaluations, quiet process). A re-scoring chunk reads a
 * thousand of them; under load that was ~5% of a worker's CPU profile.
 *
 * Only fields of at least MIN_BYTES bytes that are not pure ASCII take that path (short fields and ASCII keep V8's
 * decoder, which is faster for them); the result is the same string, and bytes the converter refuses (never sent by a
 * UTF8 database, but decoded all the same) go back to V8's decoder, whose U+FFFD replacements stay as they were.
 */
const MIN_BYTES = 256;

/** `bytes` as a string, the same as `bytes.toString('utf8')` gives. */
export function decodeUtf8(bytes: Buffer): string {
  if (bytes.length < MIN_BYTES || isAscii(bytes)) return bytes.toString('utf8');
  try {
    return transcode(bytes, 'utf8', 'utf16le').toString('utf16le');
  } catch {
    return bytes.toString('utf8');
  }
}

/** What pg-protocol's reader keeps (its declarations make the fields private). */
interface Reader {
  offset: number;
  buffer: Buffer;
  encoding: string;
  setBuffer(offset: number, buffer: Buffer): void;
  string(length: number): string;
}

let installed: boolean | undefined;
let patched: ((length: number) => string) | undefined;

/** Whether node-postgres reads text through `decodeUtf8` in this process (see installPgTextDecoding). */
export function pgTextDecodingInstalled(): boolean {
  return patched !== undefined && (BufferReader.prototype as unknown as Reader).string === patched;
}

/**
 * Makes node-postgres read text fields with `decodeUtf8` (once per process; true when in place). pg-protocol's reader
 * is a small class whose `string(length)` reads `length` bytes at `offset` as UTF-8 and moves past them; if a future
 * version no longer looks like that, nothing is changed and node-postgres decodes as it always did.
 */
export function installPgTextDecoding(): boolean {
  if (installed !== undefined) return installed;
  // a Node.js built without ICU has no transcode; isAscii came with Node 18.15 / 19.6
  if (typeof transcode !== 'function' || typeof isAscii !== 'function') return (installed = false);
  const proto = BufferReader?.prototype as unknown as Partial<Reader> | undefined;
  const probe = new BufferReader() as unknown as Reader;
  probe.setBuffer(0, Buffer.from('ok'));
  if (!proto || typeof proto.string !== 'function' || probe.string(2) !== 'ok' || probe.offset !== 2 || !Buffer.isBuffer(probe.buffer)) {
    return (installed = false);
  }
  const original = proto.string;
  proto.string = patched = function string(this: Reader, length: number): string {
    if (length < MIN_BYTES || (this.encoding !== 'utf-8' && this.encoding !== 'utf8')) return original.call(this, length);
    const start = this.offset;
    this.offset = start + length;
    return decodeUtf8(this.buffer.subarray(start, start + length));
  };
  return (installed = true);
}
