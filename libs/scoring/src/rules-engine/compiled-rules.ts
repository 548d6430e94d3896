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

/**
 * Compile rules once. An operator that json-rules-engine would fail on in every run (`in` with a non-array
 * value, an invalid `matches` pattern) makes `run` throw the same way instead of failing here.
 */
export function compileRules(rules: readonly JsonRule[]): CompiledRules {
  const order = rules.map((_, i) => i);
  order.sort((a, b) => priorityOf(rules[b]) - priorityOf(rules[a]) || a - b);
  const preds: Pred[] = [];
  const events: RuleEvent[] = [];
  let failure: unknown = null;
  for (const i of order) {
    if (priorityOf(rules[i]) <= 0) throw new Error('Priority must be greater than zero');
    try {
      preds.push(compileCondition(rules[i].conditions as Condition));
    } catch (err) {
      if (!(err instanceof TypeError || err instanceof SyntaxError)) throw err;
      failure = failure ?? err;
      preds.push(() => false);
    }
    events.push(deepFreeze(structuredClone(eventOf(rules[i]))));
  }
  const n = preds.length;
  return {
    size: n,
    run(facts: Facts): RuleEvent[] {
      if (failure !== null) throw failure;
      const f = facts ?? {};
      const out: RuleEvent[] = [];
      for (let i = 0; i < n; i++) if (preds[i](f)) out.push(events[i]);
      return out;
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
