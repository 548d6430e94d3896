import type { Response } from 'express';
import { trusted, type SafeHtml } from './html';

/**
 * The pages' one stylesheet, inline: they load nothing from anywhere (no CDN, no fonts, no scripts). Shared by the
 * public pages (publication) and the reviewers' workspace (review), which add their own header and footer.
 */
export const PAGE_CSS = trusted(`
:root{--ink:#1f2933;--muted:#52606d;--line:#d9e2ec;--bg:#f5f7fa;--accent:#9b1c1c;--ok:#1f7a4d;--warn:#b7791f}
*{box-sizing:border-box}
body{margin:0;font:16px/1.6 "PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:var(--ink);background:var(--bg)}
header.site{background:var(--accent);color:#fff;padding:14px 24px}
header.site a{color:#fff;text-decoration:none;font-weight:600}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.6rem;margin:.2em 0 .4em}
h2{font-size:1.2rem;margin:1.6em 0 .6em;border-left:4px solid var(--accent);padding-left:8px}
.meta{color:var(--muted);margin:0 0 1em}
.card{background:#fff;border:1px solid var(--line);border-radius:6px;padding:16px 20px;margin:16px 0}
table{width:100%;border-collapse:collapse;background:#fff;margin:12px 0}
.scroll{overflow-x:auto}
svg[data-testid=grade-chart]{display:block;max-width:640px;height:auto}
th,td{border:1px solid var(--line);padding:6px 10px;text-align:left;vertical-align:top}
th{background:#eef2f7;font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.badge{display:inline-block;padding:0 8px;border-radius:10px;font-size:.85em;white-space:nowrap}
.badge.published{background:#e3f9e5;color:var(--ok)}
.badge.revised{background:#fff3c4;color:#8d5b00}
.badge.review{background:#e7f0ff;color:#1f4f99}
.badge.retracted{background:#ffe3e3;color:var(--accent)}
.notice{border-left:4px solid var(--accent);background:#fff5f5;padding:10px 14px;margin:16px 0}
.downloads a{margin-right:16px}
.muted{color:var(--muted)}
.summary{display:flex;gap:24px;flex-wrap:wrap}
.summary div{min-width:120px}
.summary strong{display:block;font-size:1.4rem}
code{font-size:.85em;word-break:break-all}
footer{color:var(--muted);font-size:.85rem;text-align:center;padding:24px}
@media (max-width:700px){main{padding:12px}th,td{padding:4px 6px;font-size:.9rem}}
`);

/**
 * No scripts, no external anything: a browser refuses what a planted tag might try even if escaping ever failed.
 * Pages with forms (the workspace) may post them to this origin only; the public pages post nowhere.
 */
export function pageCsp(forms: 'none' | 'self' = 'none'): string {
  return `default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action '${forms}'; frame-ancestors 'none'`;
}

/** Sends a rendered page with its security headers; `private` pages (a signed-in user's) are never cached. */
export function sendHtml(
  res: Response,
  status: number,
  page: SafeHtml,
  options: { forms?: 'none' | 'self'; private?: boolean } = {},
): void {
  res.setHeader('Content-Security-Policy', pageCsp(options.forms));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (options.private) {
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Referrer-Policy', 'same-origin');
  }
  res.status(status).type('text/html; charset=utf-8').send(page.value);
}
