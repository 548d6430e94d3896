import { Brackets, type ObjectLiteral, type SelectQueryBuilder, type WhereExpressionBuilder } from 'typeorm';
import type { RegionMatch } from '@jixiao/auth/region-scope';

/**
 * `region IN (…) OR region LIKE '13%' …` on `alias.region`; nothing to add when the match is everything. `name`
 * keeps the parameters of two such filters on one query apart (a reader's scope and the region asked for).
 */
export function whereRegion<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  match: RegionMatch,
  name: string,
  alias: string,
): void {
  if (match.all) return;
  qb.andWhere(
    new Brackets((w: WhereExpressionBuilder) => {
      w.where('1 = 0');
      if (match.exact.length) w.orWhere(`${alias}.region IN (:...${name}Exact)`, { [`${name}Exact`]: match.exact });
      match.prefixes.forEach((p, i) => w.orWhere(`${alias}.region LIKE :${name}P${i}`, { [`${name}P${i}`]: `${p}%` }));
    }),
  );
}

/** Words a search may hold: more are ignored (a name is short; each word is one more LIKE). */
export const SEARCH_WORDS = 5;

/**
 * Every word of `q` in one of `columns` (the search box of a list: 单位或项目名称): `%` and `_` are literal, case as
 * the database compares it.
 */
export function whereWords<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  q: string,
  columns: readonly string[],
): void {
  q.split(/\s+/)
    .filter(Boolean)
    .slice(0, SEARCH_WORDS)
    .forEach((word, i) => {
      const like = `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(`(${columns.map((c) => `${c} LIKE :q${i} ESCAPE '\\'`).join(' OR ')})`, { [`q${i}`]: like });
    });
}
