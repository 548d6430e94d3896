/** Grade labels best first, as the rule sets name them (优/优秀, 良/良好, 中/合格/一般, 差/较差/不合格). */
const GRADE_ORDER = ['优', '优秀', '良', '良好', '中', '合格', '一般', '差', '较差', '不合格'];

/** The distinct grades, best first; unknown labels after, in text order; no grade (null) last. */
export function orderGrades(grades: Iterable<string | null>): (string | null)[] {
  const rank = (g: string | null) => (g === null ? 1e6 : GRADE_ORDER.includes(g) ? GRADE_ORDER.indexOf(g) : 1e3);
  return [...new Set(grades)].sort((a, b) => rank(a) - rank(b) || String(a).localeCompare(String(b)));
}
