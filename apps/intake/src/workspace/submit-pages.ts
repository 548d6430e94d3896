import { html, type SafeHtml, SEVERITY_LABELS } from '@jixiao/runtime/html';
import { notice, ROLE_LABELS, type Viewer, workspacePage } from '@jixiao/runtime/workspace';
import type { DocumentSubmitted } from '../http/document-upload';

// Pages are written with the `html` template (every value escaped); prettier leaves the markup inside it alone
// (`embeddedLanguageFormatting: off`).

/** Where the units' submission page lives. */
export const SUBMIT = '/submit';

/** What the submitter filled in, shown again when the document was refused. */
export interface UploadDraft {
  region?: string;
  year?: string;
  previousVersionId?: string;
  /** This form's own key: posting it twice with the same file stores the forms once. */
  formKey?: string;
}

const evaluationLink = (id: string) => `/review/evaluations/${encodeURIComponent(id)}`;

/** The upload form: a document, and optionally its region and year (else read from it) and the version it corrects. */
export function uploadPage(viewer: Viewer, maxBytes: number, draft: UploadDraft, error: string | null): SafeHtml {
  const p = viewer.principal;
  if (p.role !== 'submitter') {
    const body = html`<h1>提交绩效自评表</h1><p class="card muted" data-testid="not-submitter">只有填报单位可以提交自评表；您的角色（${ROLE_LABELS[p.role]}）可以<a href="/review?state=all">查看已提交的自评表</a>。</p>`;
    return workspacePage(SUBMIT, '提交绩效自评表', body, viewer);
  }
  const corrects = draft.previousVersionId
    ? html`<p class="notice" data-testid="corrects">本次提交将作为自评表 <a href="${evaluationLink(draft.previousVersionId)}"><code>${draft.previousVersionId}</code></a> 的更正版本（文件中只能有一张表）；请先在该自评表页面查看退回或撤回的理由。</p>`
    : '';
  const body = html`<h1>提交绩效自评表</h1>
${notice('error', error)}${corrects}
<section class="card">
<form method="post" action="${SUBMIT}" enctype="multipart/form-data">
<input type="hidden" name="csrf" value="${viewer.csrf}">
${draft.formKey ? html`<input type="hidden" name="formKey" value="${draft.formKey}">` : ''}
${draft.previousVersionId ? html`<input type="hidden" name="previousVersionId" value="${draft.previousVersionId}">` : ''}
<p><label for="file">自评表文件</label><br><input id="file" type="file" name="file" required accept=".xlsx,.csv,.txt,.md,.json"></p>
<p class="muted">Excel（.xlsx）、CSV、从 PDF 或网页复制出的文本（.txt、.md），或 JSON；一个文件中可以有多张表，每张表单独提交。文件不超过 ${Math.round(maxBytes / 1024 / 1024)} MB。</p>
<div class="filters">
<p><label for="region">地区（可选）</label><br><input id="region" name="region" value="${draft.region ?? ''}" placeholder="130126 或 灵寿县"></p>
<p><label for="year">年度（可选）</label><br><input id="year" name="year" value="${draft.year ?? ''}" size="6" inputmode="numeric" placeholder="2023"></p>
</div>
<p class="muted">地区和年度不填时从表中识别；表中写不出的，请在此填写。${p.unit ? html`提交单位：${p.unit}。` : ''}</p>
<p><button class="primary" type="submit">提交</button></p>
</form>
</section>
<p><a href="/review?state=all">查看本单位已提交的自评表及审核结果</a>；需要模板可运行 <code>npm run -s jixiao -- template --xlsx 空白自评表.xlsx</code>。</p>`;
  return workspacePage(SUBMIT, '提交绩效自评表', body, viewer);
}

/** What was received: each form stored, its evaluation id (followed in the review workspace), and the parser's notes. */
export function receivedPage(viewer: Viewer, fileName: string, done: DocumentSubmitted): SafeHtml {
  const rows = done.versions.map((v, i) => {
    const f = done.forms[i];
    return html`<tr data-evaluation-id="${v.evaluationId}"><td>${f?.projectName ?? '（部门整体）'}</td><td>${f?.unitName ?? '—'}</td><td>${f?.region ?? '—'}</td><td class="num">${
      f?.fiscalYear ?? '—'
    }</td><td class="num">${v.version}${v.previousVersionId ? html`（更正 <code>${v.previousVersionId}</code>）` : ''}</td><td><a href="${evaluationLink(
      v.evaluationId,
    )}"><code>${v.evaluationId}</code></a></td></tr>`;
  });
  const notes = done.diagnostics.length
    ? html`<h2>读取说明</h2><ul data-testid="diagnostics">${done.diagnostics.map(
        (d) =>
          html`<li><span class="badge ${d.level}">${SEVERITY_LABELS[d.level]}</span> ${d.line ? html`第 ${d.line} 行${d.sheet ? html`（${d.sheet}）` : ''}：` : ''}${d.messageZh ?? d.message}</li>`,
      )}</ul>`
    : '';
  const body = html`<h1>已收到</h1>
<div class="flash" role="status" data-testid="flash">已收到 ${fileName} 中的 ${done.versions.length} 张自评表。财政部门按本地区规则复核评分后，结果和需要说明的问题会显示在各表的页面上。</div>
${done.replayed ? html`<p class="notice" data-testid="replayed">此表单刚才已提交过这个文件，这次没有重复保存；下面是第一次提交的结果。</p>` : ''}
<div class="scroll"><table data-testid="received">
<thead><tr><th>项目</th><th>单位</th><th>地区</th><th class="num">年度</th><th class="num">版本</th><th>评价编号</th></tr></thead>
<tbody>${rows}</tbody></table></div>
${notes}
<p><a href="${SUBMIT}">继续提交</a></p>`;
  return workspacePage(SUBMIT, '已收到', body, viewer);
}
