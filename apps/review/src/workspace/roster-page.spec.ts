import { describe, expect, it } from 'vitest';
import { rosterStanding, rosterUnits } from '../domain/roster';
import { rosterPage } from './roster-page';

const reviewer = { principal: { sub: 'wang', role: 'reviewer' as const, regions: ['130100'] }, csrf: 'csrf-1' };

describe('rosterPage', () => {
  it('for a city: its counties’ rosters, a line each linked to each, with the totals; then its own roster', () => {
    const page = rosterPage(reviewer, {
      region: '130100',
      year: '2023',
      view: { region: '130100', fiscalYear: 2023, setAt: null, setBy: null, changes: [], ...rosterStanding([], []) },
      overview: {
        region: '130100',
        fiscalYear: 2023,
        rosters: [
          { region: '130125', deadline: null, overdue: false, expected: 10, submitted: 10, missing: 0, late: 0 },
          { region: '130126', deadline: '2024-03-31', overdue: true, expected: 16, submitted: 12, missing: 4, late: 3 },
        ],
      },
    }).value;
    expect(page).toContain('<h2>下级地区的名单（2）</h2>');
    expect(page).toContain(
      '<tr data-region="130126" class="differs"><td><a href="/review/roster?region=130126&amp;year=2023">130126</a></td><td class="num">16</td><td class="num">12</td><td class="num"><strong>4</strong> <span class="badge returned">逾期</span></td><td class="num">3</td><td>2024-03-31（已过）</td></tr>',
    );
    expect(page).toContain(
      '<tr><th>合计</th><th class="num">26</th><th class="num">22</th><th class="num">4</th><th class="num">3</th><th></th></tr>',
    );
    // the city's own: none set yet, a reviewer may set one
    expect(page).toContain('尚未设置应提交单位名单，可在下方设置');
    expect(page).toContain('<form method="post" action="/review/roster" data-testid="roster-form">');
  });

  it('a county’s roster: names escaped, the form only for reviewers', () => {
    const view = {
      region: '130126',
      fiscalYear: 2023,
      setAt: '2026-12-01T00:00:00.000Z',
      setBy: 'wang',
      changes: [],
      ...rosterStanding(rosterUnits(['<b>局</b>']), []),
    };
    const page = rosterPage(reviewer, { region: '130126', year: '2023', view }).value;
    expect(page).toContain('<li>&lt;b&gt;局&lt;/b&gt;</li>');
    expect(page).not.toContain('data-testid="overview"');
    const auditor = { ...reviewer, principal: { ...reviewer.principal, role: 'auditor' as const } };
    expect(rosterPage(auditor, { region: '130126', year: '2023', view }).value).not.toContain('roster-form');
  });
});
