import {
  BadRequestException,
  Body,
  Catch,
  Controller,
  Get,
  HttpException,
  Inject,
  Param,
  Post,
  Query,
  Req,
  Res,
  UploadedFile,
  UseFilters,
  UseInterceptors,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public } from '@jixiao/auth';
import { SERVICE_CONTEXT, type ServiceContext } from '@jixiao/runtime';
import type { SafeHtml } from '@jixiao/runtime/html';
import {
  messageOf,
  messagePage,
  PageRefusalFilter,
  sendWorkspacePage,
  type SignedIn,
  type Viewer,
  viewerOf,
  WorkspaceGate,
} from '@jixiao/runtime/workspace';
import { GetGradeCutoffs, type GradeCutoffsView, SetGradeCutoffs, SetTierCutoffs } from '../commands/grade-cutoffs';
import { ActivateVersion, CancelRun, PreviewImpact, ResumeRun, SaveDraft } from '../commands/rule-version.commands';
import { yearsOf } from '../http/rule-set-versions.controller';
import { ListRuleSets } from '../queries/rule-set.queries';
import { DiffVersions, GetRun, ListRuns, ListVersions } from '../queries/rule-versions.queries';
import {
  type DiffView,
  indexPage,
  RULES,
  type RuleSetSummary,
  ruleSetPage,
  runPage,
  type RunView,
  type VersionView,
} from './rules-pages';

type Form = Record<string, unknown> | undefined;
type Issue = { path?: string; line?: number; message?: string; messageZh?: string };

/** A rule file is small; anything larger is not one. */
const MAX_RULE_FILE_BYTES = 1024 * 1024;
/**
 * A number as people type it on these forms: digits with an optional decimal part, full-width forms and a trailing
 * % allowed where a percentage is asked for; anything else is NaN, which the commands refuse naming the field.
 */
