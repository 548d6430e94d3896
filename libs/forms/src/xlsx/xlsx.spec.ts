import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { CanonicalEvaluation } from '@jixiao/contracts/evaluation/canonical-evaluation.schema';
import { DocumentRejectedError } from '../errors';
import { parseDocument, parseDocumentAsync } from '../parse-document';
import { TEMPLATE_LAYOUT as L, templateBuffer } from './template';
import { buildZip } from './zip-fixture';

const EVALUATION: CanonicalEvaluation = {
  formType: 'project',
  fiscalYear: 2022,
  projectName: '电子政务各项专项经费',
  unitName: '021001-霍邱县人民政府办公室',
  department: '021-霍邱县人民政府办公室',
  goals: { expected: '确保全年工作顺利开展。', achieved: '各项工作已完成。' },
  funds: {
    initialBudget: 265.69,
    adjustedBudget: 265.69,
    executed: 137,
    weight: 10,
    reportedRate: '51.56%',
    reportedScore: 5.16,
  },
  indicators: [
    {
      level1: '产出指标',
      level2: '数量指标',
      name: '维护系统数量',
      target: '=7个',
      actual: '7',
      unit: null,
      weight: 50,
      reportedScore: 50,
      deviationReason: null,
    },
    {
      level1: '效益指标',
      level2: '社会效益指标',
      name: '重点工作落地落实',
      target: '持续推动',
      actual: '达成预期指标',
      unit: null,
      weight: 30,
      reportedScore: 25,
      deviationReason: '部分未完成',
    },
    {
      level1: '满意度指标',
      level2: '服务对象满意度指标',
      name: '群众满意度',
      target: '≥90%',
      actual: '95%',
      unit: null,
      weight: 10,
      reportedScore: 10,
      deviationReason: null,
    },
  ],
  reported: {
    total: 90.16,
    sections: [
      { name: '产出指标', weight: 50, score: null },
      { name: '效益指标', weight: 30, score: null },
      { name: '满意度指标', weight: 10, score: null },
    ],
  },
};

/** Drop what depends on the carrier (provenance, file name, format) to compare content. */
function content(e: CanonicalEvaluation): unknown {
  return JSON.parse(
    JSON.stringify(e, (k, v) =>
      k === 'sources' || k === 'source' || k === 'region' || (k === 'unit' && typeof v === 'string') ? undefined : v,
    ),
  );
}

