import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPERATORS, type Condition } from '../rule-set/rule-set.schema';
import { compileRules } from './compiled-rules';
import { runNaive } from './naive-engine';
import type { JsonRule, RuleEvent } from './rule.types';

type Outcome = { events: RuleEvent[] } | { error: string };

async function naive(rules: JsonRule[], facts: Record<string, unknown>): Promise<Outcome> {
  try {
    return { events: await runNaive(rules, facts) };
  } catch {
    return { error: 'failed' };
  }
}

function compiled(rules: JsonRule[], facts: Record<string, unknown>): Outcome {
  try {
    return { events: compileRules(rules).run(facts) };
  } catch {
    return { error: 'failed' };
  }
}

const FACT_NAMES = ['a', 'b', 'c', 'length', 'constructor'];
const PATHS = ['$', '$.a', '$.a.b', '$.length', '$.b', '$.constructor', '$.a.hasOwnProperty'];

const primitive = fc.oneof(
  fc.integer({ min: -3, max: 120 }),
  fc.constantFrom(0, -0, 0.5, 59.99, 60, 89.999, 90, 100, Infinity),
  fc.constantFrom('', 'a', 'ab', 'b', '5', '10', '12abc', 'abc', '优', '达成预期指标', 'Infinity', ' 7 '),
  fc.boolean(),
  fc.constant(null),
);
const shallowValue = fc.oneof(primitive, fc.constant(undefined), fc.array(primitive, { maxLength: 4 }));
const factValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: shallowValue },
  {
    weight: 2,
    // JSON-shaped objects: an own non-function `toString` or a null prototype would make json-rules-engine's
    // numeric validator throw in every run, which the compiled evaluator (short-circuiting) does not mimic
    arbitrary: fc.dictionary(
      fc.constantFrom('a', 'b', 'length', 'hasOwnProperty'),
      fc.oneof(shallowValue, fc.dictionary(fc.constantFrom('a', 'b'), shallowValue, { noNullPrototype: true })),
      { maxKeys: 3, noNullPrototype: true },
    ),
  },
);
const facts = fc.dictionary(fc.constantFrom(...FACT_NAMES), factValue, { maxKeys: 5, noNullPrototype: true });

const ruleValue = fc.oneof(
  { weight: 5, arbitrary: primitive },
  {
    weight: 3,
    arbitrary: fc.array(fc.oneof(fc.integer({ min: -3, max: 120 }), fc.constantFrom('a', 'b', '5', 'abc', '达成')), {
      maxLength: 4,
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom('^a', 'b$', '\\d+', '达成', '[', '(?<x>a)\\k<x>') },
);

const leaf = fc.record(
  {
    fact: fc.constantFrom(...FACT_NAMES),
    operator: fc.constantFrom(...OPERATORS),
    value: ruleValue,
    path: fc.constantFrom(...PATHS),
  },
  { requiredKeys: ['fact', 'operator', 'value'] },
) as fc.Arbitrary<Condition>;

const { condition } = fc.letrec<{ condition: Condition }>((tie) => ({
  condition: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: leaf },
    { weight: 1, arbitrary: fc.record({ all: fc.array(tie('condition'), { maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ any: fc.array(tie('condition'), { maxLength: 3 }) }) },
    { weight: 1, arbitrary: fc.record({ not: tie('condition') }) },
  ),
}));

const top = fc.oneof(
  fc.record({ all: fc.array(condition, { maxLength: 4 }) }),
  fc.record({ any: fc.array(condition, { maxLength: 4 }) }),
  fc.record({ not: condition }),
) as fc.Arbitrary<JsonRule['conditions']>;

const rules = fc
  .array(fc.record({ priority: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }), conditions: top }), {
    minLength: 1,
    maxLength: 6,
  })
  .map((rs) =>
    rs.map((r, i): JsonRule => ({
      name: `r${i % 3}`, // duplicate names on purpose: order must not depend on them
      ...(r.priority === undefined ? {} : { priority: r.priority }),
      conditions: r.conditions,
      event: { type: i % 2 ? 'grade' : 'finding', params: { i } },
    })),
  );

describe('compileRules agrees with json-rules-engine', () => {
  it('gives the same events in the same order, or fails alike, on random rules and facts', async () => {
    await fc.assert(
      fc.asyncProperty(rules, facts, async (rs, fs) => {
        expect(compiled(rs, fs)).toEqual(await naive(rs, fs));
      }),
      { numRuns: 1500 },
    );
  });

  it('agrees on rules whose every condition compares one fact (most events fire)', async () => {
    const simple = fc.array(fc.record({ priority: fc.integer({ min: 1, max: 4 }), cond: leaf }), {
      minLength: 1,
      maxLength: 8,
    });
    await fc.assert(
      fc.asyncProperty(simple, facts, async (rs, fs) => {
        const jr: JsonRule[] = rs.map((r, i) => ({
          priority: r.priority,
          conditions: { all: [r.cond] },
          event: { type: 'e', params: { i } },
        }));
        expect(compiled(jr, fs)).toEqual(await naive(jr, fs));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('compileRules generated code', () => {
  it('reads fact names and constants that are not identifiers exactly as json-rules-engine does', async () => {
    const odd = ['a b', 'x"y', "q'r", 'line\nbreak', '`${1}`', '\u2028', '__proto__', 'toString', '0'];
    const values = [0, -0, NaN, Infinity, -Infinity, 1e21, 'x"y', '\u2028', null, true];
    const oddFact = fc.constantFrom(...odd);
    const oddRules = fc.array(
      fc.record({
        fact: oddFact,
        operator: fc.constantFrom('equal', 'notEqual', 'lessThan', 'greaterThanInclusive', 'in', 'contains'),
        value: fc.oneof(fc.constantFrom(...values), fc.array(fc.constantFrom(...values), { maxLength: 3 })),
      }),
      { minLength: 1, maxLength: 5 },
    );
    const oddFacts = fc.dictionary(oddFact, fc.oneof(fc.constantFrom(...values), fc.array(fc.constantFrom(...values), { maxLength: 3 })), {
      maxKeys: 4,
      noNullPrototype: true,
    });
    await fc.assert(
      fc.asyncProperty(oddRules, oddFacts, async (conds, fs) => {
        const jr: JsonRule[] = conds.map((c, i) => ({
          conditions: { all: [c as unknown as Condition] },
          event: { type: 'e', params: { i } },
        }));
        expect(compiled(jr, fs)).toEqual(await naive(jr, fs));
      }),
      { numRuns: 500 },
    );
  });
});
