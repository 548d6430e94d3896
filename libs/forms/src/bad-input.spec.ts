import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CanonicalEvaluationSchema } from '@jixiao/contracts/evaluation/canonical-evaluation.schema';
import { DocumentRejectedError } from './errors';
import { parseDocument } from './parse-document';
import { fixture, FIXTURES, numbersIn, statedNumbers } from './test-support';

/** Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SOURCES = [
  ...readdirSync(join(FIXTURES, 'seeds')).map((f) => `seeds/${f}`),
  ...readdirSync(join(FIXTURES, 'samples')).map((f) => `samples/${f}`),
].map((path) => ({ path, text: fixture(path) }));

type Case = { name: string; content: Buffer | string };
const cases: Case[] = [];
const rand = rng(20240601);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;

for (let k = 0; k < 30; k++) {
  const s = pick(SOURCES);
  const at = Math.floor(rand() * s.text.length);
  cases.push({ name: `truncated ${s.path} at ${at}`, content: s.text.slice(0, at) });
}
for (let k = 0; k < 15; k++) {
  const s = pick(SOURCES);
  const lines = s.text.split('\n');
  for (let i = lines.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  cases.push({ name: `shuffled lines of ${s.path}`, content: lines.join('\n') });
}
for (let k = 0; k < 25; k++) {
  const s = pick(SOURCES);
  const sep = s.text.includes('\t') ? '\t' : ' | ';
  const text = s.text
    .split('\n')
    .map((l) => {
      if (rand() > 0.3) return l;
      const cells = l.split(sep);
      cells.splice(Math.floor(rand() * cells.length), 1);
      return cells.join(sep);
    })
    .join('\n');
  cases.push({ name: `deleted cells in ${s.path}`, content: text });
}
for (let k = 0; k < 10; k++) {
  const s = pick(SOURCES);
  const lines = s.text.split('\n').filter(() => rand() > 0.25);
  cases.push({ name: `deleted lines of ${s.path}`, content: lines.join('\n') });
}
for (let k = 0; k < 10; k++) {
  const bytes = Buffer.alloc(1 + Math.floor(rand() * 5000));
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(rand() * 256);
  cases.push({ name: `random bytes #${k}`, content: bytes });
}
for (let k = 0; k < 6; k++) {
  const s = pick(SOURCES);
  const at = s.text.indexOf('\t', Math.floor(rand() * s.text.length));
  const huge = pick(['9', '|', '\t', '年度资金总额', '1、', '≥']).repeat(60_000);
  cases.push({
    name: `huge cell (${huge.slice(0, 6)}…) in ${s.path}`,
    content: s.text.slice(0, Math.max(at, 0)) + huge + s.text.slice(Math.max(at, 0)),
  });
}
for (let k = 0; k < 6; k++) {
  const s = pick(SOURCES);
  const text = s.text.replace(/\d/g, (d) => (rand() < 0.1 ? String(Math.floor(rand() * 10)) : d));
  cases.push({ name: `digits changed in ${s.path}`, content: text });
}
cases.push({ name: 'empty', content: '' });
cases.push({ name: 'whitespace only', content: ' \n\t\n  ' });
cases.push({ name: 'NUL bytes', content: Buffer.alloc(1000) });
cases.push({ name: 'random Chinese prose', content: '根据要求开展工作，取得良好成效。\n'.repeat(500) });
cases.push({
  name: 'a header and nothing else',
  content: '一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分',
});
cases.push({
  name: 'many numbered lines without figures',
  content: Array.from({ length: 3000 }, (_, i) => `${i}、项目经费`).join('\n'),
});
cases.push({ name: 'a line of 200k pipes', content: '项目名称 | x\n' + '|'.repeat(200_000) });

/** The unit's words: Chinese, not the English message again, and no English sentence left in it. */
function expectChinese(message: string, messageZh: string): void {
  expect(messageZh, message).not.toBe(message);
  expect(messageZh, message).toMatch(/[\u4e00-\u9fff]/);
  expect(messageZh, message).not.toMatch(/\b(the|not|no|row|rows|cell|cells|line|read|found|left out|limit)\b/);
}

