import fc from 'fast-check';
import { QueryRatio, SequenceMatcher, sequenceRatio } from '#domain/hints/sequence-matcher';
import { codePoints } from '#domain/json';
import { difflibFixture } from './difflib-fixture';

const ratioOf = (a: string, b: string) => sequenceRatio(codePoints(a), codePoints(b));

describe('SequenceMatcher (port of difflib)', () => {
  it('has at least 300 Python cases, including autojunk and astral ones', () => {
    expect(difflibFixture.cases.length).toBeGreaterThanOrEqual(300);
    expect(difflibFixture.cases.some((c) => c.tag.startsWith('autojunk') && codePoints(c.name).length >= 200)).toBe(true);
    expect(difflibFixture.cases.some((c) => /\p{Extended_Pictographic}/u.test(c.name))).toBe(true);
  });

  it.each(difflibFixture.cases.map((c, i) => [i, c.tag, c] as const))('ratio #%i (%s) equals Python bit for bit', (_i, _tag, c) => {
    const query = codePoints(c.query.trim().toLowerCase());
    const name = codePoints(c.name.toLowerCase());
    expect(sequenceRatio(query, name)).toBe(c.ratio);
  });

  it('reproduces the documented difflib examples', () => {
    expect(new SequenceMatcher(codePoints(' abcd'), codePoints('abcd abcd')).findLongestMatch(0, 5, 0, 9)).toEqual({ a: 0, b: 4, size: 5 });
    expect(new SequenceMatcher(codePoints('ab'), codePoints('c')).findLongestMatch(0, 2, 0, 1)).toEqual({ a: 0, b: 0, size: 0 });
    expect(new SequenceMatcher(codePoints('abxcd'), codePoints('abcd')).getMatchingBlocks()).toEqual([
      { a: 0, b: 0, size: 2 },
      { a: 3, b: 2, size: 2 },
      { a: 5, b: 4, size: 0 },
    ]);
    expect(ratioOf('abcd', 'bcde')).toBe(0.75);
  });

  it('honours an isjunk predicate like difflib (junk only extends an interesting match)', () => {
    const matcher = new SequenceMatcher(codePoints(' abcd'), codePoints('abcd abcd'), (x) => x === ' ');
    expect(matcher.findLongestMatch(0, 5, 0, 9)).toEqual({ a: 1, b: 0, size: 4 });
  });

  it('drops popular elements only from 200 elements on (1 + len // 100 occurrences allowed)', () => {
    // 'x' appears 4 times in both names; the threshold is 3 for 200..299 elements.
    const filler = (n: number) => Array.from({ length: n }, (_, i) => String.fromCharCode(97 + (i % 20))).join('');
    const short = `xxxx${filler(195)}`; // 199 elements: no autojunk
    const long = `xxxx${filler(196)}`; // 200 elements: 'x' is popular
    expect(ratioOf('xxxx', short)).toBe((2 * 4) / (4 + 199));
    // A popular element is not in b2j, but the extension over equal neighbours still reaches the
    // prefix from an empty match at (0, 0), exactly as difflib does.
    expect(ratioOf('xxxx', long)).toBe((2 * 4) / (4 + 200));
    expect(ratioOf('zxxxx', long)).toBe(0);
  });

  it('returns 1 for two empty sequences and 0 against one empty sequence', () => {
    expect(sequenceRatio([], [])).toBe(1);
    expect(ratioOf('', 'abc')).toBe(0);
    expect(ratioOf('abc', '')).toBe(0);
  });

  it('is in [0, 1], is 1 on identical input, and matches never exceed the shorter side', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'grapheme', maxLength: 30 }), (a, b) => {
        const left = codePoints(a);
        const right = codePoints(b);
        const ratio = sequenceRatio(left, right);
        expect(ratio).toBeGreaterThanOrEqual(0);
        expect(ratio).toBeLessThanOrEqual(1);
        expect(sequenceRatio(left, left)).toBe(1);
        expect((ratio * (left.length + right.length)) / 2).toBeLessThanOrEqual(Math.min(left.length, right.length) + 1e-9);
      }),
    );
  });

  it('matching blocks are increasing, non-adjacent and really equal', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '_', '😀'), { maxLength: 260 }),
        fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 40 }),
        (b, a) => {
          const blocks = new SequenceMatcher(a, b).getMatchingBlocks();
          expect(blocks.at(-1)).toEqual({ a: a.length, b: b.length, size: 0 });
          for (let i = 0; i < blocks.length - 1; i++) {
            const { a: ai, b: bi, size } = blocks[i];
            expect(a.slice(ai, ai + size)).toEqual(b.slice(bi, bi + size));
            const next = blocks[i + 1];
            expect(ai + size).toBeLessThanOrEqual(next.a);
            expect(bi + size).toBeLessThanOrEqual(next.b);
            if (i < blocks.length - 2) expect(ai + size === next.a && bi + size === next.b).toBe(false);
          }
        },
      ),
    );
  });

  it('QueryRatio, reused across many names, agrees with a fresh SequenceMatcher for each', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }),
        fc.array(
          fc.oneof(
            fc.string({ unit: 'grapheme', maxLength: 30 }),
            fc.string({ unit: fc.constantFrom('a', 'b', '_', '😀'), minLength: 190, maxLength: 260 }),
          ),
          { maxLength: 12 },
        ),
        (query, names) => {
          const reused = new QueryRatio(codePoints(query));
          for (const name of names) expect(reused.ratio(name)).toBe(ratioOf(query, name));
        },
      ),
    );
  });

  it('is not symmetric, exactly where Python is not', () => {
    const swapped = difflibFixture.cases.filter((c) => c.tag === 'asymmetric');
    expect(swapped).toHaveLength(4);
    expect(ratioOf('aacaccbaac', 'caabccacaa')).not.toBe(ratioOf('caabccacaa', 'aacaccbaac'));
  });

  it('depends only on which elements are equal: renaming elements one-to-one keeps the ratio', () => {
    const rename = (points: string[]) => points.map((p) => String.fromCodePoint(0x1f300 + (p.codePointAt(0)! % 512)));
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', 'c', '_'), { maxLength: 40 }),
        fc.array(fc.constantFrom('a', 'b', 'c', '_'), { maxLength: 40 }),
        (a, b) => {
          expect(sequenceRatio(rename(a), rename(b))).toBe(sequenceRatio(a, b));
        },
      ),
    );
  });
});