/** Fill the blank template the way a person would: cell by cell in the documented layout. */
async function fillTemplate(e: CanonicalEvaluation): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((await templateBuffer()) as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const set = (r: number, c: number, v: string | number | null | undefined) => {
    if (v !== null && v !== undefined) ws.getCell(r, c).value = v;
  };
  set(L.year.row, L.year.col, `(${e.fiscalYear}年度)`);
  set(L.projectName.row, L.projectName.col, e.projectName);
  set(L.department.row, L.department.col, e.department);
  set(L.unitName.row, L.unitName.col, e.unitName);
  const f = e.funds!;
  const fc = L.fundsCols;
  set(L.fundsTotal, fc.initialBudget, f.initialBudget);
  set(L.fundsTotal, fc.adjustedBudget, f.adjustedBudget);
  set(L.fundsTotal, fc.executed, f.executed);
  set(L.fundsTotal, fc.weight, f.weight);
  ws.getCell(L.fundsTotal, fc.rate).value = 0.5156;
  ws.getCell(L.fundsTotal, fc.rate).numFmt = '0.00%';
  set(L.fundsTotal, fc.score, f.reportedScore);
  set(L.goals.row, L.goals.expected, e.goals!.expected);
  set(L.goals.row, L.goals.achieved, e.goals!.achieved);
  const ic = L.indicatorCols;
  e.indicators!.forEach((ind, k) => {
    const r = L.firstIndicatorRow + k;
    const w = e.reported!.sections!.find((s) => s.name === ind.level1)!.weight;
    set(r, ic.level1, `${ind.level1} (${w}分)`);
    set(r, ic.level2, ind.level2);
    set(r, ic.name, ind.name);
    set(r, ic.target, ind.target);
    set(r, ic.actual, ind.actual);
    set(r, ic.weight, ind.weight);
    set(r, ic.score, ind.reportedScore);
    set(r, ic.reason, ind.deviationReason);
  });
  const total = L.firstIndicatorRow + L.indicatorRows;
  set(total, ic.weight, 100);
  set(total, ic.score, e.reported!.total);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('xlsx template round trip', () => {
  it('a filled-in template reads back as the same canonical evaluation as the equivalent JSON', async () => {
    const fromXlsx = await parseDocumentAsync({ content: await fillTemplate(EVALUATION), fileName: 'filled.xlsx' });
    const fromJson = parseDocument({ content: JSON.stringify(EVALUATION), fileName: 'same.json' });
    expect(fromXlsx.evaluations).toHaveLength(1);
    expect(content(fromXlsx.evaluations[0]!)).toEqual(content(fromJson.evaluations[0]!));
    expect(fromXlsx.evaluations[0]!.funds!.sources!.executed).toMatchObject({
      sheet: '项目支出绩效自评表',
      line: L.fundsTotal,
    });
  });

  it('the blank template is refused: nothing is filled in', async () => {
    await expect(parseDocumentAsync({ content: await templateBuffer(), fileName: 'blank.xlsx' })).rejects.toThrow(
      /none of its figures/,
    );
  });
});

describe('xlsx safety', () => {
  it('refuses a decompression bomb by its declared sizes, before unpacking', async () => {
    const bomb = buildZip([{ name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(120 * 1024 * 1024) }]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(parseDocumentAsync({ content: bomb, fileName: 'bomb.xlsx' })).rejects.toThrow(
      /expand to more than|compresses/,
    );
  });

  it('refuses an entry that inflates past the size it declares', async () => {
    const liar = buildZip([
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(5 * 1024 * 1024), declaredSize: 1000 },
    ]);
    await expect(parseDocumentAsync({ content: liar, fileName: 'liar.xlsx' })).rejects.toThrow(/inflates past/);
  });

  it('refuses too many entries', async () => {
    const many = buildZip(Array.from({ length: 50 }, (_, k) => ({ name: `f${k}.xml`, data: Buffer.from('x') })));
    await expect(
      parseDocumentAsync({ content: many, fileName: 'many.xlsx' }, { limits: { maxZipEntries: 20 } }),
    ).rejects.toThrow(/50 entries/);
  });

  it('refuses bytes that are not a zip, and a zip that is not a workbook', async () => {
    await expect(
      parseDocumentAsync({ content: Buffer.from('hello, not a zip'), fileName: 'x.xlsx' }),
    ).rejects.toBeInstanceOf(DocumentRejectedError);
    const notBook = buildZip([{ name: 'hello.txt', data: Buffer.from('hi') }]);
    await expect(parseDocumentAsync({ content: notBook, fileName: 'y.xlsx' })).rejects.toBeInstanceOf(
      DocumentRejectedError,
    );
  });

  it('refuses a filled workbook cut off at any of several points, or flipped bytes, without crashing', async () => {
    const good = await fillTemplate(EVALUATION);
    for (const at of [10, 100, 1000, Math.floor(good.length / 2), good.length - 30]) {
      await expect(parseDocumentAsync({ content: good.subarray(0, at), fileName: 'cut.xlsx' })).rejects.toBeInstanceOf(
        DocumentRejectedError,
      );
    }
    for (let k = 1; k <= 5; k++) {
      const bad = Buffer.from(good);
      for (let i = 0; i < 20; i++) bad[(k * 7919 + i * 104729) % bad.length] ^= 0xff;
      try {
        const out = await parseDocumentAsync({ content: bad, fileName: 'flipped.xlsx' });
        expect(out.evaluations.length).toBeGreaterThan(0);
      } catch (err) {
        expect(err).toBeInstanceOf(DocumentRejectedError);
      }
    }
  });
});
