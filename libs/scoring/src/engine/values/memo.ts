/**
 * Memoises a pure function of one string. Form texts repeat heavily across evaluations ("97%", "优",
 * "产出指标 (50分)"), so the bulk path parses each distinct text once. Bounded: cleared when full.
 */
export function memoize<R>(fn: (s: string) => R, limit = 50_000): (s: string) => R {
  const cache = new Map<string, R>();
  return (s: string) => {
    let r = cache.get(s);
    if (r === undefined && !cache.has(s)) {
      if (cache.size >= limit) cache.clear();
      r = fn(s);
      cache.set(s, r);
    }
    return r as R;
  };
}
