import { createHash } from 'node:crypto';

/** JSON with keys sorted at every level and no whitespace; undefined members dropped (as JSON.stringify does). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.keys(value)
    .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
  return `{${entries.join(',')}}`;
}

/** `sha256:<hex>` of the canonical JSON. */
export function contentHash(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalJson(value), 'utf8').digest('hex')}`;
}

/**
 * The hash of a rule file's text as JSON (canonical: whitespace and key order do not change it), to tell whether
 * an upload repeats a stored version. Throws `SyntaxError` when the text is not JSON.
 */
export function ruleTextHash(text: string): string {
  return contentHash(JSON.parse(text.replace(/^\uFEFF/, '')));
}
