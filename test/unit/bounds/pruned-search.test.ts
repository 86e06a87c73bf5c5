/**
 * Pruning never changes an answer: search with difflib's upper bounds and a running top `limit`
 * equals scoring every name and sorting (API.md §5, §8); validate's pruned suggestion ranking
 * equals the full sort.
 */
import fc from 'fast-check';
import { searchVariables, searchVariablesUnpruned } from '#domain/hints/search';
import { closestFirst } from '#domain/references/validate';

/** Small alphabets make ties, shared characters and long repeated blocks likely. */
const letters = fc.constantFrom('a', 'b', '_', 'A', 'c', '😀');
const name = fc.string({ unit: letters, minLength: 0, maxLength: 40 });
const longName = fc.string({ unit: fc.constantFrom('a', 'b'), minLength: 150, maxLength: 230 });
const query = fc.string({ unit: letters, minLength: 1, maxLength: 12 }).filter((q) => q.trim() !== '');

const view = (matches: ReturnType<typeof searchVariables>) =>
  matches.map((m) => [m.candidate.name, m.rawScore, m.match_score, m.highlighted_name]);

describe('pruned search', () => {
  it('equals the unpruned search for random queries, names and limits', () => {
    fc.assert(
      fc.property(query, fc.array(name, { maxLength: 60 }), fc.integer({ min: 1, max: 12 }), (q, names, limit) => {
        const candidates = names.map((n) => ({ name: n }));
        expect(view(searchVariables(q, candidates, limit))).toEqual(view(searchVariablesUnpruned(q, candidates, limit)));
      }),
      { numRuns: 500 },
    );
  });

  it('equals it for long names (autojunk) and long repetitive queries', () => {
    const repetitive = fc.string({ unit: fc.constantFrom('a', 'b'), minLength: 20, maxLength: 100 });
    fc.assert(
      fc.property(repetitive, fc.array(longName, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 5 }), (q, names, limit) => {
        const candidates = names.map((n) => ({ name: n }));
        expect(view(searchVariables(q, candidates, limit))).toEqual(view(searchVariablesUnpruned(q, candidates, limit)));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps list order among equal scores at the cut', () => {
    const candidates = ['ab1', 'ab2', 'ab3', 'ab4'].map((n) => ({ name: n }));
    expect(searchVariables('ab', candidates, 2).map((m) => m.candidate.name)).toEqual(['ab1', 'ab2']);
  });
});

/** The ranking as it was: every distance computed, stable sort, first `limit`. */
function closestFirstByFullSort(candidates: string[], typed: string, limit = 5): string[] {
  const distance = (a: string, b: string): number => {
    let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      const current = [i];
      for (let j = 1; j <= b.length; j++)
        current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
    return previous[b.length];
  };
  const target = typed.toLowerCase().slice(0, 64);
  return candidates
    .map((n, order) => ({ n, order, d: distance(n.toLowerCase().slice(0, 64), target) }))
    .sort((x, y) => x.d - y.d || x.order - y.order)
    .slice(0, limit)
    .map((entry) => entry.n);
}

describe('pruned suggestion ranking (validate)', () => {
  it('equals the full sort', () => {
    const key = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', 'İ'), maxLength: 80 });
    fc.assert(
      fc.property(fc.array(key, { maxLength: 50 }), key, fc.integer({ min: 0, max: 7 }), (keys, typed, limit) => {
        expect(closestFirst(keys, typed, limit)).toEqual(closestFirstByFullSort(keys, typed, limit));
      }),
      { numRuns: 500 },
    );
  });
});
