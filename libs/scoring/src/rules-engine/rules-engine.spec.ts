import { describe, expect, it } from 'vitest';
import type { Condition } from '../rule-set/rule-set.schema';
import { compileRules } from './compiled-rules';
import { createEngine, runNaive } from './naive-engine';
import type { Facts, JsonRule } from './rule.types';

const rule = (conditions: JsonRule['conditions'], type = 'hit', priority?: number): JsonRule => ({
  name: type,
  ...(priority ? { priority } : {}),
  conditions,
  event: { type, params: { type } },
});
const c = (fact: string, operator: string, value: unknown, path?: string) =>
  ({ fact, operator, value, ...(path ? { path } : {}) }) as Condition;

/** Both paths, checked to agree; returns whether the single rule fired. */
async function fires(conditions: JsonRule['conditions'], facts: Facts): Promise<boolean> {
  const rules = [rule(conditions)];
  const naive = await runNaive(rules, facts);
  const compiled = compileRules(rules).run(facts);
  expect(compiled).toEqual(naive);
  return naive.length === 1;
}

describe('json-rules-engine semantics, reproduced by the compiled evaluator', () => {
  it('empty all passes; empty any passes too (json-rules-engine 7 resolves an empty condition list to true)', async () => {
    expect(await fires({ all: [] }, {})).toBe(true);
    expect(await fires({ any: [] }, {})).toBe(true);
    expect(await fires({ not: { any: [] } }, {})).toBe(false);
  });

  it('missing and undefined facts fail every comparison but notEqual, notIn and the negations', async () => {
    for (const facts of [{}, { x: undefined }]) {
      expect(await fires({ all: [c('x', 'equal', null)] }, facts)).toBe(false);
      expect(await fires({ all: [c('x', 'notEqual', 1)] }, facts)).toBe(true);
      expect(await fires({ all: [c('x', 'greaterThanInclusive', 0)] }, facts)).toBe(false);
      expect(await fires({ all: [c('x', 'lessThan', 100)] }, facts)).toBe(false);
      expect(await fires({ all: [c('x', 'in', [1, 2])] }, facts)).toBe(false);
      expect(await fires({ all: [c('x', 'notIn', [1, 2])] }, facts)).toBe(true);
      expect(await fires({ all: [c('x', 'contains', 1)] }, facts)).toBe(false);
      expect(await fires({ all: [c('x', 'doesNotContain', 1)] }, facts)).toBe(false); // needs an array fact
      expect(await fires({ not: c('x', 'greaterThan', 0) }, facts)).toBe(true);
    }
  });

  it('numeric operators accept what parseFloat reads, and compare with JavaScript coercion', async () => {
    expect(await fires({ all: [c('t', 'greaterThanInclusive', 90)] }, { t: '95' })).toBe(true);
    expect(await fires({ all: [c('t', 'greaterThanInclusive', 90)] }, { t: '95分' })).toBe(false); // NaN >= 90
    expect(await fires({ all: [c('t', 'lessThan', 90)] }, { t: null })).toBe(false);
    expect(await fires({ all: [c('t', 'lessThan', 90)] }, { t: true })).toBe(false);
    expect(await fires({ all: [c('t', 'lessThan', 90)] }, { t: [5] })).toBe(true);
    expect(await fires({ all: [c('t', 'lessThan', '10')] }, { t: '5' })).toBe(false); // string comparison
  });

  it('in / notIn test membership strictly; contains needs an array fact', async () => {
    expect(await fires({ all: [c('g', 'in', ['优', '良'])] }, { g: '良' })).toBe(true);
    expect(await fires({ all: [c('n', 'in', [1, 2])] }, { n: '1' })).toBe(false);
    expect(await fires({ all: [c('codes', 'contains', 'SUM_MISMATCH')] }, { codes: ['SUM_MISMATCH'] })).toBe(true);
    expect(await fires({ all: [c('codes', 'contains', 'SUM')] }, { codes: 'SUM_MISMATCH' })).toBe(false);
    expect(await fires({ all: [c('codes', 'doesNotContain', 'X')] }, { codes: [] })).toBe(true);
  });

  it('reads a dotted path inside an object fact, and uses a non-object fact as is', async () => {
    expect(await fires({ all: [c('row', 'equal', 10, '$.weight')] }, { row: { weight: 10 } })).toBe(true);
    expect(await fires({ all: [c('row', 'equal', 1, '$.a.b')] }, { row: { a: { b: 1 } } })).toBe(true);
    expect(await fires({ all: [c('row', 'equal', null, '$.a.b')] }, { row: { a: 'x' } })).toBe(false); // undefined
    expect(await fires({ all: [c('row', 'equal', 1, '$.length')] }, { row: ['x'] })).toBe(true);
    expect(await fires({ all: [c('row', 'equal', 7, '$.weight')] }, { row: 7 })).toBe(true);
    expect(await fires({ all: [c('row', 'notEqual', null, '$.constructor')] }, { row: {} })).toBe(true);
  });

  it('custom operators: containsAny, startsWithAny, matches', async () => {
    expect(await fires({ all: [c('actual', 'containsAny', ['部分达成', '基本'])] }, { actual: '已部分达成' })).toBe(
      true,
    );
    expect(await fires({ all: [c('codes', 'containsAny', ['A', 'B'])] }, { codes: ['C', 'B'] })).toBe(true);
    expect(await fires({ all: [c('actual', 'containsAny', ['x'])] }, { actual: 5 })).toBe(false);
    expect(await fires({ all: [c('target', 'startsWithAny', ['≥', '>='])] }, { target: '≥90%' })).toBe(true);
    expect(await fires({ all: [c('target', 'startsWithAny', ['≥'])] }, { target: '90%≥' })).toBe(false);
    expect(await fires({ all: [c('actual', 'matches', '^\\d{4}年')] }, { actual: '2022年12月' })).toBe(true);
    expect(await fires({ all: [c('actual', 'matches', '^\\d{4}年')] }, { actual: null })).toBe(false);
  });

  it('orders events by priority, then declaration order, whatever the condition depth', async () => {
    const deep: JsonRule['conditions'] = { all: [{ not: { not: { all: [c('x', 'equal', 1)] } } }] };
    const rules = [
      rule(deep, 'a'),
      rule({ all: [c('x', 'equal', 1)] }, 'b'),
      rule({ all: [] }, 'c', 5),
      rule({ any: [c('x', 'equal', 2)] }, 'd', 5),
      rule(deep, 'e', 2),
    ];
    const expected = ['c', 'e', 'a', 'b'];
    expect((await runNaive(rules, { x: 1 })).map((e) => e.type)).toEqual(expected);
    expect(
      compileRules(rules)
        .run({ x: 1 })
        .map((e) => e.type),
    ).toEqual(expected);
  });

  it('fails like json-rules-engine on values it cannot use (in with a number, a bad pattern)', async () => {
    const bad = [rule({ any: [c('x', 'in', 5)] })];
    await expect(runNaive(bad, { x: 5 })).rejects.toThrow(TypeError);
    const compiled = compileRules(bad);
    expect(() => compiled.run({ x: 5 })).toThrow(TypeError);
    const pattern = [rule({ all: [c('x', 'matches', '(')] })];
    await expect(runNaive(pattern, { x: 'a' })).rejects.toThrow(SyntaxError);
    expect(() => compileRules(pattern).run({ x: 'a' })).toThrow(SyntaxError);
  });

  it('refuses paths it does not support when compiling', () => {
    expect(() => compileRules([rule({ all: [c('x', 'equal', 1, '$..a')] })])).toThrow(/unsupported path/);
  });

  it('createEngine registers the custom operators and allows undefined facts', async () => {
    const engine = createEngine([rule({ all: [c('t', 'startsWithAny', ['≤'])] })]);
    const { events } = await engine.run({ t: '≤5' });
    expect(events.map((e) => e.type)).toEqual(['hit']);
    expect((await engine.run({})).events).toEqual([]); // no UndefinedFactError
  });

  it('compiled events are frozen copies: callers cannot alter the rules', () => {
    const rules = [rule({ all: [] })];
    const [event] = compileRules(rules).run({});
    expect(Object.isFrozen(event) && Object.isFrozen(event.params)).toBe(true);
    expect(event).not.toBe(rules[0].event);
  });

  it('runNaive stays correct when runs of one rule list overlap', async () => {
    const rules = [rule({ all: [c('x', 'greaterThan', 0)] })];
    const runs = await Promise.all([1, -1, 2, -2, 3].map((x) => runNaive(rules, { x })));
    expect(runs.map((r) => r.length)).toEqual([1, 0, 1, 0, 1]);
  });
});
