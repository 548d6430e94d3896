import { ForbiddenException, Inject } from '@nestjs/common';
import { type IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import { assertAllowed, type Principal, refusal } from '@jixiao/auth';
import { auditTrail, whereRegion } from '@jixiao/persistence';
import { rosterStanding, type RosterStanding, type UnitFirstSubmission, type UnitSubmissions } from '../domain/roster';
import { ReviewCase } from '../persistence/review-case.entity';
import { ReviewRoster, ReviewRosterUnit } from '../persistence/review-roster.entity';
import { REVIEW_TABLES } from '../persistence/review-tables';
import { regionMatch } from '../domain/read-scope';
import { REVIEW_DATA_SOURCE } from '../review.tokens';
import { whereCurrent } from './evaluation-query.handlers';

/**
 * Where a region's units stand for a fiscal year: its roster (if one was set) against the current versions its
 * units submitted — who has not submitted yet, and who submitted without being on it. Staff only: a unit does not
 * read the other units of its region.
 */
export class GetRoster {
  constructor(
    readonly principal: Principal,
    readonly region: string,
    readonly fiscalYear: number,
  ) {}
}

/** One time the roster was set, as its audit record has it. */
export interface RosterChange {
  at: string;
  by: string;
  reason: string | null;
  /** The audit record (GET /audit/verify checks the chain it is in). */
  auditSeq: number;
}

export interface RosterView extends RosterStanding {
  region: string;
  fiscalYear: number;
  /** Every time it was set, newest first (its audit records: who, when, how many units, the deadline). */
  changes: RosterChange[];
  /** When and by whom the roster was set; null when none was (then `units` is empty and every unit is unlisted). */
  setAt: string | null;
  setBy: string | null;
}

/** Rosters are read by the bureau's staff within their reach: a unit does not read the other units of its region. */
function assertStaffReads(principal: Principal, region: string): void {
  if (principal.role === 'submitter')
    throw refusal(
      ForbiddenException,
      'a roster is read by the bureau’s staff, not by a unit',
      '填报单位名单只供财政部门工作人员查看',
    );
  assertAllowed(principal, 'read', { region });
}

const byRegion = <R extends { region: string }>(rows: readonly R[]) => {
  const map = new Map<string, R[]>();
  for (const r of rows) map.set(r.region, [...(map.get(r.region) ?? []), r]);
  return map;
};

/**
 * Where each region's roster stands for a fiscal year: its units, the current versions its units submitted (by state,
 * the latest), and when each unit first submitted — one query each, whatever the number of regions.
 */
async function standings(
  dataSource: DataSource,
  fiscalYear: number,
  rosters: ReadonlyArray<{ region: string; deadline: string | null }>,
): Promise<Map<string, RosterStanding>> {
  const regions = rosters.map((r) => r.region);
  const cases = () =>
    dataSource
      .getRepository(ReviewCase)
      .createQueryBuilder('c')
      .andWhere('c.fiscalYear = :fiscalYear AND c.region IN (:...regions)', { fiscalYear, regions })
      .select('c.region', 'region')
      .addSelect('c.unitName', 'unitName');
  const [units, rows, firsts] = await Promise.all([
    dataSource
      .getRepository(ReviewRosterUnit)
      .createQueryBuilder('u')
      .where('u.fiscalYear = :fiscalYear AND u.region IN (:...regions)', { fiscalYear, regions })
      .orderBy('u.position', 'ASC')
      .getMany(),
    whereCurrent(cases())
      .addSelect('c.state', 'state')
      .addSelect('COUNT(*)', 'n')
      .addSelect('MAX(COALESCE(c.receivedAt, c.createdAt))', 'lastAt')
      .groupBy('c.region')
      .addGroupBy('c.unitName')
      .addGroupBy('c.state')
      .getRawMany<UnitSubmissions & { region: string }>(),
    // when each unit first submitted (as intake received it, not as review processed it), any version: a
    // correction after the deadline does not make a unit late
    cases()
      .addSelect('MIN(COALESCE(c.receivedAt, c.createdAt))', 'firstAt')
      .groupBy('c.region')
      .addGroupBy('c.unitName')
      .getRawMany<UnitFirstSubmission & { region: string }>(),
  ]);
  const [unitsOf, rowsOf, firstsOf] = [byRegion(units), byRegion(rows), byRegion(firsts)];
  return new Map(
    rosters.map((r) => [
      r.region,
      rosterStanding(unitsOf.get(r.region) ?? [], rowsOf.get(r.region) ?? [], {
        firsts: firstsOf.get(r.region) ?? [],
        deadline: r.deadline,
      }),
    ]),
  );
}

@QueryHandler(GetRoster)
export class GetRosterHandler implements IQueryHandler<GetRoster, RosterView> {
  constructor(@Inject(REVIEW_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ principal, region, fiscalYear }: GetRoster): Promise<RosterView> {
    assertStaffReads(principal, region);
    const header = await this.dataSource.getRepository(ReviewRoster).findOneBy({ region, fiscalYear });
    const [standing, trail] = await Promise.all([
      standings(this.dataSource, fiscalYear, [{ region, deadline: header?.deadline ?? null }]),
      auditTrail(this.dataSource.manager, REVIEW_TABLES.audit, 'roster', `${region}/${fiscalYear}`),
    ]);
    return {
      region,
      fiscalYear,
      setAt: header?.setAt ?? null,
      setBy: header?.setBy ?? null,
      changes: trail.map((r) => ({ at: r.at, by: r.actorUser, reason: r.reason, auditSeq: r.seq })).reverse(),
      ...standing.get(region)!,
    };
  }
}

/**
 * Where the rosters of a region's sub-regions stand for a fiscal year (a city's counties, a province's cities and
 * counties): for each roster set, how many units it names, how many have submitted, are missing, were late. Staff
 * only, within their reach.
 */
export class GetRosterOverview {
  constructor(
    readonly principal: Principal,
    readonly region: string,
    readonly fiscalYear: number,
  ) {}
}

export interface RosterSummaryRow {
  region: string;
  deadline: string | null;
  overdue: boolean;
  expected: number;
  submitted: number;
  missing: number;
  late: number;
}

export interface RosterOverview {
  region: string;
  fiscalYear: number;
  rosters: RosterSummaryRow[];
}

@QueryHandler(GetRosterOverview)
export class GetRosterOverviewHandler implements IQueryHandler<GetRosterOverview, RosterOverview> {
  constructor(@Inject(REVIEW_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async execute({ principal, region, fiscalYear }: GetRosterOverview): Promise<RosterOverview> {
    assertStaffReads(principal, region);
    const headers = this.dataSource
      .getRepository(ReviewRoster)
      .createQueryBuilder('r')
      .where('r.fiscalYear = :fiscalYear', { fiscalYear });
    whereRegion(headers, regionMatch([region]), 'filter', 'r');
    const rosters = await headers.orderBy('r.region', 'ASC').getMany();
    if (rosters.length === 0) return { region, fiscalYear, rosters: [] };
    const standing = await standings(this.dataSource, fiscalYear, rosters);
    return {
      region,
      fiscalYear,
      rosters: rosters.map((r) => {
        const s = standing.get(r.region)!;
        return {
          region: r.region,
          deadline: s.deadline,
          overdue: s.overdue,
          expected: s.expected,
          submitted: s.submitted,
          missing: s.missing.length,
          late: s.late,
        };
      }),
    };
  }
}
