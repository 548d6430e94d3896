import type { PathSegment } from '../json-path';
import { same } from './rule-set-change';

export interface Leaf {
  path: PathSegment[];
  from: unknown;
  to: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The smallest differing members of two JSON values: objects member by member, arrays of objects of the same
 * length item by item; any other differing value (a scalar, a list of words, a list that grew) whole.
 */
export function leafDiff(a: unknown, b: unknown, path: PathSegment[] = []): Leaf[] {
  if (same(a, b)) return [];
  if (isObject(a) && isObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !(k in a))];
    return keys.flatMap((k) => leafDiff(a[k], b[k], [...path, k]));
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.some(isObject)) {
    return a.flatMap((x, i) => leafDiff(x, b[i], [...path, i]));
  }
  return [{ path, from: a, to: b }];
}
