import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { EventEnvelopeBase } from '@jixiao/contracts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/**
 * How a payload travels when it is not plain JSON: gzip of its JSON (UTF-8), in base64. The envelope's other
 * fields stay readable (in the dashboard too); consumers decode before validating, so handlers never see it.
 */
export const GZIP_BASE64 = 'gzip+base64';

/**
 * Payloads whose JSON is at least this many characters travel gzip-compressed (default 64 KiB): a re-scoring
 * chunk's event (~1.3 MB for 1,000 evaluations) shrinks about five times, and BullMQ copies a job's data several
 * times on its way to Redis — once per queue — and Redis keeps completed jobs for an hour. Small events, the
 * usual kind, stay plain.
 */
export const DEFAULT_COMPRESS_FROM = 64 * 1024;

/** An envelope as a BullMQ job carries it: `payload` is the payload itself, or encoded as `payloadEncoding` says. */
export type WireEnvelope = Omit<EventEnvelopeBase, 'payload'> & { payload: unknown; payloadEncoding?: typeof GZIP_BASE64 };

/**
 * The job data for an event whose payload is the JSON text `payloadJson` (as the outbox stores it): compressed from
 * `compressFrom` characters on (no parse and re-serialisation of a large payload on the way); below it, parsed
 * (throws SyntaxError on invalid JSON).
 */
export async function toWire(
  meta: Omit<EventEnvelopeBase, 'payload'>,
  payloadJson: string,
  compressFrom = DEFAULT_COMPRESS_FROM,
): Promise<WireEnvelope> {
  if (payloadJson.length < compressFrom) return { ...meta, payload: JSON.parse(payloadJson) };
  // level 3: as fast as level 1 on a chunk event (~8 ms for 1.3 MB) and 7% smaller; level 6 takes twice as long
  const zipped = await gzipAsync(Buffer.from(payloadJson, 'utf8'), { level: 3 });
  return { ...meta, payloadEncoding: GZIP_BASE64, payload: zipped.toString('base64') };
}

/**
 * Several events in one job, handled in order: the relay's usual job when a pass has more than one event for a
 * queue. BullMQ spends about as much on a job (adding it, moving it to active and to finished, each a Lua script
 * and a round trip to Redis) as a consumer spends handling a small event, so one job per pass instead of one per
 * event takes most of that off every service. Each element is an envelope as a single-event job carries it.
 */
export interface WireBatch {
  events: WireEnvelope[];
}

/** The job name of a batch (a single event's job is named after the event). */
export const BATCH_JOB_NAME = 'events';

/** Whether job data is a batch of events. */
export function isBatch(data: unknown): data is WireBatch {
  return typeof data === 'object' && data !== null && Array.isArray((data as { events?: unknown }).events);
}

/** The envelopes a job carries, in order: a batch's events, or the job's own event. */
export function envelopesOf(data: WireEnvelope | WireBatch): WireEnvelope[] {
  return isBatch(data) ? data.events : [data];
}

/** Thrown for job data whose payload cannot be decoded (unknown encoding, corrupt data, invalid JSON). */
export class WireEncodingError extends Error {}

/** Whether job data carries an encoded payload (`payloadEncoding` set). */
export function isEncoded(data: unknown): data is WireEnvelope & { payloadEncoding: string } {
  return typeof data === 'object' && data !== null && 'payloadEncoding' in data;
}

/**
 * Job data as an envelope to validate: an encoded payload decoded, anything else returned as it is (the envelope
 * schema judges it).
 */
export async function fromWire(data: unknown): Promise<unknown> {
  if (!isEncoded(data)) return data;
  const { payloadEncoding, payload, ...meta } = data as WireEnvelope;
  if (payloadEncoding !== GZIP_BASE64)
    throw new WireEncodingError(`unknown payloadEncoding ${JSON.stringify(payloadEncoding)} (expected "${GZIP_BASE64}")`);
  if (typeof payload !== 'string') throw new WireEncodingError(`payloadEncoding ${GZIP_BASE64} with a payload that is not a string`);
  let text: string;
  try {
    text = (await gunzipAsync(Buffer.from(payload, 'base64'))).toString('utf8');
  } catch (err) {
    throw new WireEncodingError(`payload is not ${GZIP_BASE64}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return { ...meta, payload: JSON.parse(text) };
  } catch (err) {
    throw new WireEncodingError(`compressed payload is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
