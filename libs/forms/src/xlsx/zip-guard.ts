import { inflateRawSync } from 'node:zlib';
import { DocumentRejectedError } from '../errors';
import type { Limits } from '../limits';

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * Refuse a zip (xlsx) that would expand past the limits before any library unpacks it: read the central
 * directory's declared sizes, then inflate each entry with a hard output cap so a lying header cannot help.
 */
export function checkZip(buf: Buffer, fileName: string, limits: Limits): void {
  const reject = (why: string, whyZh: string) => {
    throw new DocumentRejectedError(
      `${fileName}: not a readable .xlsx: ${why}`,
      `${fileName}：不是可以读取的 .xlsx 文件：${whyZh}`,
    );
  };
  if (buf.length < 22 || buf.readUInt32LE(0) !== LOCAL)
    reject('not a zip archive', '不是 zip 压缩格式（请用 Excel 另存为 .xlsx）');
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) reject('zip end-of-directory record not found (truncated file?)', '文件不完整（可能上传时被截断）');
  const entries = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (entries === 0xffff || cdOffset === 0xffffffff) reject('zip64 archives are not accepted', '不接受 zip64 格式');
  if (entries > limits.maxZipEntries)
    reject(
      `${entries} entries (limit ${limits.maxZipEntries})`,
      `包含 ${entries} 个部件（上限 ${limits.maxZipEntries} 个）`,
    );
  if (cdOffset + cdSize > buf.length) reject('central directory outside the file', '文件已损坏');
  let p = cdOffset;
  let total = 0;
  for (let n = 0; n < entries; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CENTRAL) reject('corrupt central directory', '文件已损坏');
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    total += size;
    if (total > limits.maxUncompressedBytes) {
      reject(
        `entries expand to more than ${limits.maxUncompressedBytes} bytes (a decompression bomb?)`,
        `解压后超过 ${limits.maxUncompressedBytes} 字节`,
      );
    }
    if (size > 1_000_000 && size / Math.max(compressed, 1) > limits.maxCompressionRatio) {
      reject(
        `entry ${name} compresses ${Math.round(size / Math.max(compressed, 1))}:1 (a decompression bomb?)`,
        `部件 ${name} 的压缩比异常（${Math.round(size / Math.max(compressed, 1))}:1）`,
      );
    }
    if (method === 8) verifyEntry(buf, local, compressed, size, name, reject);
    else if (method !== 0)
      reject(`entry ${name} uses compression method ${method}`, `部件 ${name} 使用了不支持的压缩方式 ${method}`);
    p += 46 + nameLen + extraLen + commentLen;
  }
}

function verifyEntry(
  buf: Buffer,
  local: number,
  compressed: number,
  size: number,
  name: string,
  reject: (why: string, whyZh: string) => never,
): void {
  if (local + 30 > buf.length || buf.readUInt32LE(local) !== LOCAL)
    reject(`entry ${name}: bad local header`, '文件已损坏');
  const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
  if (start + compressed > buf.length)
    reject(`entry ${name} runs past the end of the file`, '文件不完整（可能上传时被截断）');
  try {
    const out = inflateRawSync(buf.subarray(start, start + compressed), { maxOutputLength: Math.max(size, 1) });
    if (out.length !== size)
      reject(`entry ${name} inflates to ${out.length} bytes, not the declared ${size}`, '文件已损坏');
  } catch (err) {
    if (err instanceof DocumentRejectedError) throw err;
    reject(`entry ${name} inflates past its declared ${size} bytes or is corrupt`, '文件已损坏');
  }
}
