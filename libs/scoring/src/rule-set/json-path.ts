export type PathSegment = string | number;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['grades', 2, 'conditions']` → `$.grades[2].conditions` (odd keys as `["…"]`). */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '$';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else if (IDENT.test(s)) out += `.${s}`;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** The value at `segments`, or undefined. */
export function valueAt(root: unknown, segments: readonly PathSegment[]): unknown {
  let cur = root;
  for (const s of segments) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PathSegment, unknown>)[s];
  }
  return cur;
}
