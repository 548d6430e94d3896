import { BadRequestException } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { assertAllowed, refusal } from '@jixiao/auth';
import { appendAudit, dialectOf, isoNow } from '@jixiao/persistence';
import { isDeadline, RosterProblem, rosterUnits } from '../domain/roster';
import { insertRows } from '../persistence/case-store';
import { ReviewRoster, ReviewRosterUnit } from '../persistence/review-roster.entity';
import { REVIEW_TABLES } from '../persistence/review-tables';
import { ReviewUnitOfWork } from '../persistence/review-unit-of-work';
import { SetRoster } from './set-roster.command';

/** What setting a roster answers: how many units it names now and named before. */
export interface RosterSet {
  region: string;
  fiscalYear: number;
  units: number;
  before: number;
}

/**
 * Replaces a region's roster for a year in one transaction with its audit record (`roster set`, the names hashed
 * into it): 403 outside the reviewer's regions, 400 for a list that names no unit, too many or a name too long.
 */
@CommandHandler(SetRoster)
export class SetRosterHandler implements ICommandHandler<SetRoster, RosterSet> {
  constructor(private readonly uow: ReviewUnitOfWork) {}

  async execute({ principal, region, fiscalYear, unitNames, deadline, correlationId }: SetRoster): Promise<RosterSet> {
    assertAllowed(principal, 'review', { region });
    let units;
    try {
      if (deadline !== null && !isDeadline(deadline))
        throw new RosterProblem(
          `deadline ${deadline}: a calendar day YYYY-MM-DD expected`,
          `截止日期“${deadline}”不是有效日期，应为 年-月-日，如 2024-03-31`,
        );
      units = rosterUnits(unitNames);
    } catch (err) {
      if (!(err instanceof RosterProblem)) throw err;
      throw refusal(BadRequestException, err.message, err.messageZh, err.line === null ? {} : { line: err.line });
    }
    return this.uow.run(async (work) => {
      const where = { region, fiscalYear };
      const at = isoNow();
      const header = Object.assign(new ReviewRoster(), { ...where, deadline, setAt: at, setBy: principal.sub });
      // one writer per roster at a time: the header row exists (a concurrent first save waits for the other's
      // commit, then inserts nothing) and is locked until commit (SQLite has one writer anyway)
      await insertRows(work.manager, ReviewRoster, [header], ['region', 'fiscal_year']);
      const locked = work.manager.getRepository(ReviewRoster).createQueryBuilder('r').where(where);
      if (dialectOf(work.manager) === 'postgres') locked.setLock('pessimistic_write');
      await locked.getOne();
      const listed = work.manager.getRepository(ReviewRosterUnit);
      const before = await listed.countBy(where);
      await listed.delete(where);
      await work.manager.getRepository(ReviewRoster).update(where, { deadline, setAt: at, setBy: principal.sub });
      const rows = units.map((u, position) => Object.assign(new ReviewRosterUnit(), { ...where, ...u, position }));
      for (let i = 0; i < rows.length; i += 500)
        await insertRows(work.manager, ReviewRosterUnit, rows.slice(i, i + 500));
      await appendAudit(work.manager, REVIEW_TABLES.audit, [
        {
          actor: { user: principal.sub, role: principal.role },
          entityType: 'roster',
          entityId: `${region}/${fiscalYear}`,
          action: 'roster set',
          reason: `填报单位名单：${units.length} 个单位（此前 ${before} 个）${deadline ? `，截止日期 ${deadline}` : ''}`,
          payload: { region, fiscalYear, deadline, units: units.map((u) => u.unitName) },
          at,
        },
      ]);
      return { region, fiscalYear, units: units.length, before };
    }, correlationId);
  }
}
