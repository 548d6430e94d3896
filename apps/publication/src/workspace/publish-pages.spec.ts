import { describe, expect, it } from 'vitest';
import type { Principal } from '@jixiao/auth';
import type { Viewer } from '@jixiao/runtime/workspace';
import type { DisclosureList } from '../queries/list-disclosures.query';
import { disclosureRow as row, rescoredRevisions } from '../render/__fixtures__/disclosure-row';
import { publishedPage, publishHref, publishListPage } from './publish-pages';

const SCRIPT = '<script>alert(1)</script>';
const as = (role: Principal['role']): Viewer => ({
  principal: { sub: 'li', role, regions: ['341522'] },
  csrf: 'form-token',
});

const revisions = rescoredRevisions('341522', 'run_1', '重新评分');

describe('公开管理 list', () => {
  const list: DisclosureList = {
    items: [
      row({ projectName: SCRIPT }),
      row({ evaluationId: 'ev_2', revision: 2, underReviewRunId: 'run_1' }),
      row({
        evaluationId: 'ev_3',
        status: 'retracted',
        retractedAt: '2024-05-01T02:00:00.000Z',
        retractionReason: SCRIPT,
      }),
    ],
    total: 43,
    page: 1,
    pageSize: 20,
    counts: { total: 43, published: 40, retracted: 3, revised: 5, underReview: 1 },
  };
  const page = publishListPage(as('reviewer'), list, { region: '341522', q: '农田 建设' }, null, '').value;

  it('lists each disclosure with its standing, leading to its management page; escapes what came from documents', () => {
    expect(page).toContain('<a href="/publish/evaluations/ev_1">&lt;script&gt;alert(1)&lt;/script&gt;</a>');
    expect(page).not.toMatch(/<script/i);
    expect(page).toMatch(/data-evaluation-id="ev_2"[\s\S]*data-status="已修订"[\s\S]*data-under-review="true">复核中/);
    // a retracted one shows when it was retracted (Beijing time)
    expect(page).toMatch(/data-evaluation-id="ev_3"[\s\S]*data-status="已撤回"[\s\S]*2024-05-01 10:00 北京时间/);
  });

  it('counts each standing, each count a link keeping the region and the words', () => {
    expect(page).toContain('data-count="all">全部 <strong>43</strong>');
    expect(page).toContain(
      'href="/publish?region=341522&amp;status=under_review&amp;q=%E5%86%9C%E7%94%B0+%E5%BB%BA%E8%AE%BE" data-count="under_review">其中复核中 <strong>1</strong>',
    );
    expect(page).toContain('第 1–3 条，共 43 条');
    expect(page).toContain('rel="next"');
  });

  it('a refused query shows the form and why, no list', () => {
    const refused = publishListPage(as('reviewer'), null, { region: '110101' }, '无权执行此操作：…', '').value;
    expect(refused).toContain('无权执行此操作');
    expect(refused).toContain('value="110101"');
    expect(refused).not.toContain('data-testid="disclosures"');
  });

  it('builds its links from the filters given', () => {
    expect(publishHref({})).toBe('/publish');
    expect(publishHref({ year: '2023', status: 'retracted' }, 3)).toBe('/publish?year=2023&status=retracted&page=3');
  });
});

describe('one evaluation’s publication', () => {
  const found = {
    disclosure: row({ revision: 2, total: 84, grade: '良', underReviewRunId: 'run_1' }),
    revisions,
    retractedBy: null,
    replacedBy: null,
  };

  it('offers the form to retract it only when asked to (a reviewer of its region, in force), with the session’s token', () => {
    const page = publishedPage(as('reviewer'), found, { canRetract: true, draft: SCRIPT }, '').value;
    expect(page).toContain('action="/publish/evaluations/ev_1/retract"');
    expect(page).toContain('name="csrf" value="form-token"');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</textarea>'); // the reason typed, kept
    expect(page).not.toMatch(/<script/i);
    expect(publishedPage(as('auditor'), found, { canRetract: false }, '').value).not.toContain(
      'data-testid="retract-form"',
    );
  });

  it('says it is under review again, links the run, the public page and the workspace, and keeps every revision', () => {
    const page = publishedPage(as('auditor'), found, { canRetract: false }, 'https://gk.example.gov.cn').value;
    expect(page).toContain('data-testid="under-review"');
    expect(page).toContain('href="/rules/runs/run_1"');
    expect(page).toContain('href="https://gk.example.gov.cn/public/evaluations/ev_1"');
    expect(page).toContain('href="/review/evaluations/ev_1"');
    expect(page).toMatch(/data-revision="2"[\s\S]*data-revision="1"/);
  });

  it('a retracted one says when, by whom and why', () => {
    const retracted = {
      ...found,
      disclosure: row({
        status: 'retracted',
        retractedAt: '2024-05-01T02:00:00.000Z',
        retractionReason: `数据有误${SCRIPT}`,
      }),
      retractedBy: 'reviewer-huoqiu',
    };
    const page = publishedPage(as('reviewer'), retracted, { canRetract: false, flash: '已撤回公开' }, '').value;
    expect(page).toMatch(
      /data-testid="retraction"><strong>已撤回<\/strong>：2024-05-01 10:00 北京时间，reviewer-huoqiu。<p class="reason">数据有误&lt;script&gt;/,
    );
    expect(page).toContain('data-testid="flash"');
    expect(page).not.toContain('data-testid="under-review"');
    expect(page).not.toContain('data-testid="replaced-by"');
    const replaced = publishedPage(
      as('reviewer'),
      { ...retracted, replacedBy: 'ev_2' },
      { canRetract: false },
      '',
    ).value;
    expect(replaced).toContain('<a href="/publish/evaluations/ev_2" data-testid="replaced-by">更正后公开的版本</a>');
  });
});
