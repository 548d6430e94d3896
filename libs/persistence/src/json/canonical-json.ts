import { hash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted (by UTF-16 code units, as RFC 8785), no whitespace, `undefined` members
 * dropped, `toJSON()` honoured. Equal data gives equal bytes, whatever the key order it was built in — the basis
 * of the audit log's payload and record hashes. Non-finite numbers are refused rather than silently becoming null.
 */
export function canonicalJson(value: unknown): string {
  try {
    return write(value);
  } catch (err) {
    if (err instanceof TypeError && err.message.startsWith('canonicalJson:')) {
      throw new TypeError(err.message.replace('canonicalJson:', `canonicalJson: ${findBadPath(value, '$')}`));
    }
    throw err;
  }
}

// Hot path (a million audit payloads in a bulk run; every review audit record hashes a whole scored event):
// no per-node path strings, no intermediate arrays, keys quoted once per process.
function write(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: is ${value}, not a finite number`);
      return JSON.stringify(value);
    case 'object': {
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
        return write((value as { toJSON(): unknown }).toJSON());
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) {
          const v = value[i];
          if (i > 0) out += ',';
          out += v === undefined || typeof v === 'function' || typeof v === 'symbol' ? 'null' : write(v);
        }
        return out + ']';
      }
      const keys = Object.keys(value as object);
      if (keys.length > 1) keys.sort();
      let out = '{';
      let first = true;
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const v = (value as Record<string, unknown>)[key];
        if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
        out += (first ? '' : ',') + quotedKey(key) + ':' + write(v);
        first = false;
      }
      return out + '}';
    }
    default:
      throw new TypeError(`canonicalJson: is a ${typeof value}, which JSON cannot hold`);
  }
}

/**
 * Object keys repeat from payload to payload (the same few shapes, hashed for every audit record): each is quoted
 * once. Bounded, so payloads with data-dependent keys cannot grow it without limit.
 */
const QUOTED_KEYS = new Map<string, string>();
const MAX_QUOTED_KEYS = 10_000;

function quotedKey(key: string): string {
  let quoted = QUOTED_KEYS.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (QUOTED_KEYS.size < MAX_QUOTED_KEYS) QUOTED_KEYS.set(key, quoted);
  }
  return quoted;
}

/** Only on error: where is the value JSON cannot hold? */
function findBadPath(value: unknown, path: string): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return path;
  if (['bigint', 'function', 'symbol'].includes(typeof value) && path === '$') return path;
  if (typeof value === 'bigint') return path;
  if (value && typeof value === 'object') {
    const v =
      typeof (value as { toJSON?: unknown }).toJSON === 'function' ? (value as { toJSON(): unknown }).toJSON() : value;
    if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        const found = findBadPath(child, Array.isArray(v) ? `${path}[${k}]` : `${path}.${k}`);
        if (found) return found;
      }
    }
  }
  return path === '$' ? '$' : '';
}

/** `sha256:<64 hex>` of a string. */
export function sha256(text: string): string {
  return `sha256:${hash('sha256', text, 'hex')}`;
}

/** `sha256:<64 hex>` of the canonical JSON of a value. */
export function hashJson(value: unknown): string {
  return sha256(canonicalJson(value));
}
