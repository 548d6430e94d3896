import { BadRequestException, Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { CurrentPrincipal, type Principal, Roles } from '@jixiao/auth';
import { correlationIdOf } from '@jixiao/runtime';
import { RetractDisclosure } from '../commands/retract-disclosure.command';
import type { DisclosureEntity } from '../persistence/disclosure.entity';
import { toRow } from '../queries/to-row';

const RetractBodySchema = z.object({ reason: z.string().trim().min(1, 'a reason is required').max(2000) });

@ApiTags('publication')
@ApiBearerAuth()
@Controller('disclosures')
export class DisclosuresController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':evaluationId/retract')
  @HttpCode(200)
  @Roles('reviewer')
  @ApiOperation({ summary: 'Retract a published disclosure (reviewer of its region); the page shows it as 已撤回 with the reason' })
  @ApiBody({ schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', example: '重新评分后等级变化，待复核' } } } })
  async retract(
    @Param('evaluationId') evaluationId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Req() req: { id?: unknown },
  ) {
    const parsed = RetractBodySchema.safeParse(body ?? {});
    if (!parsed.success) {
      throw new BadRequestException(parsed.error.issues.map((i) => `body.${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
    }
    const retracted = await this.commands.execute<RetractDisclosure, DisclosureEntity>(
      new RetractDisclosure(evaluationId, parsed.data.reason, principal, correlationIdOf(req)),
    );
    return toRow(retracted);
  }
}
