import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@jixiao/auth';
import { AuditRegistry, type ChainVerification } from '../audit.registry';
import { formatTime, html, type SafeHtml } from '../html';
import { SERVICE_CONTEXT, type ServiceContext } from '../service-context';
import { WorkspaceGate, viewerOf } from './gate';
import { messagePage, sendWorkspacePage, type Viewer, workspacePage } from './pages';

// Pages are written with the `html` template (every value escaped); prettier leaves the markup inside it alone
// (`embeddedLanguageFormatting: off`).

const AUDIT = '/audit';
const SERVICE_LABELS: Record<string, string> = {
  intake: '收件（intake）',
  scoring: '评分（scoring）',
  review: '审核（review）',
  publication: '公开（publication）',
};

const TAMPER_LABELS: Record<string, string> = {
  modified: '被修改',
  deleted: '被删除',
  inserted: '被插入（伪造）',
  reordered: '次序被调换',
};

function chainRow(service: string, c: ChainVerification): SafeHtml {
  return html`<tr data-service="${service}" data-ok="${String(c.ok)}"><td>${SERVICE_LABELS[service] ?? service}</td><td class="num">${c.records.toLocaleString('zh-CN')}</td><td>${
    c.ok
      ? html`<span class="badge published">完整</span>`
      : html`<span class="badge error">第 ${c.firstBad.seq} 条记录${TAMPER_LABELS[c.firstBad.reason] ?? c.firstBad.reason}</span> <code class="muted">${c.firstBad.reason}</code>`
  }</td></tr>`;
}

function auditPage(
  viewer: Viewer,
  result: { ok: boolean; records: number; chains: Record<string, ChainVerification> },
  at: string,
): SafeHtml {
  const body = html`<h1>审计校验</h1>
<p class="meta">每个服务的每一次状态变化都写入一条审计记录，记录之间以哈希相连：任何一条被修改、删除、插入或调换次序，校验都会指出第一条有问题的记录。本页校验本进程所运行服务的记录（命令行 <code>npm run -s jixiao -- audit verify</code> 校验全部服务）。</p>
${
  result.ok
    ? html`<div class="flash" role="status" data-testid="verdict">全部 ${result.records.toLocaleString('zh-CN')} 条审计记录完整。</div>`
    : html`<div class="notice" role="alert" data-testid="verdict">审计记录不完整：请保留现场并通知系统管理员。</div>`
}
<div class="scroll"><table data-testid="chains"><thead><tr><th>服务</th><th class="num">记录数</th><th>结果</th></tr></thead>
<tbody>${Object.entries(result.chains).map(([service, c]) => chainRow(service, c))}</tbody></table></div>
<p class="muted">校验时间 ${formatTime(at)}。<a href="${AUDIT}">重新校验</a></p>`;
  return workspacePage(AUDIT, '审计校验', body, viewer);
}

/** The audit check as a page (`GET /audit/verify` for people): auditors only. */
@ApiTags('workspace')
@ApiProduces('text/html')
@Public()
@Controller('audit')
export class AuditPageController {
  private readonly gate: WorkspaceGate;

  constructor(
    private readonly registry: AuditRegistry,
    @Inject(SERVICE_CONTEXT) ctx: ServiceContext,
  ) {
    this.gate = new WorkspaceGate(AUDIT, ctx.jwtVerificationSecrets);
  }

  @Get()
  @ApiOperation({ summary: 'The audit check as a page, for auditors: each chain of this process’s services (HTML)' })
  async page(@Req() req: Request, @Res() res: Response): Promise<void> {
    const session = this.gate.session(req, res);
    if (!session) return;
    if (session.principal.role !== 'auditor')
      return sendWorkspacePage(res, 403, messagePage(AUDIT, '无权查看', '审计校验供审计人员使用。', viewerOf(session)));
    sendWorkspacePage(
      res,
      200,
      auditPage(viewerOf(session), await this.registry.verifyAll(), new Date().toISOString()),
    );
  }
}
