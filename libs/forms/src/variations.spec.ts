import { describe, expect, it } from 'vitest';
import * as OpenCC from 'opencc-js';
import type { CanonicalEvaluation } from '@jixiao/contracts/evaluation/canonical-evaluation.schema';
import { parseDocument } from './parse-document';
import { parseText, row } from './test-support';

type Col = 'target' | 'actual' | 'weight' | 'score' | 'reason';
const TITLES: Record<Col, string> = {
  target: '年度指标值',
  actual: '实际完成值',
  weight: '分值',
  score: '得分',
  reason: '偏差原因分析及改进措施',
};
const ROWS: { l1?: string; l2?: string; name: string; v: Record<Col, string> }[] = [
  {
    l1: '产出指标 (50分)',
    l2: '数量指标',
    name: '培训人次',
    v: { target: '≥500人次', actual: '480人次', weight: '30', score: '28.8', reason: '' },
  },
  { l2: '质量指标', name: '培训合格率', v: { target: '≥95%', actual: '96%', weight: '20', score: '20', reason: '' } },
  {
    l1: '效益指标 (30分)',
    l2: '社会效益指标',
    name: '群众知晓率',
    v: { target: '≥90%', actual: '85%', weight: '30', score: '25', reason: '宣传不足' },
  },
  {
    l1: '满意度指标 (10分)',
    l2: '服务对象满意度指标',
    name: '服务对象满意度',
    v: { target: '≥90%', actual: '92%', weight: '10', score: '10', reason: '' },
  },
];
const EXPECTED_ROWS = [
  ['培训人次', '≥500人次', '480人次', 30, 28.8],
  ['培训合格率', '≥95%', '96%', 20, 20],
  ['群众知晓率', '≥90%', '85%', 30, 25],
  ['服务对象满意度', '≥90%', '92%', 10, 10],
];

interface Shape {
  order?: Col[];
  /** Leave out the empty leading cells of rows (shifted rows). */
  shifted?: boolean;
  /** The comparator in its own cell before the number. */
  splitComparator?: boolean;
  dropRows?: ('满意度' | '总分')[];
}

/** A project form written as rows of cells, in a shape the seeds do not have. */
function form(shape: Shape = {}): string[][] {
  const order = shape.order ?? ['target', 'actual', 'weight', 'score', 'reason'];
  const out: string[][] = [
    ['项目支出绩效自评表'],
    ['(2023年度)'],
    ['项目名称', '', '社区培训项目'],
    ['主管部门', '', '某县人力资源和社会保障局', '', '实施单位', '某县职业培训中心'],
    ['项目资金 (万元)', '', '年初预算数', '全年预算数', '全年执行数', '分值', '执行率', '得分'],
    ['', '年度资金总额:', '100', '120', '90', '10', '75%', '7.5'],
    ['', '其中:本年财政拨款', '100', '120', '90', '—', '', ''],
    ['绩效指标', '一级指标', '二级指标', '三级指标', ...order.map((c) => TITLES[c])],
  ];
  for (const r of ROWS) {
    if (shape.dropRows?.includes('满意度') && r.l1?.startsWith('满意度')) continue;
    const lead = ['', r.l1 ?? '', r.l2 ?? '', r.name];
    const values = order.flatMap((c) =>
      c === 'target' && shape.splitComparator ? [r.v.target[0]!, r.v.target.slice(1)] : [r.v[c]],
    );
    const cells = [...lead, ...values];
    out.push(shape.shifted ? cells.slice(cells.findIndex((c) => c !== '')) : cells);
  }
  if (!shape.dropRows?.includes('总分')) {
    const total = ['总分', '', '', '', ...order.map((c) => (c === 'weight' ? '100' : c === 'score' ? '91.3' : ''))];
    out.push(total);
  }
  return out;
}

const tsv = (rows: string[][]) => rows.map((r) => r.join('\t')).join('\n');
const piped = (rows: string[][]) => rows.map((r) => `${r.join(' | ')} |`).join('\n');

