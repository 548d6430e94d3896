import { Controller, Get, HttpException, Inject, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@jixiao/auth';
import type { AuditPage, AuditRecord } from '@jixiao/persistence';
import { parseAuditQuery } from '../audit-query';
import { AuditRegistry, type ChainVerification } from '../audit.registry';
import {
  ACTOR_ROLE_LABELS,
  AUDIT_ACTION_LABELS,
  AUDIT_ENTITY_LABELS,
  auditEntityHref,
  auditStates,
} from './audit-labels';
import { formatTime, html, type SafeHtml } from '../html';
import { SERVICE_CONTEXT, type ServiceContext } from '../service-context';
import { WorkspaceGate, viewerOf } from './gate';
import { messageOf, messagePage, notice, sendWorkspacePage, type Viewer, workspacePage } from './pages';

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
<p class="muted">校验时间 ${formatTime(at)}。<a href="${AUDIT}">重新校验</a> · <a href="${AUDIT}/log" data-testid="log-link">查询审计记录</a></p>`;
  return workspacePage(AUDIT, '审计校验', body, viewer);
}

/** The log page's filters, as the form holds them (kept as typed). */
export interface AuditLogFilters {
  service?: string;
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  since?: string;
  until?: string;
}

const FILTER_KEYS = ['service', 'actor', 'action', 'entityType', 'entityId', 'since', 'until'] as const;

function logHref(filters: AuditLogFilters, before?: number): string {
  const q = new URLSearchParams();
  for (const k of FILTER_KEYS) if (filters[k]) q.set(k, filters[k]!);
  if (before !== undefined) q.set('before', String(before));
  const s = q.toString();
  return s ? `${AUDIT}/log?${s}` : `${AUDIT}/log`;
}

function recordRow(r: AuditRecord): SafeHtml {
  const href = auditEntityHref(r.entityType, r.entityId);
  return html`<tr data-seq="${r.seq}"><td class="num">${r.seq}</td><td>${formatTime(r.at)}</td><td>${r.actorUser} <span class="muted">(${
    ACTOR_ROLE_LABELS[r.actorRole] ?? r.actorRole
  })</span></td><td>${AUDIT_ENTITY_LABELS[r.entityType] ?? r.entityType} ${href ? html`<a href="${href}"><code>${r.entityId}</code></a>` : html`<code>${r.entityId}</code>`}</td><td data-action="${r.action}">${
    AUDIT_ACTION_LABELS[r.action] ?? r.action
  }</td><td>${auditStates(r.fromState, r.toState)}</td><td class="reason">${r.reason ?? ''}</td><td><code class="muted" title="${r.hash}">${r.hash.slice(7, 19)}</code></td></tr>`;
}

/** 审计记录: one service's log searched, newest first, a page at a time. */
export function auditLogPage(
  viewer: Viewer,
  services: readonly string[],
  filters: AuditLogFilters,
  found: { service: string; page: AuditPage } | null,
  error: string | null,
): SafeHtml {
  const service = found?.service ?? filters.service ?? services[0];
  // every service is offered: behind the deployment's gateway (docker/gateway.conf) each one's log is asked of the
  // process that runs it; a process asked for a log it does not keep says so
  const options = [...new Set([...Object.keys(SERVICE_LABELS), ...services])].map(
    (s) => html`<option value="${s}"${s === service ? html` selected` : ''}>${SERVICE_LABELS[s] ?? s}</option>`,
  );
  const form = html`<form class="filters card" method="get" action="${AUDIT}/log">
<label>服务<select name="service">${options}</select></label>
<label>操作人<input name="actor" value="${filters.actor ?? ''}" size="12" placeholder="用户名"></label>
<label>操作<input name="action" value="${filters.action ?? ''}" size="12" list="audit-actions" placeholder="如 return"></label>
<label>对象类型<select name="entityType"><option value="">全部</option>${Object.entries(AUDIT_ENTITY_LABELS).map(
    ([k, v]) => html`<option value="${k}"${filters.entityType === k ? html` selected` : ''}>${v}</option>`,
  )}</select></label>
<label>对象编号<input name="entityId" value="${filters.entityId ?? ''}" size="16"></label>
<label>起始日期<input name="since" type="date" value="${filters.since ?? ''}"></label>
<label>截止日期<input name="until" type="date" value="${filters.until ?? ''}"></label>
<button class="primary" type="submit">查询</button>
<datalist id="audit-actions">${Object.entries(AUDIT_ACTION_LABELS).map(([k, v]) => html`<option value="${k}">${v}</option>`)}</datalist>
</form>`;
  const records = found?.page.records ?? [];
  const table = !found
    ? ''
    : records.length
      ? html`<div class="scroll"><table data-testid="audit-records"><thead><tr><th class="num">序号</th><th>时间</th><th>操作人</th><th>对象</th><th>操作</th><th>状态变化</th><th>理由</th><th>哈希</th></tr></thead>
<tbody>${records.map(recordRow)}</tbody></table></div>
<p class="pager">${found.page.next !== null ? html`<a href="${logHref(filters, found.page.next)}" rel="next">更早的记录</a>` : html`<span class="muted">没有更早的记录了。</span>`}</p>`
      : html`<p class="card muted" data-testid="empty">没有符合条件的审计记录。</p>`;
  const body = html`<h1>审计记录</h1>
<p class="meta">${SERVICE_LABELS[service] ?? service} 的审计记录，最新的在前；日期按北京时间，截止日期当天包含在内。本页查询本进程所运行服务的记录（命令行 <code>npm run -s jixiao -- audit log</code> 可查询全部服务）。<a href="${AUDIT}">校验审计记录</a></p>
${notice('error', error)}${form}${table}`;
  return workspacePage(AUDIT, '审计记录', body, viewer);
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

  @Get('log')
  @ApiOperation({
    summary: 'The audit records of one of this process’s services, searched (auditors; HTML; `GET /audit/records`)',
  })
  async log(@Req() req: Request, @Res() res: Response, @Query() query: Record<string, unknown>): Promise<void> {
    const session = this.gate.session(req, res, `${AUDIT}/log`);
    if (!session) return;
    if (session.principal.role !== 'auditor')
      return sendWorkspacePage(res, 403, messagePage(AUDIT, '无权查看', '审计记录供审计人员查询。', viewerOf(session)));
    const filters: AuditLogFilters = {};
    for (const k of FILTER_KEYS) if (typeof query[k] === 'string' && query[k]) filters[k] = (query[k] as string).trim();
    const services = this.registry.services();
    try {
      const { service, search } = parseAuditQuery({ ...filters, before: query.before }, services);
      const page = await this.registry.search(service, search)!;
      sendWorkspacePage(res, 200, auditLogPage(viewerOf(session), services, filters, { service, page }, null));
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      sendWorkspacePage(
        res,
        err.getStatus(),
        auditLogPage(viewerOf(session), services, filters, null, `请检查查询条件：${messageOf(err)}`),
      );
    }
  }
}
