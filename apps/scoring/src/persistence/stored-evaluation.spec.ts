import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndicatorSchema, type CanonicalEvaluation } from '@jixiao/contracts';
import { DocumentRejectedError, parseDocument } from '@jixiao/forms';
import { loadRuleSets } from '@jixiao/scoring';
import { syntheticEvaluation } from '../../../../bench/support/rescore-data';
import { decodeStoredEvaluation, encodeStoredEvaluation, INDICATOR_FIELDS } from './stored-evaluation';

const FIXTURES = resolve(__dirname, '../../../../test/fixtures');
const registry = loadRuleSets(resolve(__dirname, '../../../../rules'));

/** Every form of the seed and sample documents that intake accepts, as it hands them to scoring (sources and all). */
const documentForms: Array<[string, CanonicalEvaluation]> = ['seeds', 'samples'].flatMap((dir) =>
  readdirSync(join(FIXTURES, dir)).flatMap((file) => {
    try {
      return parseDocument(
        { content: readFileSync(join(FIXTURES, dir, file)), fileName: file },
        { regionLookup: (t) => registry.findRegionInText(t) },
      ).evaluations.map((e, i): [string, CanonicalEvaluation] => [`${dir}/${file} #${i}`, e]);
    } catch (err) {
      if (err instanceof DocumentRejectedError) return []; // some samples are refused, by design
      throw err;
    }
  }),
);

/** What the evaluation is as JSON (undefined fields dropped, as storing any JSON drops them). */
const asJson = (e: unknown) => JSON.parse(JSON.stringify(e));

describe('stored evaluations', () => {
  it('packs the indicator table of every seed and sample form and reads back exactly the same evaluation', () => {
    expect(documentForms.length).toBeGreaterThanOrEqual(6);
    for (const [name, form] of documentForms) {
      const text = encodeStoredEvaluation(form);
      if (form.indicators?.length) expect(JSON.parse(text).indicators, name).toMatchObject({ packed: 2 });
      expect(decodeStoredEvaluation(text), name).toEqual(asJson(form));
    }
  });

  it('keeps the evaluation’s own key order, indicators in their place', () => {
    const [, form] = documentForms.find(([, f]) => f.indicators?.length)!;
    expect(Object.keys(decodeStoredEvaluation(encodeStoredEvaluation(form)))).toEqual(Object.keys(asJson(form)));
  });

  it('halves a generated 20-indicator form', () => {
    for (let i = 0; i < 200; i++) {
      const { evaluation } = syntheticEvaluation(registry, 7, i);
      const text = encodeStoredEvaluation(evaluation);
      expect(decodeStoredEvaluation(text)).toEqual(asJson(evaluation));
      if (evaluation.indicators!.length >= 20) expect(text.length).toBeLessThan(JSON.stringify(evaluation).length * 0.6);
    }
  });

  it('tells a missing field from a null one, and from an undefined one', () => {
    const form: CanonicalEvaluation = {
      formType: 'project',
      indicators: [
        { name: 'a', target: '≥90%', actual: null, weight: 10 },
        { level1: '效益指标', name: 'b', actual: '95%', deviationReason: undefined, sources: { actual: { line: 3, text: '95%' } } },
        { name: 'c', target: '', actual: '0', weight: 0, reportedScore: null },
      ],
    };
    const back = decodeStoredEvaluation(encodeStoredEvaluation(form));
    expect(back.indicators).toEqual(asJson(form).indicators);
    expect(back.indicators![0]).not.toHaveProperty('level1');
    expect(back.indicators![1]).not.toHaveProperty('deviationReason');
    expect(back.indicators![0]).toHaveProperty('actual', null);
  });

  it('lists every field of the canonical indicator, and carries fields beyond them too', () => {
    expect([...INDICATOR_FIELDS].sort()).toEqual(Object.keys(IndicatorSchema.shape).sort());
    const form = {
      formType: 'project',
      indicators: [{ name: 'a', extra: '附注' }, { name: 'b', actual: '1', weight: 2 }],
    } as unknown as CanonicalEvaluation;
    const text = encodeStoredEvaluation(form);
    expect(JSON.parse(text).indicators.fields).toEqual([...INDICATOR_FIELDS, 'extra']);
    expect(decodeStoredEvaluation(text)).toEqual(form);
    expect(decodeStoredEvaluation(text).indicators![1]).not.toHaveProperty('extra');
  });

  it('packs as rows of values what text rows cannot carry, and reads rows of values stored before', () => {
    const [, form] = documentForms.find(([, f]) => (f.indicators?.length ?? 0) >= 3)!;
    const reserved = structuredClone(form);
    reserved.indicators![1].actual = '95\ue000%';
    reserved.indicators![2].name = '\ue001';
    const typed = { formType: 'project', indicators: [{ name: 'a', weight: '5' }] } as unknown as CanonicalEvaluation;
    for (const odd of [reserved, typed]) {
      const text = encodeStoredEvaluation(odd);
      expect(JSON.parse(text).indicators.packed).toBe(1);
      expect(decodeStoredEvaluation(text)).toEqual(asJson(odd));
    }
    const before = JSON.stringify({
      formType: 'project',
      indicators: { packed: 1, fields: [...INDICATOR_FIELDS], rows: [['a', '≥90%', '95%', 5, false, '产出指标'], ['b', null]] },
    });
    expect(decodeStoredEvaluation(before).indicators).toEqual([
      { name: 'a', target: '≥90%', actual: '95%', weight: 5, level1: '产出指标' },
      { name: 'b', target: null },
    ]);
  });

  it('stores as it is what it cannot pack, and reads plain JSON as plain JSON', () => {
    const odd = { formType: 'project', indicators: [{ name: 'x', flag: true }] } as unknown as CanonicalEvaluation;
    expect(encodeStoredEvaluation(odd)).toBe(JSON.stringify(odd));
    const listy = { formType: 'project', indicators: [{ name: 'x', notes: ['a'] }] } as unknown as CanonicalEvaluation;
    expect(encodeStoredEvaluation(listy)).toBe(JSON.stringify(listy));
    const none: CanonicalEvaluation = { formType: 'department', indicators: [] };
    expect(encodeStoredEvaluation(none)).toBe(JSON.stringify(none));
    expect(decodeStoredEvaluation(encodeStoredEvaluation(none))).toEqual(none);

    const plain = JSON.stringify(documentForms[0][1]);
    expect(decodeStoredEvaluation(plain)).toEqual(asJson(documentForms[0][1]));
  });
});
