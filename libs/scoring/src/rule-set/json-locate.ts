import type { PathSegment } from './json-path';

/**
 * Line and column (1-based) of the value at a JSON path in the file text, found by a small scanner that
 * follows the path through the text. Used only to make error messages point at the line; undefined when
 * the path is not in the text (e.g. a missing key: then the enclosing value's position is returned).
 */
export function locate(text: string, segments: readonly PathSegment[]): { line: number; column: number } | undefined {
  let pos = skipWs(text, 0);
  let found = pos;
  for (const seg of segments) {
    const next = typeof seg === 'number' ? seekIndex(text, pos, seg) : seekKey(text, pos, seg);
    if (next === undefined) break;
    pos = next;
    found = next;
  }
  return found < text.length ? lineColumn(text, found) : undefined;
}

export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

function skipWs(t: string, i: number): number {
  while (i < t.length && (t[i] === ' ' || t[i] === '\n' || t[i] === '\r' || t[i] === '\t')) i++;
  return i;
}

function skipString(t: string, i: number): number {
  i++; // opening quote
  while (i < t.length && t[i] !== '"') i += t[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** End offset of the value starting at i. */
function skipValue(t: string, i: number): number {
  if (t[i] === '"') return skipString(t, i);
  if (t[i] === '{' || t[i] === '[') {
    let depth = 0;
    while (i < t.length) {
      const c = t[i];
      if (c === '"') {
        i = skipString(t, i);
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
    return i;
  }
  while (i < t.length && !',]} \n\r\t'.includes(t[i])) i++;
  return i;
}

function seekKey(t: string, i: number, key: string): number | undefined {
  if (t[i] !== '{') return undefined;
  i = skipWs(t, i + 1);
  while (i < t.length && t[i] === '"') {
    const end = skipString(t, i);
    let name: string;
    try {
      name = JSON.parse(t.slice(i, end)) as string;
    } catch {
      return undefined;
    }
    i = skipWs(t, end);
    if (t[i] !== ':') return undefined;
    i = skipWs(t, i + 1);
    if (name === key) return i;
    i = skipWs(t, skipValue(t, i));
    if (t[i] !== ',') return undefined;
    i = skipWs(t, i + 1);
  }
  return undefined;
}

function seekIndex(t: string, i: number, index: number): number | undefined {
  if (t[i] !== '[') return undefined;
  i = skipWs(t, i + 1);
  for (let k = 0; i < t.length && t[i] !== ']'; k++) {
    if (k === index) return i;
    i = skipWs(t, skipValue(t, i));
    if (t[i] !== ',') return undefined;
    i = skipWs(t, i + 1);
  }
  return undefined;
}
