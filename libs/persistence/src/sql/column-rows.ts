import type { EntityManager } from 'typeorm';
import { assertIdentifier, dialectOf } from '../data-source/dialect';

/**
 * Many rows as one parameter per column, for PostgreSQL statements that insert or update thousands of rows at once.
 *
 * Each column travels as one text: its values joined by the ASCII unit separator (U+001F), a null as a lone record
 * separator (U+001E); the server splits it with `string_to_array` and casts each value to its column's type. The
 * columns' `unnest`s stand side by side in one select list, which runs them in step (as `ROWS FROM` would, but
 * without first copying each column into a tuplestore: ~15% less server CPU for 1,000 result rows). Neither side
 * escapes anything: Node joins strings natively, the server splits with a byte search.
 * Measured on 1,000 re-scoring result rows of 23 columns (server CPU from /proc, mean of 100): array literals for
 * `unnest` (node-postgres quotes and escapes every element in JavaScript, the server's array parser unescapes them)
 * 5.8 ms of Node and 6.5 ms of server CPU; JSON arrays (`json_array_elements_text`: the server's JSON lexer reads each
 * parameter twice and unescapes character by character) 3.9 and 6.4 ms; joined text 2.6 and 3.5 ms. For tens of
 * rows, one parameter per value costs less still.
 *
 * A value joined text cannot carry — a string containing U+001E or U+001F, a number that is not finite, anything but
 * a string, number, bigint, boolean or null (a Date, a Buffer) — sends the whole statement as array literals, which
 * carry whatever node-postgres can send (as on that path, text with an unpaired UTF-16 surrogate arrives as U+FFFD).
 */
export interface ColumnRows {
  /** A FROM item that yields the rows with the given column names and types, aliased `alias`. */
  source: string;
  params: unknown[];
  /** How the columns travel (for tests and measurements). */
  encoding: 'joined' | 'array';
}

/** A PostgreSQL type name as `::type` takes it (`text`, `integer`, `float8`, `double precision` …). */
const TYPE = /^[a-z][a-z0-9 ]*$/;

/** Separates a column's values in its text (ASCII unit separator). */
const SEP = '\x1f';
/** A null among a column's values (ASCII record separator, alone between separators). */
const NULL = '\x1e';

/** The rows of `columns` (one array per column, all of one length) as a FROM item with parameters $1, $2 … */
export function columnRows(
  names: readonly string[],
  types: readonly string[],
  columns: readonly (readonly unknown[])[],
  alias: string,
): ColumnRows {
  return columnSource(names, types, columns, alias, false)!;
}

/**
 * columnRows when every value can travel in a joined text (see ColumnRows), else null: for rows whose values may be
 * Buffers or Dates, which the caller then writes another way (in an array literal a Buffer becomes `\x…` text).
 */
export function joinedColumnRows(
  names: readonly string[],
  types: readonly string[],
  columns: readonly (readonly unknown[])[],
  alias: string,
): ColumnRows | null {
  return columnSource(names, types, columns, alias, true);
}

function columnSource(
  names: readonly string[],
  types: readonly string[],
  columns: readonly (readonly unknown[])[],
  alias: string,
  joinedOnly: boolean,
): ColumnRows | null {
  if (names.length !== types.length || columns.length !== types.length)
    throw new Error(`columnRows: ${names.length} names, ${types.length} types and ${columns.length} columns`);
  for (const t of types) if (!TYPE.test(t)) throw new Error(`columnRows: not a PostgreSQL type name: "${t}"`);
  for (const n of [...names, alias]) {
    try {
      assertIdentifier(n);
    } catch {
      throw new Error(`columnRows: not a column name: "${n}"`);
    }
  }
  const p = (i: number) => `$${i + 1}`;
  const joined = joinedColumns(columns);
  if (!joined) {
    if (joinedOnly) return null;
    return {
      source: `unnest(${types.map((t, i) => `${p(i)}::${t}[]`).join(', ')}) AS ${alias}(${names.map(quote).join(', ')})`,
      params: [...columns],
      encoding: 'array',
    };
  }
  const raw = names.map((_, i) => `c${i}`);
  return {
    source:
      `(SELECT ${raw.map((c, i) => `NULLIF(${c}, E'\\x1e')::${types[i]} AS ${quote(names[i])}`).join(', ')} ` +
      `FROM (SELECT ${raw.map((c, i) => `unnest(string_to_array(${p(i)}::text, E'\\x1f')) AS ${c}`).join(', ')}) AS r) ` +
      `AS ${alias}`,
    params: joined,
    encoding: 'joined',
  };
}

