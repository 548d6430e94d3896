import type { Condition } from '../rule-set/rule-set.schema';
import { eventOf, priorityOf } from './naive-engine';
import { containsAny, regexFor, startsWithAny } from './operators';
import { pathSegments, readPath } from './fact-path';
import type { Facts, JsonRule, RuleEvent } from './rule.types';

type Pred = (facts: Facts) => boolean;
type Getter = (facts: Facts) => unknown;

/** Rules compiled once into closures; `run` gives the same events, in the same order, as `runNaive`. */
export interface CompiledRules {
  readonly size: number;
  run(facts: Facts): RuleEvent[];
}

const hasOwn = Object.prototype.hasOwnProperty;

/** json-rules-engine's numeric fact validator: `parseFloat(x).toString() !== 'NaN'`. */
function numeric(a: unknown): boolean {
  if (typeof a === 'number') return a === a;
  // parseFloat(String(null | undefined | boolean)) is NaN: answered without building strings
  if (a === null || a === undefined || typeof a === 'boolean') return false;
  return Number.parseFloat(a as string).toString() !== 'NaN';
}

function factGetter(name: string, path: string | undefined): Getter {
  // a fact named like an Object.prototype member ("constructor") is undefined unless the facts own it
  const base: Getter = name in Object.prototype ? (f) => (hasOwn.call(f, name) ? f[name] : undefined) : (f) => f[name];
  if (path === undefined) return base;
  const segments = pathSegments(path);
  return (f) => readPath(base(f), segments);
}

/**
 * One comparison, following json-rules-engine 7's default operators literally. The rule's value reaches
 * json-rules-engine as a deep clone, so an array value is never identical (===) to anything in the facts.
 */
function comparison(operator: string, value: unknown, get: Getter): Pred {
  const isArrayValue = Array.isArray(value);
  const b = value as number;
  switch (operator) {
    case 'equal':
      return isArrayValue ? () => false : (f) => get(f) === value;
    case 'notEqual':
      return isArrayValue ? () => true : (f) => get(f) !== value;
    case 'in':
    case 'notIn': {
      if (!isArrayValue && typeof value !== 'string') {
        throw new TypeError(`operator "${operator}" needs an array value (json-rules-engine calls value.indexOf)`);
      }
      const list = value as unknown[];
      return operator === 'in' ? (f) => list.indexOf(get(f)) > -1 : (f) => list.indexOf(get(f)) === -1;
    }
    case 'contains':
      return isArrayValue
        ? () => false
        : (f) => {
            const a = get(f);
            return Array.isArray(a) && a.indexOf(value) > -1;
          };
    case 'doesNotContain':
      return isArrayValue
        ? (f) => Array.isArray(get(f))
        : (f) => {
            const a = get(f);
            return Array.isArray(a) && a.indexOf(value) === -1;
          };
    case 'lessThan':
      return (f) => {
        const a = get(f) as number;
        return numeric(a) && a < b;
      };
    case 'lessThanInclusive':
      return (f) => {
        const a = get(f) as number;
        return numeric(a) && a <= b;
      };
    case 'greaterThan':
      return (f) => {
        const a = get(f) as number;
        return numeric(a) && a > b;
      };
    case 'greaterThanInclusive':
      return (f) => {
        const a = get(f) as number;
        return numeric(a) && a >= b;
      };
    case 'containsAny':
      return (f) => containsAny(get(f), value);
    case 'startsWithAny':
      return (f) => startsWithAny(get(f), value);
    case 'matches': {
      const re = regexFor(value); // throws now on an invalid pattern, as every naive run would
      return re === null
        ? () => false
        : (f) => {
            const a = get(f);
            return typeof a === 'string' && re.test(a);
          };
    }
    default:
      throw new Error(`Unknown operator: ${operator}`);
  }
}

function allOf(preds: Pred[]): Pred {
  if (preds.length === 0) return () => true;
  if (preds.length === 1) return preds[0];
  if (preds.length === 2) {
    const [p, q] = preds;
    return (f) => p(f) && q(f);
  }
  return (f) => {
    for (const p of preds) if (!p(f)) return false;
    return true;
  };
}

