/**
 * GET /variable-suggestions/search end to end (API.md §5 "Smart hints"): difflib scoring parity
 * (expected scores computed with Python's difflib, see each comment), bonuses, threshold, order,
 * limit, highlighting, q rules, step filter and masking.
 */
import { expectBadRequest, expectStatus, newExecutionId, searchPath, seed, seedOneByOne, useServer, type Seed } from './hints-support';

const ctx = useServer();

const MATCH_KEYS = ['data_type', 'highlighted_name', 'match_score', 'name', 'preview_value', 'source_step_index'];

async function search(exec: string, query: Record<string, string>): Promise<any> {
  const response = await ctx.call('GET', `${searchPath(exec)}?${new URLSearchParams(query).toString()}`);
  expectStatus(response, 200);
  expect(Object.keys(response.json).sort()).toEqual(['count', 'matches', 'query']);
  expect(response.json.count).toBe(response.json.matches.length);
  for (const match of response.json.matches) expect(Object.keys(match).sort()).toEqual(MATCH_KEYS);
  return response.json;
}

const scores = (body: any): Array<[string, number]> => body.matches.map((m: any) => [m.name, m.match_score]);

async function executionWith(tag: string, variables: Seed[]): Promise<string> {
  const exec = newExecutionId(tag);
  await seed(ctx.call, exec, variables);
  return exec;
}

