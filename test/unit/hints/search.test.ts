import fc from 'fast-check';
import { checkSearchQuery, highlightName, roundHalfEven4, scoreName, searchVariables, SEARCH_MIN_SCORE } from '#domain/hints/search';
import { difflibFixture } from './difflib-fixture';

describe('scoreName and match_score parity with Python', () => {
  it.each(difflibFixture.cases.map((c, i) => [i, c.tag, c] as const))('case #%i (%s)', (_i, _tag, c) => {
    const raw = scoreName(c.query, c.name);
    expect(raw).toBe(c.raw);
    expect(roundHalfEven4(raw)).toBe(c.score);
  });
});

describe('scoreName bonuses (first that applies)', () => {
  it.each([
    ['user_name', 'user_name', 1 + 0.5],
    ['USER_NAME', 'user_name', 1 + 0.5],
    ['  user  ', 'user_name', (2 * 4) / 13 + 0.3],
    ['name', 'user_name', (2 * 4) / 13 + 0.2],
    ['nme', 'user_name', (2 * 3) / 12],
  ])('%p vs %p', (query, name, expected) => {
    expect(scoreName(query, name)).toBe(expected);
  });
});

describe('roundHalfEven4', () => {
  it.each(difflibFixture.rounding.map(([x, r], i) => [i, x, r] as const))('#%i round(%p, 4) = %p as in Python', (_i, x, rounded) => {
    expect(roundHalfEven4(x)).toBe(rounded);
  });

  it('breaks exact binary ties to even, unlike toFixed and Math.round', () => {
    expect(roundHalfEven4(0.03125)).toBe(0.0312);
    expect(roundHalfEven4(0.09375)).toBe(0.0938);
    expect(roundHalfEven4(-0.03125)).toBe(-0.0312);
  });

  it('rounds the exact binary value, not the decimal literal', () => {
    expect(roundHalfEven4(0.00015)).toBe(0.0001); // stored as 0.000149999…
    expect(roundHalfEven4(0.12355)).toBe(0.1235); // stored as 0.123549999…
    expect(roundHalfEven4(1.00005)).toBe(1.0001); // stored as 1.000050000…1
  });

  it('passes through values it cannot change', () => {
    expect(roundHalfEven4(0)).toBe(0);
    expect(roundHalfEven4(1.5)).toBe(1.5);
    expect(roundHalfEven4(2 ** 60)).toBe(2 ** 60);
    expect(roundHalfEven4(Number.NaN)).toBeNaN();
  });
});

describe('highlightName', () => {
  it.each([
    ['user_name', 'name', 'user_<mark>name</mark>'],
    ['UserName_USERNAME', 'username', '<mark>UserName</mark>_<mark>USERNAME</mark>'],
    ['aaa', 'aa', '<mark>aa</mark>a'],
    ['aaaa', 'aa', '<mark>aa</mark><mark>aa</mark>'],
    ['a.b_axb', 'a.b', '<mark>a.b</mark>_axb'],
    ['f(x)_(', '(', 'f<mark>(</mark>x)_<mark>(</mark>'],
    ['a+b*c', '+b*', 'a<mark>+b*</mark>c'],
    ['price_total', 'zzz', 'price_total'],
    ['ab', 'abc', 'ab'],
  ])('%p with %p', (name, query, expected) => {
    expect(highlightName(name, query)).toBe(expected);
  });

  it('never matches half of a character whose lower case is longer (İ → i̇)', () => {
    expect(highlightName('İx', 'i')).toBe('İx');
    expect(highlightName('İx', 'i̇x')).toBe('<mark>İx</mark>');
    expect(highlightName('İx', 'İ')).toBe('<mark>İ</mark>x');
  });

  it('keeps astral characters whole', () => {
    expect(highlightName('a😀b😀', '😀')).toBe('a<mark>😀</mark>b<mark>😀</mark>');
  });

  it('leaves the name unchanged for an empty query', () => {
    expect(highlightName('abc', '')).toBe('abc');
  });

  it('gives back the name once the marks are stripped, and marks only real occurrences', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.()]{0,30}$/), fc.stringMatching(/^[A-Za-z_.(]{1,4}$/), (name, query) => {
        const highlighted = highlightName(name, query);
        expect(highlighted.replace(/<\/?mark>/g, '')).toBe(name);
        for (const [, marked] of highlighted.matchAll(/<mark>(.*?)<\/mark>/g)) expect(marked.toLowerCase()).toBe(query.toLowerCase());
        expect(highlighted.includes('<mark>')).toBe(name.toLowerCase().includes(query.toLowerCase()));
      }),
    );
  });
});

describe('searchVariables', () => {
  const candidates = ['user_name', 'username', 'order_id', 'user', 'total_price', 'usr', 'name_of_user'].map((name, index) => ({
    name,
    index,
  }));

  it('keeps scores ≥ 0.2, best first, ties in list order, with rounded scores and highlights', () => {
    const matches = searchVariables(' User ', candidates, 10);
    // Python: ratios 1, 0.667, 0.615, 0.857, 0.5, 0.333 (+0.5 equal, +0.3 prefix, +0.2 inside); total_price 0.133 is dropped.
    expect(matches.map((m) => m.candidate.name)).toEqual(['user', 'username', 'user_name', 'usr', 'name_of_user', 'order_id']);
    expect(matches[0]).toEqual({ candidate: candidates[3], rawScore: 1.5, match_score: 1.5, highlighted_name: '<mark>user</mark>' });
    expect(matches.map((m) => m.match_score)).toEqual([1.5, 0.9667, 0.9154, 0.8571, 0.7, 0.3333]);
    for (const match of matches) expect(match.rawScore).toBeGreaterThanOrEqual(SEARCH_MIN_SCORE);
  });

  it('keeps the input order among equal scores', () => {
    const same = ['ab_x', 'ab_y', 'ab_z'].map((name) => ({ name }));
    expect(searchVariables('ab', same, 10).map((m) => m.candidate.name)).toEqual(['ab_x', 'ab_y', 'ab_z']);
  });

  it('cuts to the limit after sorting', () => {
    expect(searchVariables('user', candidates, 2).map((m) => m.candidate.name)).toEqual(['user', 'username']);
  });

  it('drops everything below 0.2', () => {
    expect(searchVariables('qqqq', candidates, 10)).toEqual([]);
  });
});

describe('checkSearchQuery', () => {
  it.each([
    [undefined, { ok: false, reason: 'blank' }],
    ['', { ok: false, reason: 'blank' }],
    [' \t ', { ok: false, reason: 'blank' }],
    [' user ', { ok: true, trimmed: 'user' }],
    ['a'.repeat(100), { ok: true, trimmed: 'a'.repeat(100) }],
    ['😀'.repeat(100), { ok: true, trimmed: '😀'.repeat(100) }],
    ['a'.repeat(101), { ok: false, reason: 'too_long' }],
  ])('%p', (raw, expected) => {
    expect(checkSearchQuery(raw)).toEqual(expected);
  });
});
