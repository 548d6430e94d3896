import {
  BadRequestException,
  Body,
  Controller,
  Headers,
  HttpCode,
  Inject,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Response } from 'express';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '@jixiao/auth';
import { InvalidEvaluationInputError, parseEvaluationInput } from '../domain/evaluation-input';
import { IDEMPOTENCY_HEADER, parseIdempotencyKey } from '../domain/idempotency';
import { ApiIdempotencyKey, idempotentAnswer } from './idempotent-answer';
import { SubmitEvaluations, type SubmitResult } from '../commands/submit-evaluations.command';
import type { RuleSetRegistry } from '@jixiao/scoring';
import { correlationIdOf } from '@jixiao/runtime';
import { INTAKE_REGISTRY } from '../infrastructure/intake.tokens';
import { evaluationBodySchema } from './evaluation-body.schema';
import { parseIdParam, parseRegionParam } from './request-params';

@ApiTags('intake')
@ApiBearerAuth()
@Controller('evaluations')
export class EvaluationsController {
  constructor(
    private readonly commands: CommandBus,
    @Inject(INTAKE_REGISTRY) private readonly registry: RuleSetRegistry,
  ) {}

  @Post()
  @HttpCode(201)
  @Roles('submitter')
  @ApiOperation({
    summary:
      'Submit canonical evaluations (one, or { evaluations: [...] }); each becomes a submission, or a corrected version',
  })
  @ApiBody({
    description:
      'One canonical evaluation (libs/contracts CanonicalEvaluationSchema) or { "evaluations": [ … ] }. Optional ' +
      '"previousVersionId": the evaluation id of the version this one corrects (the latest of its submission).',
    schema: evaluationBodySchema(),
  })
  @ApiQuery({
    name: 'previousVersionId',
    required: false,
    description: 'evaluation id of the version being corrected (same as the body field)',
  })
  @ApiQuery({
    name: 'region',
    required: false,
    description: 'region (6-digit code or a name a rule set lists) for evaluations that name none',
  })
  @ApiIdempotencyKey()
  @ApiResponse({ status: 201, description: '{ evaluationIds, submissionIds, versions }' })
  @ApiResponse({ status: 400, description: 'invalid evaluation (message names the JSON path), or no region' })
  @ApiResponse({ status: 403, description: 'not a submitter, or not for this region/unit' })
  @ApiResponse({ status: 404, description: 'previousVersionId unknown' })
  @ApiResponse({ status: 409, description: 'previousVersionId is not the latest version of its submission' })
  @ApiResponse({ status: 422, description: 'the Idempotency-Key was used for another request' })
  async submit(
    @Body() body: unknown,
    @Query('previousVersionId') previousQuery: string | undefined,
    @Query('region') region: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() req: { id?: unknown },
    @Headers(IDEMPOTENCY_HEADER) idempotencyKey: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubmitResult> {
    let input;
    try {
      input = parseEvaluationInput(body);
    } catch (err) {
      if (err instanceof InvalidEvaluationInputError) throw new BadRequestException(err.message);
      throw err;
    }
    const previousVersionId = parseIdParam('previousVersionId', previousQuery) ?? input.previousVersionId;
    const defaultRegion = parseRegionParam(region, this.registry);
    const result = await this.commands.execute<SubmitEvaluations, SubmitResult>(
      new SubmitEvaluations(principal, input.evaluations, {
        defaultRegion,
        previousVersionId,
        document: null,
        diagnostics: [],
        correlationId: correlationIdOf(req),
        idempotencyKey: parseIdempotencyKey(idempotencyKey),
      }),
    );
    return idempotentAnswer(res, result);
  }
}