describe('scoring', () => {
  test('q "user": difflib ratio + bonus, rounded to 4 decimals, sorted by score', async () => {
    const exec = await executionWith(
      'search-user',
      ['xyz', 'old_user', 'user_name', 'last_login_at', 'User_Email', 'username', 'user'].map((name, i) => ({ name, value: i, step: i })),
    );
    const body = await search(exec, { q: 'user' });
    expect(body.query).toBe('user');
    // python3: difflib.SequenceMatcher(None, 'user', name.lower()).ratio() + bonus
    //   user 1.0+0.5; username 0.6667+0.3; user_name 0.6154+0.3; user_email 0.5714+0.3; old_user 0.6667+0.2;
    //   last_login_at 0.1176 (< 0.2, dropped); xyz 0.0 (dropped)
    expect(scores(body)).toEqual([
      ['user', 1.5],
      ['username', 0.9667],
      ['user_name', 0.9154],
      ['User_Email', 0.8714],
      ['old_user', 0.8667],
    ]);
    const user = body.matches[0];
    expect(user).toEqual({
      name: 'user',
      match_score: 1.5,
      highlighted_name: '<mark>user</mark>',
      data_type: 'number',
      source_step_index: 6,
      preview_value: '6',
    });
    expect(body.matches.map((m: any) => m.highlighted_name)).toEqual([
      '<mark>user</mark>',
      '<mark>user</mark>name',
      '<mark>user</mark>_name',
      '<mark>User</mark>_Email',
      'old_<mark>user</mark>',
    ]);
    // Upper-case q scores the same (both sides are lower-cased).
    const upper = await search(exec, { q: 'USER' });
    expect(scores(upper)).toEqual(scores(body));
    expect(upper.query).toBe('USER');
  });

  test('difflib block matching, not longest common subsequence', async () => {
    const exec = await executionWith('search-blocks', [
      { name: 'bcba_', value: 1 },
      { name: 'bccabbc_bccd', value: 2 },
    ]);
    // python3: ratio('b_ab_', 'bcba_') == 0.4 (an LCS would give 0.6); ratio('b_ab_', 'bccabbc_bccd') == 0.47058823529411764
    expect(scores(await search(exec, { q: 'b_ab_' }))).toEqual([
      ['bccabbc_bccd', 0.4706],
      ['bcba_', 0.4],
    ]);
    // python3: ratio('acbca', 'bccabbc_bccd') == 0.35294117647058826 (an LCS would give 0.4706); ratio('acbca', 'bcba_') == 0.6
    expect(scores(await search(exec, { q: 'acbca' }))).toEqual([
      ['bcba_', 0.6],
      ['bccabbc_bccd', 0.3529],
    ]);
  });

  test('round() ties to even on the binary value: 0.28125 → 0.2812', async () => {
    const name = `abcdefghi${'x'.repeat(45)}`;
    const exec = await executionWith('search-round', [{ name, value: 1 }]);
    // python3: SequenceMatcher(None, 'abcdefghiz', name).ratio() == 0.28125 (18/64), round(0.28125, 4) == 0.2812
    expect(scores(await search(exec, { q: 'abcdefghiz' }))).toEqual([[name, 0.2812]]);
  });

  test('autojunk: for a name of 200+ code points, characters in more than 1 % of it are junk', async () => {
    const name = 'ab'.repeat(105);
    const exec = await executionWith('search-autojunk', [{ name, value: 1 }]);
    // python3: SequenceMatcher(None, 'ba', 'ab'*105).ratio() == 0.0 (a and b are popular) → 0.0 + 0.2 (q inside name)
    // (without autojunk it would be 0.018867924528301886 + 0.2 → 0.2189)
    expect(scores(await search(exec, { q: 'ba' }))).toEqual([[name, 0.2]]);
  });

  test('q is measured in code points: "u😀" is 2 long', async () => {
    const exec = await executionWith('search-astral', [
      { name: 'user', value: 1 },
      { name: 'username', value: 2 },
    ]);
    // python3: ratio('u😀', 'user') == 2/6 → 0.3333; ratio('u😀', 'username') == 2/10 == 0.2 (kept: ≥ 0.2).
    // Counting UTF-16 units would give 0.2857 and 0.1818 (dropped).
    const body = await search(exec, { q: 'u😀' });
    expect(scores(body)).toEqual([
      ['user', 0.3333],
      ['username', 0.2],
    ]);
    expect(body.query).toBe('u😀');
  });

  test('threshold: a raw score of exactly 0.2 is kept, below is dropped', async () => {
    const exec = await executionWith('search-threshold', [
      { name: 'axxxxxx', value: 1 },
      { name: 'axxxxx', value: 2 },
    ]);
    // python3: ratio('abcd', 'axxxxx') == 0.2; ratio('abcd', 'axxxxxx') == 0.18181818181818182
    const body = await search(exec, { q: 'abcd' });
    expect(scores(body)).toEqual([['axxxxx', 0.2]]);
    expect(body.matches[0].highlighted_name).toBe('axxxxx');
    expect((await search(exec, { q: 'qqqq' })).matches).toEqual([]);
  });

  test('bonuses: equal +0.5, prefix +0.3, inside +0.2', async () => {
    const exec = await executionWith(
      'search-bonus',
      ['line_item', 'itemz', 'item_1', 'items', 'item'].map((name, step) => ({ name, value: 0, step })),
    );
    // python3: item 1.0+0.5; items 0.8889+0.3; itemz 0.8889+0.3 (tie: itemz is earlier in the list); item_1 0.8+0.3; line_item 0.6154+0.2
    expect(scores(await search(exec, { q: 'item' }))).toEqual([
      ['item', 1.5],
      ['itemz', 1.1889],
      ['items', 1.1889],
      ['item_1', 1.1],
      ['line_item', 0.8154],
    ]);
  });
});

