import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CanonicalEvaluation, ScoreResult } from '@jixiao/contracts';
import { ScoreResultSchema } from '@jixiao/contracts';
import { loadRuleSets, parseEvaluations, score, scoreNaive, type ResolvedRuleSet } from '@jixiao/scoring';
import { describe, expect, it } from 'vitest';

/**
 * Golden cases: the seed documents transcribed by hand (`*.input.json`) with what BRIEF §5 says they must give
 * (`*.expect.json`), and synthetic region-behaviour cases. Expectations are partial: total, grade, execution,
 * named indicators, findings present (by code + subject, and expected/reported when given) and findings absent
 * (`"CODE"` or `"CODE:subject"`).
 */

interface Expect {
  total?: number | null;
  grade?: string | null;
  execution?: { rate?: number | null; score?: number | null };
  routing?: 'auto-approve' | 'manual-review';
  indicators?: { name: string; score: number | null }[];
  findings?: { code: string; subject?: string | null; expected?: number | string | null; reported?: number | string | null }[];
  noFindings?: string[];
}

const dir = join(__dirname, 'golden');
const registry = loadRuleSets(__dirname);
const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));

function ruleSetFor(ev: CanonicalEvaluation, id?: string): ResolvedRuleSet {
  return id ? registry.resolveById(id) : registry.resolve(ev.region ?? 'CN', ev.fiscalYear ?? null);
}

function same(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') return Math.abs(actual - expected) < 1e-6;
  return actual === expected;
}

function check(r: ScoreResult, e: Expect): void {
  if ('total' in e) expect(r.computed.total, 'total').toBe(e.total);
  if ('grade' in e) expect(r.computed.grade, 'grade').toBe(e.grade);
  if (e.execution?.score !== undefined) expect(r.computed.execution.score, 'execution score').toBe(e.execution.score);
  if (e.execution?.rate != null) expect(r.computed.execution.rate, 'execution rate').toBeCloseTo(e.execution.rate, 4);
  if (e.routing) expect(r.routing.decision, `routing (${r.routing.reasons.join('; ')})`).toBe(e.routing);
  for (const want of e.indicators ?? []) {
    const got = r.computed.indicators.filter((i) => i.name === want.name);
    expect(got.length, `indicator ${want.name}`).toBeGreaterThan(0);
    expect(got.map((i) => i.score), `score of ${want.name}`).toContain(want.score);
  }
  const show = r.findings.map((f) => `${f.code} ${f.subject} ${f.expected} ${f.reported}`).join('\n');
  for (const want of e.findings ?? []) {
    const hit = r.findings.some(
      (f) =>
        f.code === want.code &&
        (!('subject' in want) || f.subject === want.subject) &&
        (want.expected === undefined || same(f.expected, want.expected)) &&
        (want.reported === undefined || same(f.reported, want.reported)),
    );
    expect(hit, `finding ${JSON.stringify(want)} among:\n${show}`).toBe(true);
  }
  for (const not of e.noFindings ?? []) {
    const [code, subject] = not.split(':');
    const hit = r.findings.filter((f) => f.code === code && (subject === undefined || f.subject === subject));
    expect(hit, `no ${not}`).toEqual([]);
  }
}

describe('golden: seed documents', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.expect.json')).sort()) {
    const spec = read(file) as { description: string; input: string; ruleSet?: string; expect: Expect[] };
    const evaluations = parseEvaluations(read(spec.input), spec.input);
    describe(file.replace('.expect.json', ''), () => {
      it('has one expectation per form', () => expect(evaluations.length).toBe(spec.expect.length));
      it('uses only the canonical field names (nothing is dropped by validation)', () => {
        expect({ evaluations }).toEqual(read(spec.input).evaluations ? read(spec.input) : { evaluations: [read(spec.input)] });
      });
      evaluations.forEach((ev, i) => {
        it(`form ${i + 1}: ${ev.projectName ?? ev.unitName}`, () => {
          const r = score(ev, ruleSetFor(ev, spec.ruleSet));
          expect(ScoreResultSchema.safeParse(r).success).toBe(true);
          check(r, spec.expect[i]);
        });
        it(`form ${i + 1}: json-rules-engine run naively gives the same result`, async () => {
          const rs = ruleSetFor(ev, spec.ruleSet);
          expect(await scoreNaive(ev, rs)).toEqual(score(ev, rs));
        });
      });
    });
  }
});

describe('golden: region behaviour', () => {
  const spec = read('region-behaviour.cases.json') as {
    cases: { name: string; ruleSet?: string; evaluation: unknown; expect: Expect }[];
  };
  for (const c of spec.cases) {
    it(c.name, () => {
      const [ev] = parseEvaluations(c.evaluation, c.name);
      check(score(ev, ruleSetFor(ev, c.ruleSet)), c.expect);
    });
  }
});

describe('golden: every shipped rule set resolves and scores the seeds without throwing', () => {
  const seeds = readdirSync(dir)
    .filter((f) => f.endsWith('.input.json'))
    .flatMap((f) => parseEvaluations(read(f), f));
  for (const summary of registry.list()) {
    it(summary.id, () => {
      const rs = registry.resolveById(summary.id);
      for (const ev of seeds) expect(ScoreResultSchema.safeParse(score(ev, rs)).success).toBe(true);
    });
  }
});
