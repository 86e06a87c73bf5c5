import { MAX_PATH_SEGMENTS, isSingleReference, parseReferencePath, rootTextOf, scanReferences } from '#domain/references/grammar';

const expressions = (text: string) => scanReferences(text).map((reference) => reference.expression);

describe('scanReferences', () => {
  it('finds references left to right with offsets and content', () => {
    expect(scanReferences('Hi ${user.name}, you have ${count} items')).toEqual([
      { start: 3, end: 15, expression: '${user.name}', content: 'user.name' },
      { start: 26, end: 34, expression: '${count}', content: 'count' },
    ]);
  });

  it('treats ${} and an unclosed ${abc as plain text', () => {
    expect(scanReferences('${}')).toEqual([]);
    expect(scanReferences('${abc')).toEqual([]);
    expect(expressions('${}${a}')).toEqual(['${a}']);
    expect(expressions('${a}${')).toEqual(['${a}']);
  });

  it('has no escape: $${x} is "$" followed by the reference', () => {
    expect(scanReferences('$${x}')).toEqual([{ start: 1, end: 5, expression: '${x}', content: 'x' }]);
  });

  it('scans ${outer${x}} as the one reference ${outer${x}', () => {
    expect(expressions('${outer${x}}')).toEqual(['${outer${x}']);
  });

  it('keeps repeats and adjacent references apart', () => {
    expect(expressions('${a}${a}${b}')).toEqual(['${a}', '${a}', '${b}']);
  });

  it('includes any non-} character, white space and newlines included', () => {
    expect(expressions('${ a }')).toEqual(['${ a }']);
    expect(expressions('${a\nb}')).toEqual(['${a\nb}']);
  });

  // A backtracking scanner would take minutes here and hit jest's timeout; the speed itself is not asserted.
  it('copes with 200,000 unclosed ${', () => {
    const hostile = '${'.repeat(200_000);
    expect(scanReferences(hostile)).toEqual([]);
    expect(scanReferences(hostile + '}')).toHaveLength(1);
  });
});

describe('isSingleReference', () => {
  it.each(['${a}', '${a.b[0]}', '${ a }'])('accepts %j', (text) => {
    expect(isSingleReference(text)?.expression).toBe(text);
  });

  it.each([' ${a}', '${a} ', 'x${a}', '${a}${b}', '${a}}', '${}', '${a', 'a', ''])('rejects %j', (text) => {
    expect(isSingleReference(text)).toBeUndefined();
  });
});

describe('parseReferencePath — valid paths', () => {
  it('parses a bare root', () => {
    expect(parseReferencePath('user_1')).toEqual({ ok: true, root: 'user_1', segments: [] });
    expect(parseReferencePath('_')).toMatchObject({ ok: true, root: '_' });
  });

  it('parses keys and indexes, negative indexes included', () => {
    const parsed = parseReferencePath('order.items[0].tags[-1]');
    expect(parsed).toMatchObject({
      ok: true,
      root: 'order',
      segments: [
        { kind: 'key', key: 'items' },
        { kind: 'index', index: 0 },
        { kind: 'key', key: 'tags' },
        { kind: 'index', index: -1 },
      ],
    });
  });

  it('accepts Unicode keys and punctuation other than . [ ] }', () => {
    expect(parseReferencePath('cn.商品名称')).toMatchObject({ ok: true, segments: [{ kind: 'key', key: '商品名称' }] });
    expect(parseReferencePath('a.b-c.$d.{e.😀')).toMatchObject({
      ok: true,
      segments: [{ key: 'b-c' }, { key: '$d' }, { key: '{e' }, { key: '😀' }],
    });
  });

  it('keeps dot-numeric keys as keys (evaluation decides on arrays)', () => {
    expect(parseReferencePath('a.0.-1')).toMatchObject({
      ok: true,
      segments: [
        { kind: 'key', key: '0' },
        { kind: 'key', key: '-1' },
      ],
    });
  });

  it('reads [-0] as index 0 and huge indexes without crashing', () => {
    expect(parseReferencePath('a[-0]')).toMatchObject({ ok: true, segments: [{ kind: 'index', index: 0 }] });
    const huge = parseReferencePath('a[99999999999999999999]');
    expect(huge).toMatchObject({ ok: true, segments: [{ kind: 'index', text: '[99999999999999999999]' }] });
  });

  it(`accepts ${MAX_PATH_SEGMENTS} segments and rejects ${MAX_PATH_SEGMENTS + 1}`, () => {
    const ok = parseReferencePath('a' + '.k'.repeat(16) + '[0]'.repeat(16));
    expect(ok.ok && ok.segments).toHaveLength(32);
    const tooMany = parseReferencePath('a' + '.k'.repeat(16) + '[0]'.repeat(17));
    expect(tooMany).toMatchObject({ ok: false, reason: 'too_many_segments', rootText: 'a', token: '[0]' });
  });
});

describe('parseReferencePath — INVALID_SYNTAX', () => {
  it.each([
    [' a ', ' a ', ' a ', 'invalid_root'],
    ['a..b', 'a', '.', 'missing_key'],
    ['a.', 'a', '.', 'missing_key'],
    ['a[0]b', 'a', 'b', 'unexpected_text'],
    ['a[x]', 'a', '[x]', 'invalid_index'],
    ['a|upper', 'a|upper', '|upper', 'unexpected_text'],
    ['a:-d', 'a:-d', ':-d', 'unexpected_text'],
    ['1abc', '1abc', '1abc', 'invalid_root'],
    ['a[ 0]', 'a', '[ 0]', 'invalid_index'],
    ['a[0 ]', 'a', '[0 ]', 'invalid_index'],
    ['a[1.5]', 'a', '[1.5]', 'invalid_index'],
    ['a[+1]', 'a', '[+1]', 'invalid_index'],
    ['a[]', 'a', '[]', 'invalid_index'],
    ['a[0', 'a', '[0', 'invalid_index'],
    ['a]', 'a]', ']', 'unexpected_text'],
    ['a. b', 'a', '.', 'missing_key'],
    ['a.b c', 'a', ' c', 'unexpected_text'],
    ['a.b\u00a0c', 'a', '\u00a0c', 'unexpected_text'],
    ['outer${x', 'outer${x', '${x', 'unexpected_text'],
    ['.a', '', '.a', 'invalid_root'],
    ['[0]', '', '[0]', 'invalid_root'],
    ['', '', '', 'invalid_root'],
    ['é', 'é', 'é', 'invalid_root'],
  ])('rejects %j (rootText %j, token %j)', (content, rootText, token, reason) => {
    const parsed = parseReferencePath(content);
    expect(parsed).toMatchObject({ ok: false, rootText, token, reason, content });
    if (!parsed.ok) {
      expect(parsed.message).toContain(`'${token}'`);
      expect(parsed.message).toContain('${' + content + '}');
    }
  });

  it('computes rootText as the text before the first "." or "["', () => {
    expect(rootTextOf('user.name')).toBe('user');
    expect(rootTextOf('items[0]')).toBe('items');
    expect(rootTextOf('a b')).toBe('a b');
  });
});
