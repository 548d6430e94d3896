import { describe, expect, it } from 'vitest';
import { fromWire, GZIP_BASE64, toWire, WireEncodingError } from './wire-envelope';

const meta = { id: 'scoring-7', name: 'scoring.evaluations.rescored.v1', producer: 'scoring', occurredAt: '2024-04-01T00:00:00.000Z', correlationId: 'run_1' };
const payload = { runId: 'run_1', items: Array.from({ length: 50 }, (_, i) => ({ evaluationId: `ev_${i}`, grade: '良', reasons: ['执行率 "低" \\ 说明'] })) };

describe('wire envelope', () => {
  it('sends a payload below the threshold as plain JSON, one at or above it gzip-compressed; both decode to the payload', async () => {
    const json = JSON.stringify(payload);
    const plain = await toWire(meta, json, json.length + 1);
    expect(plain).toEqual({ ...meta, payload });
    const packed = await toWire(meta, json, json.length);
    expect(packed).toMatchObject({ ...meta, payloadEncoding: GZIP_BASE64 });
    expect(typeof packed.payload).toBe('string');
    expect((packed.payload as string).length).toBeLessThan(json.length / 3);
    expect(await fromWire(packed)).toEqual({ ...meta, payload });
    expect(await fromWire(plain)).toBe(plain);
  });

  it('refuses an unknown encoding, corrupt data and compressed text that is not JSON', async () => {
    await expect(fromWire({ ...meta, payloadEncoding: 'br', payload: 'x' })).rejects.toThrow(/unknown payloadEncoding "br"/);
    await expect(fromWire({ ...meta, payloadEncoding: GZIP_BASE64, payload: 42 })).rejects.toThrow(WireEncodingError);
    await expect(fromWire({ ...meta, payloadEncoding: GZIP_BASE64, payload: 'bm90IGd6aXA=' })).rejects.toThrow(/not gzip\+base64/);
    const notJson = await toWire(meta, '{"a":', 0).catch((e) => e);
    expect(notJson).toMatchObject({ payloadEncoding: GZIP_BASE64 }); // compressed as it is: the consumer judges it
    await expect(fromWire(notJson)).rejects.toThrow(/compressed payload is not JSON/);
    await expect(toWire(meta, '{"a":', 1000)).rejects.toThrow(SyntaxError);
  });
});
