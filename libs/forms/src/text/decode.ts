import { isUtf8 } from 'node:buffer';
import { DocumentRejectedError } from '../errors';

/** Bytes → text: UTF-8, else GB18030 (common for Chinese government files); binary data is rejected. */
export function decodeText(content: Buffer | string, fileName: string): string {
  if (typeof content === 'string') return checkNotBinary(content, fileName);
  if (content.length === 0) throw new DocumentRejectedError(`${fileName}: empty file`, `${fileName}：文件是空的`);
  if (isUtf8(content)) return checkNotBinary(content.toString('utf8'), fileName);
  for (const encoding of ['gb18030']) {
    try {
      return checkNotBinary(new TextDecoder(encoding, { fatal: true }).decode(content), fileName);
    } catch (err) {
      if (err instanceof DocumentRejectedError) throw err;
    }
  }
  throw new DocumentRejectedError(
    `${fileName}: not text (neither UTF-8 nor GB18030): a binary file cannot be read as a form`,
    `${fileName}：不是文本文件（既不是 UTF-8 也不是 GB18030 编码），无法作为自评表读取`,
  );
}

function checkNotBinary(text: string, fileName: string): string {
  if (text.trim().length === 0)
    throw new DocumentRejectedError(`${fileName}: empty document`, `${fileName}：文件中没有内容`);
  let control = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) control++;
  }
  if (control > 0 && control / text.length > 0.01) {
    throw new DocumentRejectedError(
      `${fileName}: binary data (${control} control characters): not a text document`,
      `${fileName}：含有二进制数据（${control} 个控制字符），不是文本文件`,
    );
  }
  return text;
}
