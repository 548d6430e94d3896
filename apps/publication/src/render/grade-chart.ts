import type { GradeCount } from '../domain/grade-distribution';
import { html, type SafeHtml } from '@jixiao/runtime/html';

const COLORS = ['#1f7a4d', '#3b82a0', '#d69e2e', '#c53030', '#6b7280', '#805ad5', '#718096'];

/**
 * A horizontal bar chart of the grade distribution as inline SVG, with the grade and the count written as text on
 * each bar (readable without colour, and by screen readers through the title and the table beside it).
 */
export function gradeChart(distribution: readonly GradeCount[]): SafeHtml {
  const max = Math.max(1, ...distribution.map((d) => d.count));
  const total = distribution.reduce((n, d) => n + d.count, 0);
  const rowHeight = 34;
  const labelWidth = 90;
  const barMax = 420;
  const height = Math.max(1, distribution.length) * rowHeight + 10;
  const bars = distribution.map((d, i) => {
    const y = 5 + i * rowHeight;
    const width = Math.max(2, Math.round((d.count / max) * barMax));
    const share = total ? Math.round((d.count / total) * 1000) / 10 : 0;
    return html`<g data-testid="grade-bar" data-grade="${d.grade}" data-count="${d.count}">
<text x="${labelWidth - 8}" y="${y + 20}" text-anchor="end" font-size="15" fill="#1f2933">${d.grade}</text>
<rect x="${labelWidth}" y="${y + 4}" width="${width}" height="${rowHeight - 10}" rx="3" fill="${COLORS[i % COLORS.length]}"></rect>
<text x="${labelWidth + width + 8}" y="${y + 20}" font-size="14" fill="#1f2933">${d.count} 项（${share}%）</text>
</g>`;
  });
  const summary = distribution.map((d) => `${d.grade} ${d.count} 项`).join('，');
  return html`<svg data-testid="grade-chart" role="img" aria-labelledby="grade-chart-title" xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0 0 ${labelWidth + barMax + 110} ${height}" preserveAspectRatio="xMinYMin meet">
<title id="grade-chart-title">等级分布：${summary || '暂无'}</title>
${bars}
</svg>`;
}
