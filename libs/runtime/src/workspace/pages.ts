import type { HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { type Principal, ROLE_LABELS } from '@jixiao/auth';
import { html, PAGE_CSS, type SafeHtml, sendHtml, trusted } from '../html';

// Pages are written with the `html` template (every value escaped); prettier leaves the markup inside it alone
// (`embeddedLanguageFormatting: off`).

/**
 * The staff's pages: the review workspace (review), the units' submission page (intake), the rule sets (scoring), the
 * management of what was published (publication), the audit check (every process, for the services it runs).
 */
export type Area = '/review' | '/submit' | '/rules' | '/publish' | '/audit';
const AREAS: readonly Area[] = ['/review', '/submit', '/rules', '/publish', '/audit'];

/** Where every process signs the staff in and out (one session for all the areas, whichever service serves them). */
export const SESSION = '/session';

/** Who is looking, and the token every form of theirs posts back to prove it came from one of these pages. */
export interface Viewer {
  principal: Principal;
  csrf: string;
}

export { ROLE_LABELS };

const CSS = trusted(`
header.site{display:flex;justify-content:space-between;align-items:center;gap:16px;flex-wrap:wrap}
header.site nav a{margin-right:18px}
header.site form{margin:0;display:inline}
header.site button{background:transparent;color:#fff;border:1px solid #fff;border-radius:4px;padding:2px 10px;cursor:pointer;margin-left:8px}
.who{font-size:.9rem;opacity:.9}
.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:flex-end}
.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--muted)}
input,select,textarea{font:inherit;padding:4px 8px;border:1px solid var(--line);border-radius:4px;background:#fff}
textarea{width:100%;min-height:4.5em}
button.primary{background:var(--accent);color:#fff;border:0;border-radius:4px;padding:6px 18px;font:inherit;cursor:pointer}
button.ok{background:var(--ok)}
.decisions{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:16px}
.decisions form{background:#fff;border:1px solid var(--line);border-radius:6px;padding:14px 16px}
.decisions h3{margin:0 0 8px;font-size:1.05rem}
.flash{border-left:4px solid var(--ok);background:#effaf3;padding:10px 14px;margin:16px 0}
td.diff{color:var(--accent);font-weight:600}
tr.differs td{background:#fffaf0}
.badge.in_review,.badge.submitted,.badge.scored{background:#e7f0ff;color:#1f4f99}
.badge.approved,.badge.published{background:#e3f9e5;color:var(--ok)}
.badge.returned,.badge.retracted{background:#ffe3e3;color:var(--accent)}
.badge.error{background:#ffe3e3;color:var(--accent)}
.badge.warning{background:#fff3c4;color:#8d5b00}
.badge.info,.badge.unknown{background:#eef2f7;color:var(--muted)}
.badge.resolved{background:#e3f9e5;color:var(--ok)}
.badge.remaining{background:#ffe3e3;color:var(--accent)}
p.reason{white-space:pre-line}
form.hold{margin:8px 0}
form.hold button{font:inherit;border:1px solid var(--line);border-radius:4px;background:#fff;padding:2px 12px;cursor:pointer}
fieldset.flags{border:1px solid var(--line);border-radius:4px;margin:0 0 10px;padding:6px 10px;max-height:18em;overflow:auto}
fieldset.flags legend{font-size:.9rem;color:var(--muted)}
fieldset.flags label{display:block;margin:4px 0;font-size:.9rem}
.pager{display:flex;gap:16px;align-items:center}
`);

/** Where each role starts: a unit submits and follows its own; a reviewer works through what waits; rules for all. */
function navigation(role: Principal['role']): SafeHtml {
  if (role === 'submitter')
    return html`<nav><a href="/submit">提交自评表</a><a href="/review?state=all">本单位自评表</a></nav>`;
  if (role === 'reviewer')
    return html`<nav><a href="/review">待审核</a><a href="/review?state=all">全部自评表</a><a href="/review/roster">填报情况</a><a href="/review/summary">结果汇总</a><a href="/publish">公开管理</a><a href="/rules">评分规则</a></nav>`;
  if (role === 'auditor')
    return html`<nav><a href="/review?state=all">全部自评表</a><a href="/review/roster">填报情况</a><a href="/review/summary">结果汇总</a><a href="/publish">公开管理</a><a href="/rules">评分规则</a><a href="/audit">审计校验</a><a href="/audit/log">审计记录</a><a href="/queues">队列</a></nav>`;
  return html`<nav><a href="/review?state=all">全部自评表</a><a href="/review/roster">填报情况</a><a href="/review/summary">结果汇总</a><a href="/publish">公开管理</a><a href="/rules">评分规则</a><a href="/queues">队列</a></nav>`;
}

/** Every page of the staff's: the header (who is signed in, sign-out), the body, the footer. */
export function workspacePage(area: Area, title: string, body: SafeHtml, viewer: Viewer | null): SafeHtml {
  const who = viewer
    ? html`${navigation(viewer.principal.role)}<span class="who">${viewer.principal.sub} · ${ROLE_LABELS[viewer.principal.role]} · ${viewer.principal.regions.join('、')}${
        viewer.principal.unit ? html` · ${viewer.principal.unit}` : ''
      }<form method="post" action="${SESSION}/sign-out"><input type="hidden" name="csrf" value="${viewer.csrf}"><input type="hidden" name="next" value="${area}"><button type="submit">退出</button></form></span>`
    : '';
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · 预算绩效自评</title>
<style>${PAGE_CSS}${CSS}</style>
</head>
<body>
<header class="site"><a href="${area}">预算绩效自评工作台</a>${who}</header>
<main>
${body}
</main>
<footer>每一次提交与审核操作都记入不可篡改的审计记录（操作人、时间、状态变化与理由）。</footer>
</body>
</html>
`;
}

export function notice(kind: 'error' | 'flash', text: string | null | undefined): SafeHtml | string {
  if (!text) return '';
  return kind === 'error'
    ? html`<div class="notice" role="alert" data-testid="error">${text}</div>`
    : html`<div class="flash" role="status" data-testid="flash">${text}</div>`;
}

/** The sign-in form: a token pasted once, kept in an HttpOnly session cookie; then on to `next` (default the area). */
export function signInPage(area: Area, message: string | null, next: string | null = null): SafeHtml {
  const body = html`<h1>登录</h1>
${notice('error', message)}
<section class="card">
<form method="post" action="${SESSION}/sign-in"><input type="hidden" name="next" value="${next ?? area}">
<p><label for="token">访问令牌</label><br><textarea id="token" name="token" required autocomplete="off" spellcheck="false" placeholder="eyJ…"></textarea></p>
<p><button class="primary" type="submit">登录</button></p>
</form>
<p class="muted">令牌由系统管理员签发（如 <code>npm run -s jixiao -- token --role submitter --region 130126 --unit 单位名称</code>，或 <code>--role reviewer</code>），载明您的角色和地区。
填报单位可提交本单位的自评表并查看审核结果；审核人员可审核所负责地区及其下级地区的自评表；规则管理员和审计人员可查看。令牌只保存在本浏览器的会话 Cookie 中，退出即清除。</p>
</section>`;
  return workspacePage(area, '登录', body, null);
}

/** A page that only says what went wrong (404, 403, a forged form), with the way back. */
export function messagePage(area: Area, title: string, message: string, viewer: Viewer | null): SafeHtml {
  return workspacePage(
    area,
    title,
    html`<h1>${title}</h1>${notice('error', message)}<p><a href="${area}">返回</a></p>`,
    viewer,
  );
}

/** What a refused query or command said (its HttpException's message), to keep beside the staff's words. */
export function messageOf(err: HttpException): string {
  const said = err.getResponse() as { message?: unknown; messageZh?: unknown };
  return String(said.messageZh ?? said.message ?? err.message);
}

/** Sends one of the staff's pages: its forms post only here, and nothing of it is cached. */
export function sendWorkspacePage(res: Response, status: number, page: SafeHtml): void {
  sendHtml(res, status, page, { forms: 'self', private: true });
}

/** Only a staff page may follow sign-in or sign-out (never another site, nor a path that leaves them). */
export function safeNext(next: unknown): string | null {
  if (typeof next !== 'string') return null;
  // an area, then segments of ids and names only: none may start with a dot (no `..`), no escapes, no query
  return /^\/(review|submit|rules|publish|audit)(\/[A-Za-z0-9_@-][A-Za-z0-9_@.-]*)*$/.test(next) ? next : null;
}

/** The area a (safe) path belongs to, for the page that answers there. */
export function areaOf(path: string | null): Area {
  const area = path ? `/${path.split('/')[1]}` : '';
  return AREAS.includes(area as Area) ? (area as Area) : '/review';
}
