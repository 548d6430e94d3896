import IORedis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_REDIS_URL } from '../testing/test-redis';
import { decodeReply, installRedisTextDecoding, redisTextDecodingInstalled } from './redis-text-decoding';

const long = `验收合格率≥90%，实际95.77%；产出指标质量指标，部分工作延后 ${'\ue000'} 😀 𠀀 `.repeat(200);
const ascii = '{"formType":"department","region":"320581"}'.repeat(50);

describe('decodeReply', () => {
  it("turns a reply's Buffers into the strings toString gives, at any depth, and leaves the rest", () => {
    const bad = Buffer.concat([Buffer.from(long), Buffer.from([0xe8, 0x87])]);
    const reply = [Buffer.from(long), 7, null, [Buffer.from('短'), [Buffer.from(ascii), bad]], 'already'];
    expect(decodeReply(reply)).toEqual([long, 7, null, ['短', [ascii, bad.toString('utf8')]], 'already']);
    expect(decodeReply(Buffer.from(long))).toBe(long);
    expect(decodeReply(3)).toBe(3);
  });
});

describe('installRedisTextDecoding, on the real Redis', () => {
  let redis: IORedis;
  const key = `jixiao-test:text-decoding:${process.pid}`;

  beforeAll(async () => {
    expect(redisTextDecodingInstalled()).toBe(false);
    expect(installRedisTextDecoding()).toBe(true);
    expect(installRedisTextDecoding()).toBe(true); // once per process
    expect(redisTextDecodingInstalled()).toBe(true);
    redis = new IORedis(TEST_REDIS_URL, { maxRetriesPerRequest: 3 });
    redis.defineCommand('jixiaoEcho', { numberOfKeys: 1, lua: "return {redis.call('GET', KEYS[1]), {ARGV[1], tonumber(ARGV[2])}}" });
  });
  afterAll(async () => {
    await redis.del(key, `${key}:h`);
    redis.disconnect();
  });

  it('gives the same strings for long Chinese, ASCII and short replies, in plain commands, scripts and pipelines', async () => {
    await redis.set(key, long);
    expect(await redis.get(key)).toBe(long);
    await redis.hset(`${key}:h`, { data: long, name: '评分', opts: ascii });
    expect(await redis.hgetall(`${key}:h`)).toEqual({ data: long, name: '评分', opts: ascii });
    const echo = (redis as unknown as { jixiaoEcho(k: string, a: string, n: number): Promise<unknown> }).jixiaoEcho(key, long, 5);
    expect(await echo).toEqual([long, [long, 5]]);
    const results = await redis.pipeline().get(key).hget(`${key}:h`, 'name').exec();
    expect(results).toEqual([
      [null, long],
      [null, '评分'],
    ]);
  });

  it('leaves replies asked for as Buffers alone', async () => {
    const bytes = await redis.getBuffer(key);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(bytes!.equals(Buffer.from(long))).toBe(true);
  });
});