describe('order and limit', () => {
  test('ties keep the list order (source step, then updated_at, then name)', async () => {
    const exec = newExecutionId('search-ties');
    await seedOneByOne(ctx.call, exec, [
      { name: 'abz', value: 1, step: 2 },
      { name: 'abx', value: 1, step: 1 },
      { name: 'aby', value: 1, step: 0 },
      { name: 'abw', value: 1, step: 1 },
    ]);
    // python3: every 'ab?' scores 0.8 + 0.3 = 1.1
    const body = await search(exec, { q: 'ab' });
    expect(body.matches.map((m: any) => m.name)).toEqual(['aby', 'abx', 'abw', 'abz']);
    expect(body.matches.every((m: any) => m.match_score === 1.1)).toBe(true);
  });

  test('limit: default 10, max 50 (clamped), cut after sorting; bad values → 400', async () => {
    const exec = newExecutionId('search-limit');
    const variables: Seed[] = Array.from({ length: 60 }, (_, i) => ({
      name: `key_${String(i).padStart(2, '0')}${'z'.repeat(i % 5)}`,
      value: i,
      step: i % 4,
    }));
    await seed(ctx.call, exec, variables);
    const full = await search(exec, { q: 'key', limit: '50' });
    expect(full.count).toBe(50);
    for (let i = 1; i < full.matches.length; i += 1)
      expect(full.matches[i - 1].match_score).toBeGreaterThanOrEqual(full.matches[i].match_score);
    const byDefault = await search(exec, { q: 'key' });
    expect(byDefault.count).toBe(10);
    expect(byDefault.matches).toEqual(full.matches.slice(0, 10));
    const clamped = await search(exec, { q: 'key', limit: '1000' });
    expect(clamped.count).toBe(50);
    expect(clamped.matches).toEqual(full.matches);
    const three = await search(exec, { q: 'key', limit: '3' });
    expect(three.matches).toEqual(full.matches.slice(0, 3));
    for (const limit of ['0', '-1', 'abc', '1.5']) expectBadRequest(await ctx.call('GET', `${searchPath(exec)}?q=key&limit=${limit}`));
  });
});

describe('highlighting', () => {
  test("every case-insensitive occurrence, keeping the name's case", async () => {
    const exec = await executionWith('search-mark', [
      { name: 'user_name_name', value: 1 },
      { name: 'User_NAME', value: 2 },
      { name: 'aaa', value: 3 },
      { name: 'nAmE', value: 4 },
    ]);
    const body = await search(exec, { q: 'NAME' });
    const marks = Object.fromEntries(body.matches.map((m: any) => [m.name, m.highlighted_name]));
    expect(marks.user_name_name).toBe('user_<mark>name</mark>_<mark>name</mark>');
    expect(marks.User_NAME).toBe('User_<mark>NAME</mark>');
    expect(marks.nAmE).toBe('<mark>nAmE</mark>');
    // python3: nAmE 1.0+0.5; User_NAME 0.6154+0.2 → 0.8154; user_name_name 0.4444+0.2 → 0.6444; aaa 0.2857 (no bonus)
    expect(scores(body)).toEqual([
      ['nAmE', 1.5],
      ['User_NAME', 0.8154],
      ['user_name_name', 0.6444],
      ['aaa', 0.2857],
    ]);
    expect(marks.aaa).toBe('aaa');
    const overlap = await search(exec, { q: 'aa' });
    expect(overlap.matches.find((m: any) => m.name === 'aaa').highlighted_name).toBe('<mark>aa</mark>a');
  });

  test('regex specials in q are literal text', async () => {
    const exec = await executionWith('search-regex', [
      { name: 'axb', value: 1, step: 0 },
      { name: 'a_b', value: 2, step: 1 },
      { name: 'user', value: 3, step: 2 },
      { name: 'user_name', value: 4, step: 3 },
    ]);
    const dot = await search(exec, { q: 'a.b' });
    // python3: ratio('a.b', 'axb') == ratio('a.b', 'a_b') == 0.6667; no literal "a.b" inside either name
    expect(scores(dot)).toEqual([
      ['axb', 0.6667],
      ['a_b', 0.6667],
    ]);
    expect(dot.matches.map((m: any) => m.highlighted_name)).toEqual(['axb', 'a_b']);
    const star = await search(exec, { q: 'user.*' });
    // python3: ratio('user.*', 'user') == 0.8; ratio('user.*', 'user_name') == 0.5333
    expect(scores(star)).toEqual([
      ['user', 0.8],
      ['user_name', 0.5333],
    ]);
    expect(star.matches.map((m: any) => m.highlighted_name)).toEqual(['user', 'user_name']);
    for (const q of ['(', '[', '\\', '$', '*', '+?', ')|(']) {
      const response = await ctx.call('GET', `${searchPath(exec)}?q=${encodeURIComponent(q)}`);
      expectStatus(response, 200);
      for (const match of response.json.matches) expect(match.highlighted_name).toBe(match.name);
    }
  });
});

