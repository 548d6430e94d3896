import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { handlerRuns } from './handler-runs';

type Item = { definition: 'sub' | 'score' | 'other'; keys: string[] | undefined; id: string };
const sub = (id: string, ...keys: string[]): Item => ({ definition: 'sub', keys: [id, ...keys], id: `sub:${id}` });
const score = (id: string): Item => ({ definition: 'score', keys: [id], id: `score:${id}` });
const keyless = (id: string, definition: Item['definition'] = 'other'): Item => ({ definition, keys: undefined, id });
const ids = (runs: Item[][]) => runs.map((run) => run.map((i) => i.id));

describe('handlerRuns', () => {
  it('groups interleaved events of two names that touch different entities into one run per name', () => {
    const items = [sub('a'), score('x'), sub('b'), score('y'), sub('c'), score('z')];
    expect(ids(handlerRuns(items))).toEqual([
      ['sub:a', 'sub:b', 'sub:c'],
      ['score:x', 'score:y', 'score:z'],
    ]);
  });

  it('keeps the order of events that share a key: a score that came before its submission stays before it', () => {
    // score:a came first (it overtook its submission); sub:a must not be handled ahead of it, nor sub:c (corrects a)
    const items = [sub('x'), score('a'), sub('a'), sub('b'), sub('c', 'a'), score('b')];
    expect(ids(handlerRuns(items))).toEqual([
      ['sub:x', 'sub:b'],
      ['score:a', 'score:b'],
      ['sub:a', 'sub:c'],
    ]);
  });

  it('an event without keys keeps its place and nothing moves ahead of it', () => {
    const items = [sub('a'), keyless('k'), sub('b'), score('c')];
    expect(ids(handlerRuns(items))).toEqual([['sub:a'], ['k'], ['sub:b'], ['score:c']]);
    // a keyless event of the run's own name joins it only while nothing was left behind
    expect(ids(handlerRuns([sub('a'), keyless('k', 'sub'), score('c'), keyless('m', 'sub')]))).toEqual([
      ['sub:a', 'k'],
      ['score:c'],
      ['m'],
    ]);
  });

  it('without any regrouping possible, consecutive events of one name make a run, as before', () => {
    expect(
      ids(handlerRuns([sub('a'), sub('b'), score('a'), score('b'), sub('c')].map((i) => ({ ...i, keys: undefined })))),
    ).toEqual([['sub:a', 'sub:b'], ['score:a', 'score:b'], ['sub:c']]);
    expect(handlerRuns([])).toEqual([]);
  });

  it('for any sequence: every event once, one name per run, and events sharing a key (or keyless) in their order', () => {
    const item = fc.record({
      definition: fc.constantFrom('sub' as const, 'score' as const, 'other' as const),
      keys: fc.option(fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e'), { minLength: 1, maxLength: 2 }), {
        nil: undefined,
        freq: 8,
      }),
    });
    fc.assert(
      fc.property(fc.array(item, { maxLength: 40 }), (raw) => {
        const items: Item[] = raw.map((r, i) => ({ ...r, id: String(i) }));
        const runs = handlerRuns(items);
        const order = runs.flat().map((i) => Number(i.id));
        expect([...order].sort((x, y) => x - y)).toEqual(items.map((_, i) => i));
        for (const run of runs) expect(new Set(run.map((i) => i.definition)).size).toBe(1);
        const position = new Map(order.map((id, at) => [id, at]));
        for (let i = 0; i < items.length; i++)
          for (let j = i + 1; j < items.length; j++) {
            const [a, b] = [items[i], items[j]];
            const related = !a.keys || !b.keys || a.keys.some((k) => b.keys!.includes(k));
            if (related) expect(position.get(i)!).toBeLessThan(position.get(j)!);
          }
      }),
      { numRuns: 500 },
    );
  });
});