function expectStandard(e: CanonicalEvaluation | undefined, opts: { total?: boolean } = {}): void {
  expect(e).toBeDefined();
  expect(e!.projectName).toBe('社区培训项目');
  expect(e!.fiscalYear).toBe(2023);
  expect(e!.funds).toMatchObject({
    initialBudget: 100,
    adjustedBudget: 120,
    executed: 90,
    weight: 10,
    reportedRate: '75%',
    reportedScore: 7.5,
  });
  expect(e!.indicators!.map(row)).toEqual(EXPECTED_ROWS);
  expect(e!.indicators!.map((i) => i.level1)).toEqual(['产出指标', '产出指标', '效益指标', '满意度指标']);
  expect(e!.indicators![2]!.deviationReason).toBe('宣传不足');
  if (opts.total !== false) expect(e!.reported!.total).toBe(91.3);
  expect(e!.incomplete).toBeUndefined();
}

describe('layouts beyond the seeds', () => {
  it('tab-separated', () => expectStandard(parseText(tsv(form())).evaluations[0]));
  it('| separated', () => expectStandard(parseText(piped(form()), 'doc.md', {}).evaluations[0]));
  it('CSV', () => {
    const csv = form()
      .map((r) => r.map((c) => (/[",]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(','))
      .join('\r\n');
    expectStandard(parseDocument({ content: Buffer.from(csv), fileName: 'form.csv' }).evaluations[0]);
  });
  it('one cell per line', () => {
    const text = form()
      .map((r) => r.filter((c) => c !== '').join('\n'))
      .join('\n');
    expectStandard(parseText(text).evaluations[0]);
  });
  it('rows without their empty leading cells (shifted)', () =>
    expectStandard(parseText(tsv(form({ shifted: true }))).evaluations[0]));
  it('rows broken across a page break', () => {
    const lines = tsv(form()).split('\n');
    const k = lines.findIndex((l) => l.includes('培训人次'));
    const cut = lines[k]!.indexOf('\t480人次');
    lines.splice(k, 1, lines[k]!.slice(0, cut), '', lines[k]!.slice(cut));
    expectStandard(parseText(lines.join('\n')).evaluations[0]);
  });
  it('header cells broken over lines ("年度指标" / "值", "全年执行" / "数")', () => {
    const rows = form();
    const lines = tsv(rows).split('\n');
    const h = lines.findIndex((l) => l.includes('三级指标'));
    lines[h] = lines[h]!.replace('年度指标值', '年度指标').replace('实际完成值', '实际完成');
    lines.splice(h + 1, 0, ['', '', '', '', '值', '值', '', ''].join('\t'));
    const f = lines.findIndex((l) => l.includes('年初预算数'));
    lines[f] = lines[f]!.replace('全年执行数', '全年执行').replace('年初预算数', '年初预');
    lines.splice(f + 1, 0, ['', '', '算数', '', '数', '', '', ''].join('\t'));
    expectStandard(parseText(lines.join('\n')).evaluations[0]);
  });

  it('a cell broken across a page break', () => {
    const lines = tsv(form()).split('\n');
    const k = lines.findIndex((l) => l.includes('群众知晓率'));
    const cut = lines[k]!.indexOf('知晓率');
    lines.splice(k, 1, lines[k]!.slice(0, cut), lines[k]!.slice(cut));
    expectStandard(parseText(lines.join('\n')).evaluations[0]);
  });
});

describe('columns found by their titles, not their places', () => {
  it.each<[string, Col[]]>([
    ['weight before target (萧县 order)', ['weight', 'target', 'actual', 'score', 'reason']],
    ['actual before target', ['actual', 'target', 'weight', 'score', 'reason']],
    ['score before weight, reason first', ['reason', 'target', 'actual', 'score', 'weight']],
  ])('%s', (_, order) => {
    expectStandard(parseText(tsv(form({ order }))).evaluations[0]);
    expectStandard(parseText(piped(form({ order }))).evaluations[0]);
  });

  it('comparator and number in separate cells ("≥ | 500人次")', () => {
    expectStandard(parseText(tsv(form({ splitComparator: true }))).evaluations[0], { total: false });
    expectStandard(parseText(piped(form({ splitComparator: true }))).evaluations[0], { total: false });
  });
});

describe('characters', () => {
  it('traditional characters are read as simplified', () => {
    const toTraditional = OpenCC.Converter({ from: 'cn', to: 'tw' });
    const text = toTraditional(tsv(form()));
    expect(text).toContain('項目名稱');
    const { evaluations, diagnostics } = parseText(text);
    expectStandard(evaluations[0]);
    expect(diagnostics.some((d) => /traditional/.test(d.message))).toBe(true);
  });

  it('full-width digits, colons, parentheses and percent signs', () => {
    const full = tsv(form()).replace(/[0-9%():.]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    expect(full).toContain('１２０');
    expectStandard(parseText(full).evaluations[0]);
  });

  it('comparator glyph variants ≧ and >=', () => {
    const text = tsv(form()).replace('≥500', '≧500').replace('≥95%', '>=95%').replace('≥90%', '＞=90%');
    expectStandard(parseText(text).evaluations[0]);
  });

  it('OCR "295%" next to an actual of 96% is read as ≥95%, with a warning', () => {
    const { evaluations, diagnostics } = parseText(tsv(form()).replace('≥95%', '295%'));
    expectStandard(evaluations[0]);
    expect(diagnostics.some((d) => d.level === 'warning' && /295%.*≥95%/.test(d.message))).toBe(true);
  });

  it('a percentage above 100 that is not an OCR slip is left alone', () => {
    const { evaluations } = parseText(tsv(form()).replace('≥95%', '150%'));
    expect(evaluations[0]!.indicators![1]!.target).toBe('150%');
  });
});

describe('missing and unusual rows', () => {
  it('no 满意度 rows and no 总分: read, and flagged incomplete naming both', () => {
    const e = parseText(tsv(form({ dropRows: ['满意度', '总分'] }))).evaluations[0]!;
    expect(e.indicators).toHaveLength(3);
    expect(e.incomplete).toEqual({ missing: ['满意度指标各行', '总分'] });
  });

  it('a zero 年度资金总额 row gives way to the 其中 row holding the money', () => {
    const rows = form();
    rows[5] = ['', '年度资金总额:', '0', '0', '0', '10', '0', '0'];
    const { evaluations, diagnostics } = parseText(tsv(rows));
    expect(evaluations[0]!.funds).toMatchObject({
      initialBudget: 100,
      adjustedBudget: 120,
      executed: 90,
      weight: 10,
      reportedScore: 0,
    });
    expect(diagnostics.some((d) => /all zeros/.test(d.message))).toBe(true);
  });

  it('an empty 年初预算数 cell dropped by the extractor (| layout)', () => {
    const rows = form();
    rows[5] = ['年度资金总额', '120', '90', '10', '75%', '7.5'];
    const e = parseText(piped(rows)).evaluations[0]!;
    expect(e.funds).toMatchObject({
      initialBudget: null,
      adjustedBudget: 120,
      executed: 90,
      weight: 10,
      reportedRate: '75%',
      reportedScore: 7.5,
    });
  });

  it('a row whose weight cell holds text is left out with a warning, not guessed', () => {
    const rows = form();
    const k = rows.findIndex((r) => r.includes('培训合格率'));
    rows[k] = rows[k]!.map((c) => (c === '20' ? '二十' : c));
    const { evaluations, diagnostics } = parseText(tsv(rows));
    expect(evaluations[0]!.indicators!.map((i) => i.name)).not.toContain('培训合格率');
    expect(diagnostics.some((d) => d.level === 'warning' && /培训合格率/.test(d.message))).toBe(true);
  });

  it('region and year given by the caller win over the text', () => {
    const e = parseText(tsv(form()), 'doc.txt', {
      region: '130126',
      fiscalYear: 2021,
      regionLookup: () => ({ code: '410105', name: '金水区' }),
    }).evaluations[0]!;
    expect([e.region, e.fiscalYear]).toEqual(['130126', 2021]);
  });
});

describe('a dropped funds cell is only placed when the figures confirm it', () => {
  it('a row one cell short whose rate does not match is not read, with a warning', () => {
    const rows = form();
    rows[5] = ['年度资金总额', '100', '90', '10', '75%', '7.5'];
    rows.splice(6, 1);
    const { evaluations, diagnostics } = parseText(piped(rows));
    expect(evaluations[0]!.funds).toBeUndefined();
    expect(evaluations[0]!.incomplete!.missing).toContain('项目资金（年度资金总额行）');
    expect(diagnostics.some((d) => d.level === 'warning' && /年度资金总额/.test(d.message))).toBe(true);
  });
});