describe('q rules', () => {
  test('missing, empty or blank q → 400 INVALID_REQUEST', async () => {
    const exec = await executionWith('search-blank', [{ name: 'user', value: 1 }]);
    expectBadRequest(await ctx.call('GET', searchPath(exec)));
    for (const q of ['', '   ', '\t\n']) expectBadRequest(await ctx.call('GET', `${searchPath(exec)}?q=${encodeURIComponent(q)}`));
  });

  test('q longer than 100 code points → 400; 100 code points (even astral) is fine', async () => {
    const exec = await executionWith('search-long', [{ name: 'user', value: 1 }]);
    expectStatus(await ctx.call('GET', `${searchPath(exec)}?q=${'u'.repeat(100)}`), 200);
    expectBadRequest(await ctx.call('GET', `${searchPath(exec)}?q=${'u'.repeat(101)}`));
    const emoji100 = await ctx.call('GET', `${searchPath(exec)}?q=${encodeURIComponent('😀'.repeat(100))}`);
    expectStatus(emoji100, 200);
    expect(emoji100.json.query).toBe('😀'.repeat(100));
    expectBadRequest(await ctx.call('GET', `${searchPath(exec)}?q=${encodeURIComponent('😀'.repeat(101))}`));
  });

  test('query echoes the trimmed q, which is also what is scored and highlighted', async () => {
    const exec = await executionWith('search-trim', [{ name: 'user_id', value: 1 }]);
    const body = await search(exec, { q: '  User  ' });
    expect(body.query).toBe('User');
    // python3: ratio('user', 'user_id') == 0.7273 + 0.3
    expect(scores(body)).toEqual([['user_id', 1.0273]]);
    expect(body.matches[0].highlighted_name).toBe('<mark>user</mark>_id');
  });
});

describe('filters and masking', () => {
  test('step_index keeps only variables from earlier steps', async () => {
    const exec = await executionWith('search-step', [
      { name: 'order_id', value: 1, step: 0 },
      { name: 'order_total', value: 2, step: 3 },
      { name: 'order', value: 3, step: 5 },
    ]);
    expect((await search(exec, { q: 'order', step_index: '3' })).matches.map((m: any) => m.name)).toEqual(['order_id']);
    expect((await search(exec, { q: 'order', step_index: '4' })).matches.map((m: any) => m.name).sort()).toEqual([
      'order_id',
      'order_total',
    ]);
    expect((await search(exec, { q: 'order', step_index: '0' })).matches).toEqual([]);
    expect((await search(exec, { q: 'order' })).matches.map((m: any) => m.name)).toEqual(['order', 'order_id', 'order_total']);
  });

  test('preview_value per type; sensitive previews are masked', async () => {
    const exec = await executionWith('search-preview', [
      { name: 'pass_word', value: 'hunter2', sensitive: true },
      { name: 'pass_obj', value: { a: 1 }, sensitive: true },
      { name: 'pass_list', value: [1, 2], step: 2 },
      { name: 'pass_hint', value: 'h' },
    ]);
    const body = await search(exec, { q: 'pass' });
    const byName = Object.fromEntries(body.matches.map((m: any) => [m.name, m]));
    // A masked value previews as the string "******" would: quoted.
    expect(byName.pass_word.preview_value).toBe('"******"');
    expect(byName.pass_obj.preview_value).toBe('"******"');
    expect(byName.pass_word.data_type).toBe('string');
    expect(byName.pass_list).toMatchObject({ preview_value: '[2 items]', data_type: 'array', source_step_index: 2 });
    expect(byName.pass_hint.preview_value).toBe('"h"');
    expect(JSON.stringify(body)).not.toContain('hunter2');
  });

  test('an execution without variables has no matches', async () => {
    const body = await search(newExecutionId('search-empty'), { q: 'anything' });
    expect(body).toEqual({ query: 'anything', matches: [], count: 0 });
  });
});