function decimal(v: string, percent = false): number {
  const t = v
    .normalize('NFKC')
    .trim()
    .replace(percent ? /%$/ : /$^/, '')
    .trim();
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : Number.NaN;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const rulesPath = (id: string) => `${RULES}/${encodeURIComponent(id)}`;
const runPath = (id: string) => `${RULES}/runs/${encodeURIComponent(id)}`;
const FLASH: Record<string, string> = {
  impact: '影响预览已开始：用草稿重新评分，不保存结果。',
  activated: '已启用：受影响的评价正在按新规则重新评分。',
  cancelled: '已取消：已写入的部分保留，可继续。',
  resumed: '已继续。',
};

/** A refusal in the staff's words, the service's message kept. */
function refusal(err: HttpException): string {
  const status = err.getStatus();
  if (status === 403) return `无权执行此操作：${messageOf(err)}`;
  if (status === 404) return `未找到：${messageOf(err)}`;
  if (status === 409) return `操作未执行：${messageOf(err)}`;
  if (status === 422) return '草稿未保存：规则文件有错误（见下方各处）。';
  if (status === 413) return `规则文件超过 ${MAX_RULE_FILE_BYTES / 1024} KB，未保存。`;
  return `操作未执行：${messageOf(err)}`;
}

/** A rule file's problems, one line each with where (JSON path and line) — as the loader names them, in Chinese. */
function issuesOf(err: HttpException): string[] {
  const issues = (err.getResponse() as { issues?: Issue[] }).issues ?? [];
  return issues.map((i) => `${i.path ?? ''}${i.line ? `（第 ${i.line} 行）` : ''}：${i.messageZh ?? i.message ?? ''}`);
}

/** A draft upload refused before the handler (over the size limit): a page saying why. */
@Catch(HttpException)
class RuleUploadRefusedFilter extends PageRefusalFilter {
  constructor(@Inject(SERVICE_CONTEXT) ctx: ServiceContext) {
    super(RULES, ctx);
  }

  protected page(viewer: Viewer, err: HttpException): SafeHtml {
    return messagePage(RULES, '草稿未保存', refusal(err), viewer);
  }
}

/**
 * The rule-set pages at /rules: every rule set with its versions, what a draft changes (in bands, tiers, weights,
 * formulas), the impact preview with its report, activation with a reason, and the re-scoring run's progress — the
 * same commands and queries as the API and `jixiao rules`, for a bureau's rule admins in a browser. Readable by every
 * signed-in role except units; changing needs a rule admin of the region, as on the API.
 */
@ApiTags('workspace')
@ApiProduces('text/html')
@Public()
@Controller('rules')
export class RulesPageController {
  private readonly gate: WorkspaceGate;

  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    @Inject(SERVICE_CONTEXT) ctx: ServiceContext,
  ) {
    this.gate = new WorkspaceGate(RULES, ctx.jwtVerificationSecrets);
  }

  private reader(req: Request, res: Response, next: string | null = null): SignedIn | null {
    const session = this.gate.session(req, res, next);
    if (!session) return null;
    if (session.principal.role === 'submitter') {
      sendWorkspacePage(
        res,
        403,
        messagePage(
          RULES,
          '无权查看',
          '评分规则页面供财政部门使用；请在自评表页面查看评分结果和说明。',
          viewerOf(session),
        ),
      );
      return null;
    }
    return session;
  }

  @Get()
  @ApiOperation({
    summary: 'Rule-set pages: every rule set, its active versions and drafts; the latest re-scoring runs (HTML)',
  })
  async index(@Req() req: Request, @Res() res: Response): Promise<void> {
    const session = this.reader(req, res);
    if (!session) return;
    const sets = await this.queries.execute<
      ListRuleSets,
      Array<{ id: string; region: { name: string }; extends: string | null }>
    >(new ListRuleSets());
    const unique = [...new Map(sets.map((s) => [s.id, s])).values()];
    const summaries: RuleSetSummary[] = [];
    for (const s of unique)
      summaries.push({
        id: s.id,
        regionName: s.region.name,
        extends: s.extends,
        versions: await this.queries.execute<ListVersions, VersionView[]>(new ListVersions(s.id)),
      });
    const runs = await this.queries.execute<ListRuns, { items: RunView[] }>(new ListRuns(10));
    sendWorkspacePage(res, 200, indexPage(viewerOf(session), summaries, runs.items));
  }

  @Get('runs/:run')
  @ApiOperation({
    summary: 'A re-scoring run: progress (a Refresh header while it runs), the impact report, cancel or resume (HTML)',
  })
  async run(
    @Req() req: Request,
    @Res() res: Response,
    @Param('run') runId: string,
    @Query('done') done?: string,
  ): Promise<void> {
    const session = this.reader(req, res, runPath(runId));
    if (!session) return;
    await this.showRun(res, session, runId, 200, { done });
  }

  @Get(':id')
  @ApiOperation({
    summary: 'A rule set: its versions, what a draft changes (`?from=&to=`), the rule admin’s forms (HTML)',
  })
  async ruleSet(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Query('from') from?: string,
    @Query('to') to?: string,
  ): Promise<void> {
    const session = this.reader(req, res, rulesPath(id));
    if (!session) return;
    const n = (s: string | undefined) => (s && /^\d+$/.test(s) ? Number(s) : null);
    await this.showRuleSet(res, session, id, 200, { from: n(from), to: n(to) });
  }

  @Post(':id/drafts')
  @ApiOperation({
    summary: 'Upload a draft from the page (multipart: file, csrf); 303 to the rule set, or its errors listed',
  })
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: MAX_RULE_FILE_BYTES, files: 1 } }))
  @UseFilters(RuleUploadRefusedFilter)
  async uploadDraft(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @UploadedFile() file: { originalname: string; buffer: Buffer } | undefined,
    @Body() form: Form,
  ): Promise<void> {
    const session = this.gate.session(req, res, rulesPath(id));
    if (!session || !this.gate.formIsGenuine(req, res, session, form)) return;
    if (!file) return this.showRuleSet(res, session, id, 400, { error: '请选择规则文件（JSON）。' });
    let body: unknown;
    try {
      body = JSON.parse(file.buffer.toString('utf8'));
    } catch (err) {
      return this.showRuleSet(res, session, id, 422, {
        error: `草稿未保存：${file.originalname} 不是有效的 JSON（${(err as Error).message}）。`,
      });
    }
    try {
      const saved = await this.commands.execute<SaveDraft, { version: number; existing: boolean }>(
        new SaveDraft(id, body, session.principal),
      );
      res.redirect(303, `${rulesPath(id)}?to=${saved.version}`);
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      return this.showRuleSet(res, session, id, err.getStatus(), { error: refusal(err), issues: issuesOf(err) });
    }
  }

  @Post(':id/versions/:v/impact')
  @ApiOperation({ summary: 'Preview a draft’s impact from the page (form: csrf, years?); 303 to the run' })
  async impact(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('v') v: string,
    @Body() form: Form,
  ): Promise<void> {
    await this.act(req, res, id, form, { years: text(form?.years) }, async (session) => {
      const started = await this.commands.execute<PreviewImpact, { runId: string }>(
        new PreviewImpact(id, Number(v), session.principal, yearsOf(text(form?.years))),
      );
      return `${runPath(started.runId)}?done=impact`;
    });
  }

  @Post(':id/versions/:v/activate')
  @ApiOperation({ summary: 'Activate from the page (form: csrf, reason, years?); 303 to the run' })
  async activate(
    @Req() req: Request,
    @Res() res: Response,
    @Param('id') id: string,
    @Param('v') v: string,
    @Body() form: Form,
  ): Promise<void> {
    const draft = { reason: text(form?.reason), years: text(form?.years) };
    await this.act(req, res, id, form, draft, async (session) => {
      if (!draft.reason) throw new BadRequestException('请填写启用理由：它将记入审计记录。');
      const started = await this.commands.execute<ActivateVersion, { runId: string }>(
        new ActivateVersion(id, Number(v), draft.reason, yearsOf(draft.years), session.principal),
      );
      return `${runPath(started.runId)}?done=activated`;
    });
  }

  @Post(':id/grades')
  @ApiOperation({
    summary: 'Save new grade cutoffs as a draft from the page (form: csrf, grade-<i>, cutoff-<i>); 303 to the rule set',
  })
  async grades(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Body() form: Form): Promise<void> {
    const session = this.gate.session(req, res, rulesPath(id));
    if (!session || !this.gate.formIsGenuine(req, res, session, form)) return;
    const typed: Record<string, string> = {};
    for (let i = 0; i < 20; i++) {
      const grade = text(form?.[`grade-${i}`]);
      if (grade) typed[grade] = typeof form?.[`cutoff-${i}`] === 'string' ? (form[`cutoff-${i}`] as string).trim() : '';
    }
    // a number as people write it (85, 85.5, full-width digits); anything else is refused by the command, by grade
    const from = Object.fromEntries(Object.entries(typed).map(([g, v]) => [g, decimal(v)]));
    await this.saveDraftFrom(res, session, id, new SetGradeCutoffs(id, from, session.principal), { cutoffs: typed });
  }

  @Post(':id/tiers')
  @ApiOperation({
    summary:
      'Save new qualitative tiers as a draft from the page (form: csrf, tier-<i>, from-<i> %, default-<i> %); 303 to the rule set',
  })
  async tiers(@Req() req: Request, @Res() res: Response, @Param('id') id: string, @Body() form: Form): Promise<void> {
    const session = this.gate.session(req, res, rulesPath(id));
    if (!session || !this.gate.formIsGenuine(req, res, session, form)) return;
    const typed: Record<string, { from?: string; default?: string }> = {};
    const value = (k: string) => (typeof form?.[k] === 'string' ? (form[k] as string).trim() : undefined);
    for (let i = 0; i < 20; i++) {
      const tier = text(form?.[`tier-${i}`]);
      if (tier) typed[tier] = { from: value(`from-${i}`), default: value(`default-${i}`) ?? '' };
    }
    // percentages as people write them (60, 62.5, full-width digits) to fractions; anything else is refused by tier
    const fraction = (v: string | undefined) => Math.round(decimal(v ?? '', true) * 10_000) / 1_000_000;
    const set = Object.fromEntries(
      Object.entries(typed).map(([t, v]) => [
        t,
        { ...(v.from === undefined ? {} : { from: fraction(v.from) }), default: fraction(v.default) },
      ]),
    );
    await this.saveDraftFrom(res, session, id, new SetTierCutoffs(id, set, session.principal), { tiers: typed });
  }

  /** A draft saved from one of the page's forms: 303 to the rule set showing what it changes, or the page saying why not. */
  private async saveDraftFrom(
    res: Response,
    session: SignedIn,
    id: string,
    command: SetGradeCutoffs | SetTierCutoffs,
    typed: { cutoffs?: Record<string, string>; tiers?: Record<string, { from?: string; default?: string }> },
  ): Promise<void> {
    try {
      const saved = await this.commands.execute<typeof command, { version: number }>(command);
      res.redirect(303, `${rulesPath(id)}?to=${saved.version}`);
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      return this.showRuleSet(res, session, id, err.getStatus(), {
        error: refusal(err),
        issues: issuesOf(err),
        ...typed,
      });
    }
  }

  @Post('runs/:run/:action')
  @ApiOperation({
    summary: 'Cancel or resume a run from the page (action: cancel | resume; form: csrf); 303 to the run',
  })
  async control(
    @Req() req: Request,
    @Res() res: Response,
    @Param('run') runId: string,
    @Param('action') action: string,
    @Body() form: Form,
  ): Promise<void> {
    const session = this.gate.session(req, res, runPath(runId));
    if (!session || !this.gate.formIsGenuine(req, res, session, form)) return;
    const command =
      action === 'cancel'
        ? new CancelRun(runId, session.principal)
        : action === 'resume'
          ? new ResumeRun(runId, session.principal)
          : null;
    if (!command)
      return sendWorkspacePage(res, 404, messagePage(RULES, '未找到', `没有“${action}”这一操作。`, viewerOf(session)));
    try {
      await this.commands.execute(command);
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      return this.showRun(res, session, runId, err.getStatus(), { error: refusal(err) });
    }
    res.redirect(303, `${runPath(runId)}?done=${action === 'cancel' ? 'cancelled' : 'resumed'}`);
  }

  /** A rule admin's action on a rule set: 303 to where it leads, or the rule set's page again saying why not. */
  private async act(
    req: Request,
    res: Response,
    id: string,
    form: Form,
    draft: { reason?: string; years?: string },
    action: (session: SignedIn) => Promise<string>,
  ): Promise<void> {
    const session = this.gate.session(req, res, rulesPath(id));
    if (!session || !this.gate.formIsGenuine(req, res, session, form)) return;
    try {
      res.redirect(303, await action(session));
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      return this.showRuleSet(res, session, id, err.getStatus(), { error: refusal(err), draft });
    }
  }

  private async showRuleSet(
    res: Response,
    session: SignedIn,
    id: string,
    status: number,
    messages: {
      error?: string;
      issues?: string[];
      draft?: { reason?: string; years?: string };
      from?: number | null;
      to?: number | null;
      cutoffs?: Record<string, string>;
      tiers?: Record<string, { from?: string; default?: string }>;
    },
  ): Promise<void> {
    let versions: VersionView[];
    try {
      versions = await this.queries.execute<ListVersions, VersionView[]>(new ListVersions(id));
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      return sendWorkspacePage(res, err.getStatus(), messagePage(RULES, '未找到', refusal(err), viewerOf(session)));
    }
    let diff: DiffView | null = null;
    let diffError: string | null = null;
    try {
      diff = await this.queries.execute<DiffVersions, DiffView>(
        new DiffVersions(id, messages.from ?? null, messages.to ?? null),
      );
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      diffError = err.getStatus() === 404 ? '没有可比较的草稿。' : refusal(err);
    }
    // the grade bands, for a rule admin to adjust without editing the file
    let bands: GradeCutoffsView | null = null;
    if (session.principal.role === 'rule_admin')
      bands = await this.queries
        .execute<GetGradeCutoffs, GradeCutoffsView>(new GetGradeCutoffs(id))
        .catch((err: unknown) => {
          if (err instanceof HttpException) return null;
          throw err;
        });
    sendWorkspacePage(
      res,
      status,
      ruleSetPage(viewerOf(session), id, versions, diff, { ...messages, diffError, bands }),
    );
  }

  private async showRun(
    res: Response,
    session: SignedIn,
    runId: string,
    status: number,
    messages: { done?: string; error?: string | null },
  ): Promise<void> {
    let run: RunView;
    try {
      run = await this.queries.execute<GetRun, RunView>(new GetRun(runId));
    } catch (err) {
      if (!(err instanceof HttpException)) throw err;
      return sendWorkspacePage(res, err.getStatus(), messagePage(RULES, '未找到', refusal(err), viewerOf(session)));
    }
    const active = run.status === 'running' || run.status === 'planning';
    // while it runs, the browser reloads the page (no scripts on these pages)
    if (active) res.setHeader('Refresh', '2');
    // "started" says nothing once the run has finished: the page shows how it ended
    const started = messages.done === 'impact' || messages.done === 'activated';
    const flash = messages.done && (active || !started) ? (FLASH[messages.done] ?? null) : null;
    sendWorkspacePage(res, status, runPage(viewerOf(session), run, { flash, error: messages.error }));
  }
}