describe(`bad-input corpus (${cases.length} mutations of the seeds and samples)`, () => {
  it('has at least 100 cases', () => expect(cases.length).toBeGreaterThanOrEqual(100));

  it.each(cases.map((c) => [c.name, c] as const))(
    '%s: a clear rejection, or figures that are all in the input',
    { timeout: 30_000 },
    (_, c) => {
      let outcome;
      try {
        outcome = parseDocument({ content: c.content, fileName: 'mutant.txt' });
      } catch (err) {
        expect(err).toBeInstanceOf(DocumentRejectedError);
        expect((err as Error).message.length).toBeGreaterThan(10);
        expectChinese((err as DocumentRejectedError).message, (err as DocumentRejectedError).messageZh);
        return;
      }
      expect(outcome.evaluations.length).toBeGreaterThan(0);
      for (const d of outcome.diagnostics) expectChinese(d.message, d.messageZh);
      const text = typeof c.content === 'string' ? c.content : c.content.toString('utf8');
      const present = numbersIn(text);
      for (const e of outcome.evaluations) {
        expect(CanonicalEvaluationSchema.safeParse(e).success).toBe(true);
        for (const n of statedNumbers(e)) expect(present.has(n), `${n} is not written in the input`).toBe(true);
      }
    },
  );
});

describe('size limits', () => {
  it('refuses a file over 10 MB without reading it as a form', () => {
    const seed = fixture('seeds/000_b0ba8ebbf4c4018d.txt');
    const big = seed.repeat(Math.ceil((10.5 * 1024 * 1024) / Buffer.byteLength(seed)));
    expect(() => parseDocument({ content: Buffer.from(big), fileName: 'big.txt' })).toThrow(
      /over the 10485760-byte limit/,
    );
  }, 60_000);

  it('reads a 4 MB document of repeated forms to the end (bounded work per line)', () => {
    const seed = fixture('seeds/003_935000674b579cd0.txt');
    const big = seed.repeat(Math.ceil((4 * 1024 * 1024) / Buffer.byteLength(seed)));
    const { evaluations } = parseDocument({ content: big, fileName: 'big.txt' });
    expect(evaluations.length).toBeGreaterThan(100);
    expect(evaluations.every((e) => e.reported?.total === 96)).toBe(true);
  }, 60_000);

  it('honours a smaller configured limit', () => {
    expect(() =>
      parseDocument({ content: 'x'.repeat(2000), fileName: 'a.txt' }, { limits: { maxBytes: 1000 } }),
    ).toThrow(/limit/);
  });
});

describe('JSON documents that are not canonical evaluations', () => {
  const refusal = (content: string) => {
    try {
      parseDocument({ content, fileName: 'a.json' });
    } catch (err) {
      if (err instanceof DocumentRejectedError) return err;
      throw err;
    }
    throw new Error('accepted');
  };

  it('names the first field that is wrong, in both languages (not "invalid input" at the root)', () => {
    const missing = refusal('{"formType": "project", "indicators": [{"weight": 10}]}');
    expect(missing.message).toBe(
      'a.json: not a canonical evaluation: indicators.0.name: Invalid input: expected string, received undefined',
    );
    expect(missing.messageZh).toBe('a.json：不是规范格式的自评数据：indicators.0.name：缺少此项（应为文字）');

    const wrongType = refusal('{"evaluations": [{"formType": "project"}, 3]}');
    expect(wrongType.message).toMatch(/: evaluations\.1: .*expected object, received number$/);
    expect(wrongType.messageZh).toBe('a.json：不是规范格式的自评数据：evaluations.1：应为对象（{…}），实为数字');

    const badOption = refusal('{"formType": "nope"}');
    expect(badOption.message).toMatch(/: formType: Invalid option/);
    expect(badOption.messageZh).toMatch(
      /^a\.json：不是规范格式的自评数据：formType：无效选项：期望以下之一 "project"\|"department"$/,
    );
  });

  it('says where JSON itself is broken', () => {
    const err = refusal('[1,2');
    expect(err.message).toMatch(/^a\.json: not valid JSON \(/);
    expect(err.messageZh).toMatch(/^a\.json：不是有效的 JSON（/);
  });
});