/** Column names are safe identifiers (checked above); quoted, a keyword (`at`, `name`) is a name too. */
const quote = (name: string) => `"${name}"`;

/**
 * Each column as one text (its values joined by SEP, a null as NULL), or null when some value cannot travel so (see
 * ColumnRows). One empty string alone would be an empty text, which `string_to_array` reads as no value at all: it
 * travels as an array literal too.
 *
 * A column of more than JOIN_MAX_CHARS characters is joined as UTF-8 bytes outside the heap (a Buffer parameter
 * travels in binary format, which for `text` is those bytes): joined as a string it would be a large object to V8
 * (over 128 KiB, as Chinese text takes two bytes a character), allocated in pages of its own, freshly mapped and
 * faulted in. Joining and encoding 30 stored events of ~3,000 characters took ~800 µs as a string and ~70 µs as bytes
 * on this machine; under 128 KiB a string takes ~40 µs.
 */
function joinedColumns(columns: readonly (readonly unknown[])[]): Array<string | Buffer> | null {
  const out: Array<string | Buffer> = [];
  for (const column of columns) {
    const texts = new Array<string>(column.length);
    let chars = column.length;
    for (let i = 0; i < column.length; i++) {
      const v = column[i];
      if (v === null || v === undefined) texts[i] = NULL;
      else if (typeof v === 'string') {
        if (v.includes(SEP) || v.includes(NULL)) return null;
        texts[i] = v;
      } else if (typeof v === 'number') {
        if (!Number.isFinite(v)) return null;
        texts[i] = String(v);
      } else if (typeof v === 'boolean' || typeof v === 'bigint') texts[i] = String(v);
      else return null;
      chars += texts[i].length;
    }
    if (texts.length === 1 && texts[0] === '') return null;
    out.push(chars > JOIN_MAX_CHARS ? joinedBytes(texts) : texts.join(SEP));
  }
  return out;
}

/** Columns longer than this are joined as UTF-8 bytes (under V8's large-object size even as two-byte characters). */
const JOIN_MAX_CHARS = 60 * 1024;

function joinedBytes(texts: readonly string[]): Buffer {
  let max = texts.length;
  for (const t of texts) max += 3 * t.length; // a UTF-16 code unit takes at most 3 bytes
  const out = Buffer.allocUnsafe(max);
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    if (i > 0) out[at++] = 0x1f;
    at += out.write(texts[i], at, 'utf8');
  }
  return out.subarray(0, at);
}

/**
 * Plans the rest of the current transaction's statements without looking at their parameters' values
 * (`SET LOCAL plan_cache_mode = force_generic_plan`; PostgreSQL only, nothing elsewhere), for a transaction whose
 * statements carry large parameters: column texts of a thousand rows, an event's payload.
 *
 * node-postgres sends each statement unnamed, and PostgreSQL plans an unnamed statement with its parameters' values
 * put in as constants: each column text of a bulk statement is copied through the planner and `string_to_array` of it
 * is folded at plan time. Planned without them, a 1,000-row insert of re-scoring results (23 columns, four indexes)
 * took 14.2–15.2 instead of 17.0–18.2 ms of server CPU (mean of 50 each, `/proc/<backend>/stat`). Statements of such a
 * transaction use their key's index without the values' help (a primary key, a chunk's id range, `= ANY`); one whose
 * plan depends on a value's selectivity (`LIKE $1` on a prefix) does not belong in it.
 */
export async function planWithoutParameterValues(manager: EntityManager): Promise<void> {
  if (dialectOf(manager) === 'postgres') await manager.query(`SET LOCAL plan_cache_mode = force_generic_plan`);
}
