import type { DataSource, EntityManager } from 'typeorm';
import { dialectOf } from '../data-source/dialect';

type Catalog = Map<string, Map<string, string>>;

const catalogs = new WeakMap<DataSource, Promise<Catalog>>();
/** Tables looked for again after a miss (once each: a table that is not there does not cost a query per statement). */
const missed = new WeakMap<DataSource, Set<string>>();

/**
 * PostgreSQL: the types of `columns` of `table` as the server names them (`text`, `integer`, `character varying`,
 * `timestamp with time zone` …), from the catalogue of the connection's schema, read once per data source (one query
 * for every table) and again after migrations ran (forgetColumnTypes). Null on SQLite, for a table or column the
 * catalogue does not have, or a type columnRows cannot cast to (arrays): the caller writes its rows another way.
 */
export async function columnTypes(manager: EntityManager, table: string, columns: readonly string[]): Promise<string[] | null> {
  if (dialectOf(manager) !== 'postgres') return null;
  const ds = manager.connection;
  let catalog = await catalogOf(manager, false);
  if (!catalog.has(table)) {
    const seen = missed.get(ds) ?? new Set<string>();
    missed.set(ds, seen);
    if (seen.has(table)) return null;
    seen.add(table);
    catalog = await catalogOf(manager, true);
  }
  const types = catalog.get(table);
  if (!types) return null;
  const out: string[] = [];
  for (const c of columns) {
    const t = types.get(c);
    if (!t || !CASTABLE.test(t) || SIZED.has(t)) return null;
    out.push(t);
  }
  return out;
}

/** Drops what columnTypes read (call after the schema changed: runMigrations does). */
export function forgetColumnTypes(dataSource: DataSource): void {
  catalogs.delete(dataSource);
  missed.delete(dataSource);
}

/** What columnRows takes as a type name (no arrays, no quoted names). */
const CASTABLE = /^[a-z][a-z0-9 ]*$/;
/**
 * Types whose name without its modifier means a size of one (`character` is `char(1)`, `bit` is `bit(1)`): a cast to
 * it would cut values short, where a parameter assigned to the column is checked against its declared size.
 */
const SIZED = new Set(['character', 'bit']);

function catalogOf(manager: EntityManager, reload: boolean): Promise<Catalog> {
  const ds = manager.connection;
  let catalog = reload ? undefined : catalogs.get(ds);
  if (!catalog) {
    catalog = readCatalog(manager);
    catalogs.set(ds, catalog);
    // a failed read (the transaction it ran in was aborted, say) is not kept
    catalog.catch(() => catalogs.get(ds) === catalog && catalogs.delete(ds));
  }
  return catalog;
}

async function readCatalog(manager: EntityManager): Promise<Catalog> {
  const rows: Array<{ t: string; c: string; type: string }> = await manager.query(
    `SELECT cl.relname AS t, a.attname AS c, format_type(a.atttypid, NULL) AS type
       FROM pg_attribute a JOIN pg_class cl ON cl.oid = a.attrelid
      WHERE cl.relnamespace = current_schema()::regnamespace AND cl.relkind IN ('r', 'p')
        AND a.attnum > 0 AND NOT a.attisdropped`,
  );
  const catalog: Catalog = new Map();
  for (const r of rows) {
    let cols = catalog.get(r.t);
    if (!cols) catalog.set(r.t, (cols = new Map()));
    cols.set(r.c, r.type);
  }
  return catalog;
}
