/**
 * Text built piece by piece straight into UTF-8 bytes outside the JavaScript heap: for a bulk path's large output
 * (a re-scoring chunk's event, a thousand items of JSON) that lives until the chunk is written. Kept as strings,
 * each piece would survive the young generation's collections and be copied twice (into the survivor space, then
 * into the old generation), then joined (one copy more) and measured and encoded again by the driver; written here,
 * each piece's string dies young and the bytes go to the database as they are.
 *
 * The separator goes between pieces (none before the first). A Buffer bound as a parameter travels to PostgreSQL in
 * binary format, which for `text` is the UTF-8 bytes themselves.
 */
export class Utf8Text {
  private buffer: Buffer;
  private length = 0;
  private pieces = 0;
  private readonly separator: string;

  constructor(separator = '', initialBytes = 64 * 1024) {
    this.separator = separator;
    this.buffer = Buffer.allocUnsafe(Math.max(16, initialBytes));
  }

  /** How many pieces were appended. */
  get count(): number {
    return this.pieces;
  }

  /** Bytes written so far. */
  get byteLength(): number {
    return this.length;
  }

  append(piece: string): this {
    const sep = this.pieces > 0 ? this.separator : '';
    // a UTF-16 code unit takes at most 3 bytes (a surrogate pair, two units, takes 4)
    this.reserve(3 * (sep.length + piece.length));
    if (sep) this.length += this.buffer.write(sep, this.length, 'utf8');
    this.length += this.buffer.write(piece, this.length, 'utf8');
    this.pieces += 1;
    return this;
  }

  /** The text as UTF-8: `prefix`, the pieces with their separators, `suffix` (a fresh Buffer of exactly that). */
  toBuffer(prefix = '', suffix = ''): Buffer {
    const head = Buffer.from(prefix, 'utf8');
    const tail = Buffer.from(suffix, 'utf8');
    const out = Buffer.allocUnsafe(head.length + this.length + tail.length);
    head.copy(out, 0);
    this.buffer.copy(out, head.length, 0, this.length);
    tail.copy(out, head.length + this.length);
    return out;
  }

  /** The text as a string (tests, and paths that need one). */
  toString(prefix = '', suffix = ''): string {
    return prefix + this.buffer.toString('utf8', 0, this.length) + suffix;
  }

  private reserve(bytes: number): void {
    const need = this.length + bytes;
    if (need <= this.buffer.length) return;
    let size = this.buffer.length * 2;
    while (size < need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }
}
