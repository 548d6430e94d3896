import { describe, expect, it } from 'vitest';
import { fromWire, fromWireSync, GZIP_BASE64, isCompressed, JSON_TEXT, toWire, WireEncodingError, wireChars } from './wire-envelope';

const meta = { id: 'scoring-7', name: 'scoring.evaluations.rescored.v1', producer: 'scoring', occurredAt: '2024-04-01T00:00:00.000Z', correlationId: 'run_1' };
const payload = { runId: 'run_1', items: Array.from({ length: 50 }, (_, i) => ({ evaluationId: `ev_${i}`, grade: '良', reasons: ['执行率 "低" \\ 说明'] })) };

describe('wire envelope', () => {
  it('sends a payload below the threshold as its JSON text, one at or above it gzip-compressed; both decode to the payload', async () => {
    const json = JSON.stringify(payload);
    const text = await toWire(meta, json, json.length + 1);
    expect(text).toEqual({ ...meta, payloadEncoding: JSON_TEXT, payload: json }); // the text as stored, not re-serialised
    expect(isCompressed(text)).toBe(false);
    expect(fromWireSync(text)).toEqual({ ...meta, payload });
    // through a job's JSON (what BullMQ stores and hands back) it arrives the same
    expect(fromWireSync(JSON.parse(JSON.stringify(text)))).toEqual({ ...meta, payload });
    const packed = await toWire(meta, json, json.length);
    expect(packed).toMatchObject({ ...meta, payloadEncoding: GZIP_BASE64 });
    expect(isCompressed(packed)).toBe(true);
    expect(typeof packed.payload).toBe('string');
    expect((packed.payload as string).length).toBeLessThan(json.length / 3);
    expect(await fromWire(packed)).toEqual({ ...meta, payload });
    expect(await fromWire(text)).toEqual({ ...meta, payload });
  });

  it('reads an envelope whose payload is an object (no encoding: jobs sent before, or added by hand) as it is', async () => {
    const plain = { ...meta, payload };
    expect(fromWireSync(plain)).toBe(plain);
    expect(await fromWire(plain)).toBe(plain);
    expect(fromWireSync('not an envelope')).toBe('not an envelope'); // the envelope schema judges it
  });

  it('reckons a job’s characters for a JSON-text payload at no less than the escaped text takes', () => {
    const json = JSON.stringify(payload); // quotes in almost every other word: more than a scored result has
    const job = JSON.stringify({ ...meta, payloadEncoding: JSON_TEXT, payload: json });
    expect(wireChars(json.length)).toBeGreaterThanOrEqual(job.length * 0.95);
  });

  it('refuses an unknown encoding, corrupt data, and text that is not JSON, compressed or not', async () => {
    await expect(fromWire({ ...meta, payloadEncoding: 'br', payload: 'x' })).rejects.toThrow(/unknown payloadEncoding "br"/);
    expect(() => fromWireSync({ ...meta, payloadEncoding: 'br', payload: 'x' })).toThrow(/unknown payloadEncoding "br"/);
    await expect(fromWire({ ...meta, payloadEncoding: GZIP_BASE64, payload: 42 })).rejects.toThrow(WireEncodingError);
    await expect(fromWire({ ...meta, payloadEncoding: GZIP_BASE64, payload: 'bm90IGd6aXA=' })).rejects.toThrow(/not gzip\+base64/);
    expect(() => fromWireSync({ ...meta, payloadEncoding: GZIP_BASE64, payload: 'bm90IGd6aXA=' })).toThrow(/asynchronously/);
    expect(() => fromWireSync({ ...meta, payloadEncoding: JSON_TEXT, payload: { a: 1 } })).toThrow(/not a string/);
    const notJson = await toWire(meta, '{"a":', 0);
    expect(notJson).toMatchObject({ payloadEncoding: GZIP_BASE64 }); // compressed as it is: the consumer judges it
    await expect(fromWire(notJson)).rejects.toThrow(/compressed payload is not JSON/);
    const notJsonText = await toWire(meta, '{"a":', 1000);
    expect(notJsonText).toMatchObject({ payloadEncoding: JSON_TEXT, payload: '{"a":' });
    expect(() => fromWireSync(notJsonText)).toThrow(WireEncodingError);
    expect(() => fromWireSync(notJsonText)).toThrow(/payload is not JSON/);
  });
});