function anyOf(preds: Pred[]): Pred {
  // json-rules-engine 7: an empty `any` passes (prioritizeAndRun resolves true for no conditions)
  if (preds.length === 0) return () => true;
  if (preds.length === 1) return preds[0];
  if (preds.length === 2) {
    const [p, q] = preds;
    return (f) => p(f) || q(f);
  }
  return (f) => {
    for (const p of preds) if (p(f)) return true;
    return false;
  };
}

/** Compile one condition; same precedence as json-rules-engine (any, then all, then not, then a fact). */
export function compileCondition(c: Condition): Pred {
  const node = c as Record<string, unknown>;
  if (hasOwn.call(node, 'any')) return anyOf(arrayOf(node.any, 'any').map(compileCondition));
  if (hasOwn.call(node, 'all')) return allOf(arrayOf(node.all, 'all').map(compileCondition));
  if (hasOwn.call(node, 'not')) {
    if (Array.isArray(node.not)) throw new Error('"not" cannot be an array');
    const inner = compileCondition(node.not as Condition);
    return (f) => !inner(f);
  }
  const { fact, operator, value, path } = node as { fact: string; operator: string; value: unknown; path?: string };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    throw new Error('a condition value must be a constant (fact references are not supported)');
  }
  return comparison(operator, value, factGetter(fact, path));
}

function arrayOf(v: unknown, op: string): Condition[] {
  if (!Array.isArray(v)) throw new Error(`"${op}" must be an array`);
  return v as Condition[];
}

/** What generated code may call: the same helpers the closures use. */
const HELPERS = { numeric, containsAny, startsWithAny, readPath, hasOwn } as const;

/** A constant written into generated code as a literal when that is exact, else taken from the constants. */
function literal(value: unknown, consts: unknown[]): string {
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return JSON.stringify(value);
  if (typeof value === 'number' && Number.isFinite(value) && !Object.is(value, -0)) return String(value);
  consts.push(value);
  return `K[${consts.length - 1}]`;
}

/**
 * Generates the source of one condition, with the same precedence, operators and compile-time failures as
 * `compileCondition` (any, then all, then not, then a fact). Facts are read once into locals (`factVar`).
 */
function conditionSource(c: Condition, consts: unknown[], factVar: (name: string) => string): string {
  const node = c as Record<string, unknown>;
  const join = (parts: string[], op: string) => (parts.length === 0 ? 'true' : `(${parts.join(op)})`);
  if (hasOwn.call(node, 'any')) return join(arrayOf(node.any, 'any').map((x) => conditionSource(x, consts, factVar)), ' || ');
  if (hasOwn.call(node, 'all')) return join(arrayOf(node.all, 'all').map((x) => conditionSource(x, consts, factVar)), ' && ');
  if (hasOwn.call(node, 'not')) {
    if (Array.isArray(node.not)) throw new Error('"not" cannot be an array');
    return `!${conditionSource(node.not as Condition, consts, factVar)}`;
  }
  const { fact, operator, value, path } = node as { fact: string; operator: string; value: unknown; path?: string };
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    throw new Error('a condition value must be a constant (fact references are not supported)');
  }
  let x = factVar(fact);
  if (path !== undefined) {
    consts.push(pathSegments(path));
    x = `H.readPath(${x}, K[${consts.length - 1}])`;
  }
  const isArrayValue = Array.isArray(value);
  const v = () => literal(value, consts);
  switch (operator) {
    case 'equal':
      return isArrayValue ? 'false' : `(${x} === ${v()})`;
    case 'notEqual':
      return isArrayValue ? 'true' : `(${x} !== ${v()})`;
    case 'in':
    case 'notIn': {
      if (!isArrayValue && typeof value !== 'string') {
        throw new TypeError(`operator "${operator}" needs an array value (json-rules-engine calls value.indexOf)`);
      }
      consts.push(value);
      return `(K[${consts.length - 1}].indexOf(${x}) ${operator === 'in' ? '> -1' : '=== -1'})`;
    }
    case 'contains':
      return isArrayValue ? 'false' : `(Array.isArray(${x}) && ${x}.indexOf(${v()}) > -1)`;
    case 'doesNotContain':
      return isArrayValue ? `Array.isArray(${x})` : `(Array.isArray(${x}) && ${x}.indexOf(${v()}) === -1)`;
    case 'lessThan':
      return `(H.numeric(${x}) && ${x} < ${v()})`;
    case 'lessThanInclusive':
      return `(H.numeric(${x}) && ${x} <= ${v()})`;
    case 'greaterThan':
      return `(H.numeric(${x}) && ${x} > ${v()})`;
    case 'greaterThanInclusive':
      return `(H.numeric(${x}) && ${x} >= ${v()})`;
    case 'containsAny':
      consts.push(value);
      return `H.containsAny(${x}, K[${consts.length - 1}])`;
    case 'startsWithAny':
      consts.push(value);
      return `H.startsWithAny(${x}, K[${consts.length - 1}])`;
    case 'matches': {
      const re = regexFor(value); // throws now on an invalid pattern, as every naive run would
      if (re === null) return 'false';
      consts.push(re);
      return `(typeof ${x} === 'string' && K[${consts.length - 1}].test(${x}))`;
    }
    default:
      throw new Error(`Unknown operator: ${operator}`);
  }
}

