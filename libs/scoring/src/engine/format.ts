/** Number formatting for the Chinese explanations and messages. */

/** 95 → "95", 9.5 → "9.5", 0.333333 → "0.3333" */
export function num(x: number | null): string {
  return x === null ? '' : String(Math.round(x * 1e4) / 1e4);
}

/** Fixed decimals for scores: 9.5 → "9.50" at precision 2. */
export function fixed(x: number, precision: number): string {
  return x.toFixed(precision);
}

/** 0.997744 → "99.77%" */
export function pct(rate: number): string {
  return `${(Math.round(rate * 10000) / 100).toFixed(2)}%`;
}
