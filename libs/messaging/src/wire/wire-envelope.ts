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
 * How the relay sends every other payload: its JSON text as the outbox stores it, carried as a string. The relay
 * neither parses it nor has BullMQ serialise the parsed object again — BullMQ's JSON escapes the string instead.
 * For a scored result with its explanations (~10,000 characters) that is ~37 µs instead of ~126 µs of the relay's
 * CPU (parse, then stringify the object graph); the consumer parses the job's JSON, then the payload's, in about
 * the time it took to parse the job with the payload nested in it (~72 vs ~70 µs). Envelopes whose payload is
 * an object (no `payloadEncoding`: jobs sent before, or added by hand) are read as they are.
 */
export const JSON_TEXT = 'json';

/**
 * Payloads whose JSON is at least this many characters travel gzip-compressed (default 64 KiB): a re-scoring
 * chunk's event (~1.3 MB for 1,000 evaluations) shrinks about five times, and BullMQ copies a job's data several
 * times on its way to Redis — once per queue — and Redis keeps completed jobs for an hour. Small events, the
 * usual kind, travel as JSON text.
 */
export const DEFAULT_COMPRESS_FROM = 64 * 1024;

export type PayloadEncoding = typeof GZIP_BASE64 | typeof JSON_TEXT;

/** An envelope as a BullMQ job carries it: `payload` is the payload itself, or encoded as `payloadEncoding` says. */
export type WireEnvelope = Omit<EventEnvelopeBase, 'payload'> & { payload: unknown; payloadEncoding?: PayloadEncoding };

/**
 * The job data for an event whose payload is the JSON text `payloadJson` (as the outbox stores it): compressed from
 * `compressFrom` characters on, else the text as it is (neither is parsed here: a payload that is not JSON — only
 * a hand-edited outbox row can hold one — is refused by its consumers, by event).
 */
export async function toWire(
  meta: Omit<EventEnvelopeBase, 'payload'>,
  payloadJson: string,
  compressFrom = DEFAULT_COMPRESS_FROM,
): Promise<WireEnvelope> {
  if (payloadJson.length < compressFrom) return { ...meta, payloadEncoding: JSON_TEXT, payload: payloadJson };
  return { ...meta, payloadEncoding: GZIP_BASE64, payload: await compressPayload(payloadJson) };
}

/** A payload's JSON (text or UTF-8 bytes) as `gzip+base64` (compressed off the event loop). */
export async function compressPayload(payloadJson: string | Buffer): Promise<string> {
  const bytes = typeof payloadJson === 'string' ? Buffer.from(payloadJson, 'utf8') : payloadJson;
  // level 3: as fast as level 1 on a chunk event (~8 ms for 1.3 MB) and 7% smaller; level 6 takes twice as long
  return (await gzipAsync(bytes, { level: 3 })).toString('base64');
}

/** The JSON text of a `gzip+base64` payload (throws WireEncodingError when it is not one). */
export async function decompressPayload(payload: string): Promise<string> {
  try {
    return (await gunzipAsync(Buffer.from(payload, 'base64'))).toString('utf8');
  } catch (err) {
    throw new WireEncodingError(`payload is not ${GZIP_BASE64}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * About how many characters of a job's JSON an event whose payload's JSON has `payloadChars` characters takes as
 * JSON text: the payload escaped as a string (a backslash before each of its quotes: 15–16% more characters for a
 * scored result with its explanations, 18–20% for a received evaluation; a quarter allows for more quotes) and the
 * envelope around it.
 */
export function wireChars(payloadChars: number): number {
  return Math.ceil(payloadChars * 1.25) + ENVELOPE_CHARS;
}

/** About what an envelope adds to its payload in a job (id, name, producer, time, encoding, a usual correlation id). */
const ENVELOPE_CHARS = 340;

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

/** Whether job data carries a payload that only `fromWire` can decode (off the event loop): a compressed one. */
export function isCompressed(data: unknown): boolean {
  return isEncoded(data) && data.payloadEncoding === GZIP_BASE64;
}

/**
 * Job data as an envelope to validate, decoded at once: a JSON-text payload parsed, a plain one returned as it is
 * (the envelope schema judges it). Throws WireEncodingError for a payload that is not JSON text, for an unknown
 * encoding, and for a compressed one (`fromWire` decodes those).
 */
export function fromWireSync(data: unknown): unknown {
  if (!isEncoded(data)) return data;
  const { payloadEncoding, payload, ...meta } = data as WireEnvelope;
  if (payloadEncoding === JSON_TEXT) {
    if (typeof payload !== 'string') throw new WireEncodingError(`payloadEncoding ${JSON_TEXT} with a payload that is not a string`);
    return { ...meta, payload: parsePayload(payload, 'payload') };
  }
  if (payloadEncoding === GZIP_BASE64) throw new WireEncodingError(`payloadEncoding ${GZIP_BASE64} is decoded asynchronously (fromWire)`);
  throw new WireEncodingError(
    `unknown payloadEncoding ${JSON.stringify(payloadEncoding)} (expected "${JSON_TEXT}" or "${GZIP_BASE64}")`,
  );
}

/** Job data as an envelope to validate, any encoding decoded (see `fromWireSync`; a compressed payload is unzipped off the event loop). */
export async function fromWire(data: unknown): Promise<unknown> {
  if (!isCompressed(data)) return fromWireSync(data);
  const { payloadEncoding: _, payload, ...meta } = data as WireEnvelope;
  if (typeof payload !== 'string') throw new WireEncodingError(`payloadEncoding ${GZIP_BASE64} with a payload that is not a string`);
  return { ...meta, payload: parsePayload(await decompressPayload(payload), 'compressed payload') };
}

function parsePayload(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new WireEncodingError(`${what} is not JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}
