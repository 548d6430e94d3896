import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { FindingCodeSchema } from '@jixiao/contracts';
import { CurrentPrincipal, type Principal, Roles } from '@jixiao/auth';
import { correlationIdOf } from '@jixiao/runtime';
import { HoldEvaluation, type HoldOutcome, ReleaseEvaluation, TakeNextEvaluation } from '../commands/holds.command';
import { ApproveEvaluation, ReturnEvaluation, type DecisionOutcome } from '../commands/review-decision.command';
import { HOLD_MINUTES } from '../domain/holds';
import { REVIEW_STATES } from '../domain/review-state';
import { GetEvaluation, GetEvaluationHistory, GetProgress, ListEvaluations } from '../queries/evaluation.queries';
import {
  ApproveEvaluationBody,
  parseApproveBody,
  parseListQuery,
  parseProgressQuery,
  parseReturnBody,
  ReturnEvaluationBody,
} from './evaluation-requests';
import {
  DecisionOutcomeDto,
  EvaluationDetailDto,
  EvaluationHistoryDto,
  EvaluationPageDto,
  ProgressDto,
} from './evaluation-responses';

@ApiTags('review')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ description: 'Missing or invalid bearer token' })
@Controller('evaluations')
export class EvaluationsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'List evaluations the caller may read, newest first (or `sort=oldest`); `q` searches unit and project names',
    description:
      'Submitters see their regions (and unit), reviewers and rule admins their regions and sub-regions, auditors everything. ' +
      '`region` filters a division and its sub-regions (130000 = the whole province).',
  })
  @ApiQuery({ name: 'region', required: false, example: '130126' })
  @ApiQuery({ name: 'year', required: false, type: Number, example: 2023 })
  @ApiQuery({ name: 'state', required: false, enum: REVIEW_STATES })
  @ApiQuery({ name: 'grade', required: false, example: '优' })
  @ApiQuery({
    name: 'q',
    required: false,
    example: '财政局',
    description: 'words the unit’s or the project’s name contains (each of them)',
  })
  @ApiQuery({ name: 'sort', required: false, enum: ['newest', 'oldest'], description: 'default newest first' })
  @ApiQuery({
    name: 'finding',
    required: false,
    enum: FindingCodeSchema.options,
    description: 'only those whose score found this kind of problem',
  })
  @ApiQuery({
    name: 'current',
    required: false,
    enum: ['true', 'false'],
    description: 'true: only versions no later version corrects (default: every version)',
  })
  @ApiQuery({ name: 'page', required: false, type: Number, example: 1 })
  @ApiQuery({ name: 'pageSize', required: false, type: Number, example: 20, description: '1–100' })
  @ApiOkResponse({ type: EvaluationPageDto })
  list(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.queries.execute(new ListEvaluations(principal, parseListQuery(query)));
  }

  @Get('progress')
  @ApiOperation({
    summary:
      'How the work stands: the current versions the caller may read, by state and grade, with the average total and execution rate',
    description:
      'Scoped as the list is; a corrected version replaces the one it corrects. `region` covers a division and its ' +
      'sub-regions.',
  })
  @ApiQuery({ name: 'region', required: false, example: '130000' })
  @ApiQuery({ name: 'year', required: false, type: Number, example: 2023 })
  @ApiQuery({
    name: 'findings',
    required: false,
    enum: ['true', 'false'],
    description: '`true`: also how many have each kind of finding (`byFinding`)',
  })
  @ApiQuery({
    name: 'by',
    required: false,
    enum: ['region'],
    description: '`region`: also each region’s own figures (a city’s counties, a province’s cities and counties)',
  })
  @ApiOkResponse({ type: ProgressDto })
  progress(@CurrentPrincipal() principal: Principal, @Query() query: Record<string, unknown>) {
    return this.queries.execute(new GetProgress(principal, parseProgressQuery(query)));
  }

  @Post('next')
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOperation({
    summary: 'Take the next evaluation to review: the one in review that has waited longest, that nobody holds',
    description:
      `Current versions in the reviewer’s reach (\`region\`, \`year\` narrow it). It is held for the reviewer for ` +
      `${HOLD_MINUTES} minutes, so reviewers working through one queue each get another; one the reviewer already ` +
      'holds is passed over (taking the next leaves it). Answers `{ taken: { evaluationId, heldBy, heldUntil } }`, ' +
      'or `{ taken: null }` when none is left.',
  })
  @ApiQuery({ name: 'region', required: false, example: '130000' })
  @ApiQuery({ name: 'year', required: false, type: Number, example: 2023 })
  @ApiOkResponse({ description: '{ taken: { evaluationId, heldBy, heldUntil } | null }' })
  @ApiForbiddenResponse({ description: 'Not a reviewer, or a region outside the reviewer’s' })
  async next(
    @CurrentPrincipal() principal: Principal,
    @Query() query: Record<string, unknown>,
  ): Promise<{ taken: HoldOutcome | null }> {
    const taken = await this.commands.execute<TakeNextEvaluation, HoldOutcome | null>(
      new TakeNextEvaluation(principal, parseProgressQuery(query)),
    );
    return { taken };
  }

  @Post(':id/hold')
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOperation({
    summary: `Hold an evaluation in review for ${HOLD_MINUTES} minutes (认领; again: renewed), so others’ queues skip it`,
    description:
      'Not a change of the case (no revision, no audit record); a decision clears it. A decision by someone else ' +
      'is still taken: the hold tells others who works on it, it does not lock it.',
  })
  @ApiOkResponse({ description: '{ evaluationId, heldBy, heldUntil }' })
  @ApiNotFoundResponse({ description: 'Unknown evaluation id' })
  @ApiForbiddenResponse({ description: 'Not a reviewer of its region' })
  @ApiConflictResponse({ description: 'Not in review, or held by another reviewer (`heldBy`, `heldUntil`)' })
  hold(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<HoldOutcome> {
    return this.commands.execute(new HoldEvaluation(principal, id));
  }

  @Delete(':id/hold')
  @HttpCode(204)
  @Roles('reviewer')
  @ApiOperation({ summary: 'Give back an evaluation the reviewer holds (nothing happens if they hold none)' })
  @ApiNoContentResponse({ description: 'Released (or was not held by the caller)' })
  @ApiNotFoundResponse({ description: 'Unknown evaluation id' })
  @ApiForbiddenResponse({ description: 'Not a reviewer of its region' })
  async release(@CurrentPrincipal() principal: Principal, @Param('id') id: string): Promise<void> {
    await this.commands.execute(new ReleaseEvaluation(principal, id));
  }

  @Get(':id')
  @ApiOperation({
    summary:
      'One evaluation: the submission, its latest score with per-indicator explanations and findings, state, routing, versions',
  })
  @ApiOkResponse({ type: EvaluationDetailDto })
  @ApiNotFoundResponse({ description: 'Unknown evaluation id' })
  @ApiForbiddenResponse({ description: 'Outside the caller’s regions (or unit)' })
  get(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.queries.execute(new GetEvaluation(principal, id));
  }

  @Get(':id/history')
  @ApiOperation({
    summary: 'Everything that happened to the evaluation, oldest first (who, when, from → to, why, source event)',
  })
  @ApiOkResponse({ type: EvaluationHistoryDto })
  @ApiNotFoundResponse({ description: 'Unknown evaluation id' })
  @ApiForbiddenResponse({ description: 'Outside the caller’s regions (or unit)' })
  history(@CurrentPrincipal() principal: Principal, @Param('id') id: string) {
    return this.queries.execute(new GetEvaluationHistory(principal, id));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOperation({
    summary: 'Approve an evaluation in review (reviewer of its region); emits review.evaluation.approved.v1',
  })
  @ApiBody({ type: ApproveEvaluationBody, required: false })
  @ApiOkResponse({ type: DecisionOutcomeDto, description: 'state approved' })
  @ApiNotFoundResponse({ description: 'Unknown evaluation id' })
  @ApiForbiddenResponse({ description: 'Not a reviewer, or outside the reviewer’s regions' })
  @ApiBadRequestResponse({ description: 'Bad body (names the field)' })
  @ApiConflictResponse({
    description: 'Not in review (already decided, or another reviewer was first), or changed since the revision given',
  })
  approve(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() req: { id?: unknown },
  ): Promise<DecisionOutcome> {
    const { comment, revision } = parseApproveBody(body);
    return this.commands.execute(new ApproveEvaluation(id, principal, comment, correlationIdOf(req), revision));
  }

  @Post(':id/return')
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOperation({
    summary:
      'Return an evaluation in review to its unit with a reason and/or the findings it must correct; emits ' +
      'review.evaluation.returned.v1',
  })
  @ApiBody({ type: ReturnEvaluationBody })
  @ApiOkResponse({ type: DecisionOutcomeDto, description: 'state returned' })
  @ApiNotFoundResponse({ description: 'Unknown evaluation id' })
  @ApiForbiddenResponse({ description: 'Not a reviewer, or outside the reviewer’s regions' })
  @ApiBadRequestResponse({
    description: 'Bad body (names the field), or findings the current score does not have (`unknownFindings`)',
  })
  @ApiConflictResponse({
    description:
      'Not in review (already decided, or another reviewer was first), or changed since the revision given, or ' +
      'findings named while the current score’s breakdown is not available',
  })
  returnToUnit(
    @CurrentPrincipal() principal: Principal,
    @Param('id') id: string,
    @Body() body: unknown,
    @Req() req: { id?: unknown },
  ): Promise<DecisionOutcome> {
    const { reason, findings, revision } = parseReturnBody(body);
    return this.commands.execute(new ReturnEvaluation(id, principal, reason, correlationIdOf(req), revision, findings));
  }
}
