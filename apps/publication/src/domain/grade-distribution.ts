/**
 * Grades in the order a reader expects, best first: the national labels (优/良/中/差) and the regional ones
 * (优秀/良好/一般/较差, 灵寿). Unknown labels follow in text order; evaluations without a grade come last.
 */
const KNOWN_ORDER = ['优', '优秀', '良', '良好', '中', '一般', '合格', '差', '较差', '不合格'];
export const UNGRADED = '未评级';

export interface GradeCount {
  grade: string;
  count: number;
}

export function gradeDistribution(grades: ReadonlyArray<string | null>): GradeCount[] {
  const counts = new Map<string, number>();
  for (const g of grades) {
    const key = g && g.trim() ? g.trim() : UNGRADED;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([grade, count]) => ({ grade, count })).sort((a, b) => rank(a.grade) - rank(b.grade) || a.grade.localeCompare(b.grade));
}

function rank(grade: string): number {
  if (grade === UNGRADED) return 1_000;
  const i = KNOWN_ORDER.indexOf(grade);
  return i === -1 ? 500 : i;
}
