import type { PublicIndexEntry } from '../queries/public-index.query';
import { html, type SafeHtml } from '@jixiao/runtime/html';
import { layout } from './layout';
import { regionLabel } from './region-page';

export function indexPage(entries: readonly PublicIndexEntry[], base: string): SafeHtml {
  const title = '预算绩效自评结果公开';
  const items = entries.map(
    (e) =>
      html`<li><a href="${base}/public/${encodeURIComponent(e.region)}/${e.fiscalYear}">${regionLabel(e.region, e.regionName)} ${e.fiscalYear}年度</a> <span class="muted">${e.count} 份</span></li>`,
  );
  return layout(
    title,
    html`<h1>${title}</h1><section class="card">${entries.length ? html`<ul>${items}</ul>` : html`<p class="muted">暂无公开的评价结果。</p>`}</section>`,
    base,
  );
}
