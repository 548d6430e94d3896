/**
 * The simple dotted form of json-rules-engine's `path` (`$.a.b`), resolved the way its default resolver
 * (jsonpath-plus, `wrap: false`) resolves it: each step needs a truthy value owning that property.
 */
export const SIMPLE_PATH = /^\$(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

const hasOwn = Object.prototype.hasOwnProperty;

/** Split `$.a.b` into `['a', 'b']`; throws on a path the compiled evaluator does not support. */
export function pathSegments(path: string): string[] {
  if (!SIMPLE_PATH.test(path)) {
    throw new Error(`unsupported path "${path}": use the dotted form $.a.b (letters, digits, _)`);
  }
  return path === '$' ? [] : path.slice(2).split('.');
}

/** The value at `segments` inside an object fact; a non-object fact is returned unchanged (as the almanac does). */
export function readPath(value: unknown, segments: readonly string[]): unknown {
  if (value === null || typeof value !== 'object') return value;
  let cur: unknown = value;
  for (const seg of segments) {
    if (!cur || !hasOwn.call(cur, seg)) return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
