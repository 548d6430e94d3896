import { html, PAGE_CSS, type SafeHtml } from '@jixiao/runtime/html';

export function layout(title: string, body: SafeHtml, base = ''): SafeHtml {
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${PAGE_CSS}</style>
</head>
<body>
<header class="site"><a href="${base}/public">预算绩效自评结果公开</a></header>
<main>
${body}
</main>
<footer>本页面由绩效自评系统根据审核通过的评分结果自动生成；修订与撤回记录均予保留。</footer>
</body>
</html>
`;
}
