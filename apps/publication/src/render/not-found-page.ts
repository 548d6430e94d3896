import { html, type SafeHtml } from '@jixiao/runtime/html';
import { layout } from './layout';

export function notFoundPage(what: string): SafeHtml {
  return layout(
    '未找到公开信息',
    html`<h1>未找到公开信息</h1>
<section class="card"><p>${what}</p><p class="muted">评价结果在审核通过后公开。如您认为此处应有内容，请联系本级财政部门。</p></section>`,
  );
}
