import { Command } from 'ioredis';
import { decodeUtf8 } from '@jixiao/persistence';

/**
 * Redis replies decoded with `decodeUtf8` (libs/persistence: ICU's converter for long non-ASCII text) instead of
 * V8's UTF-8 decoder.
 *
 * ioredis turns every bulk string of a reply into a string with `buffer.toString()`. BullMQ's worker receives each
 * job's data that way (the reply of the script that moves a job to active or finished carries the next job), and an
 * event's data is mostly Chinese: a review inbox job of ten scored events is ~115 KB of UTF-8. V8's decoder takes
 * ~2.2 ns a byte for such text, ICU's ~0.4 (see pg-text-decoding.ts); in the pipeline bench that decoding was ~6% of
 * the scoring/review/publication process's CPU profile.
 *
 * The result is the same string (`decodeUtf8` keeps V8's decoder for short, ASCII and malformed input); replies in
 * another encoding, and commands that ask for Buffers (no reply encoding), are left to ioredis.
 */

type TransformReply = (this: CommandShape, result: unknown) => unknown;
interface CommandShape {
  replyEncoding?: BufferEncoding | null;
}

/** A reply with every Buffer in it decoded as UTF-8 (arrays copied, nested arrays too), as ioredis's own conversion. */
export function decodeReply(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return decodeUtf8(value);
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = decodeReply(value[i]);
    return out;
  }
  return value;
}

let installed: boolean | undefined;
let patched: TransformReply | undefined;

/** Whether ioredis decodes replies through `decodeReply` in this process (see installRedisTextDecoding). */
export function redisTextDecodingInstalled(): boolean {
  return patched !== undefined && (Command.prototype as unknown as { transformReply: unknown }).transformReply === patched;
}

/**
 * Makes ioredis decode UTF-8 replies with `decodeReply` (once per process; true when in place). The public `Command`
 * class's `transformReply(result)` turns a reply's Buffers into strings when the command has a reply encoding, then
 * applies the command's reply transformer; the patch decodes the Buffers first and hands ioredis's own method a
 * reply with none left (its conversion then copies the arrays and changes nothing). If a future version no longer
 * behaves like that on a probe, nothing is changed.
 */
export function installRedisTextDecoding(): boolean {
  if (installed !== undefined) return installed;
  const proto = Command?.prototype as unknown as { transformReply?: TransformReply } | undefined;
  const original = proto?.transformReply;
  if (!proto || typeof original !== 'function') return (installed = false);
  const probe = new Command('get', ['k'], { replyEncoding: 'utf8' }) as unknown as CommandShape & { transformReply: TransformReply };
  const reply = probe.transformReply([Buffer.from('ok'), [Buffer.from('好')]]);
  if (probe.replyEncoding !== 'utf8' || JSON.stringify(reply) !== '["ok",["好"]]') return (installed = false);
  proto.transformReply = patched = function transformReply(this: CommandShape, result: unknown): unknown {
    return original.call(this, this.replyEncoding === 'utf8' ? decodeReply(result) : result);
  };
  return (installed = true);
}