/**
 * Compile rules once into one generated function: every fact the rules read is loaded once into a local,
 * every condition is inlined as a boolean expression, and the events fire in json-rules-engine's order
 * (priority, highest first, then declaration order). An operator that json-rules-engine would fail on in
 * every run (`in` with a non-array value, an invalid `matches` pattern) makes `run` throw the same way
 * instead of failing here. The property tests in compiled-rules.spec.ts compare it with json-rules-engine.
 */
export function compileRules(rules: readonly JsonRule[]): CompiledRules {
  const order = rules.map((_, i) => i);
  order.sort((a, b) => priorityOf(rules[b]) - priorityOf(rules[a]) || a - b);
  const consts: unknown[] = [];
  const events: RuleEvent[] = [];
  const facts = new Map<string, string>();
  const factVar = (name: string) => {
    let v = facts.get(name);
    if (v === undefined) facts.set(name, (v = `v${facts.size}`));
    return v;
  };
  const tests: string[] = [];
  let failure: unknown = null;
  for (const i of order) {
    if (priorityOf(rules[i]) <= 0) throw new Error('Priority must be greater than zero');
    const mark = consts.length;
    const before = new Map(facts);
    try {
      tests.push(conditionSource(rules[i].conditions as Condition, consts, factVar));
    } catch (err) {
      if (!(err instanceof TypeError || err instanceof SyntaxError)) throw err;
      failure = failure ?? err;
      consts.length = mark;
      facts.clear();
      for (const [k, v] of before) facts.set(k, v);
      tests.push('false');
    }
    events.push(deepFreeze(structuredClone(eventOf(rules[i]))));
  }
  const lines: string[] = ['const f = facts ?? {};'];
  for (const [name, v] of facts) {
    const key = JSON.stringify(name);
    // a fact named like an Object.prototype member ("constructor") is undefined unless the facts own it
    lines.push(name in Object.prototype ? `const ${v} = H.hasOwn.call(f, ${key}) ? f[${key}] : undefined;` : `const ${v} = f[${key}];`);
  }
  lines.push('const out = [];');
  tests.forEach((t, k) => lines.push(`if (${t}) out.push(E[${k}]);`));
  lines.push('return out;');
  // generated from validated rule conditions only: fact names and constants are JSON-quoted or passed in K
  const make = new Function('H', 'K', 'E', `"use strict"; return function compiledRules(facts) {\n${lines.join('\n')}\n};`) as (
    h: typeof HELPERS,
    k: unknown[],
    e: RuleEvent[],
  ) => (facts: Facts) => RuleEvent[];
  const evaluate = make(HELPERS, consts, events);
  return {
    size: events.length,
    run(facts: Facts): RuleEvent[] {
      if (failure !== null) throw failure;
      return evaluate(facts);
    },
  };
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}
