import type { JsonValue } from '#domain/json';
import { evaluatePath, renderText, type Evaluation } from '#domain/references/evaluate';
import { parseReferencePath } from '#domain/references/grammar';
import { lookupOf } from './variables';

const user = JSON.parse(
  '{"name":"Ada","tags":["a","b","c"],"address":{"city":"Paris"},"__proto__":"stored","nothing":null,"empty":[],"count":3}',
);
const lookup = lookupOf({ user, items: [10, 20, 30], title: 'Book', flag: true, nil: null, secret: 'pw' }, { sensitive: ['secret'] });

const evaluate = (content: string): Evaluation => evaluatePath(parseReferencePath(content), lookup);
const valueAt = (content: string): JsonValue => {
  const result = evaluate(content);
  if (!result.ok) throw new Error(result.failure.message);
  return result.value;
};
const failureOf = (content: string) => {
  const result = evaluate(content);
  if (result.ok) throw new Error(`expected ${content} to fail`);
  return result.failure;
};

describe('evaluatePath — success', () => {
  it('walks keys and indexes from the root', () => {
    expect(valueAt('user')).toBe(user);
    expect(valueAt('user.name')).toBe('Ada');
    expect(valueAt('user.address.city')).toBe('Paris');
    expect(valueAt('user.tags[1]')).toBe('b');
    expect(valueAt('user.nothing')).toBeNull();
  });

  it('counts negative indexes from the end', () => {
    expect(valueAt('items[-1]')).toBe(30);
    expect(valueAt('items[-3]')).toBe(10);
    expect(valueAt('items[-0]')).toBe(10);
  });

  it('reads a dot-numeric key on an array as an index', () => {
    expect(valueAt('items.0')).toBe(10);
    expect(valueAt('items.-1')).toBe(30);
    expect(valueAt('user.tags.2')).toBe('c');
  });

  it('finds a stored "__proto__" key as data', () => {
    expect(valueAt('user.__proto__')).toBe('stored');
  });

  it('finds Unicode keys', () => {
    const cn = lookupOf({ cn: { 商品名称: '笔' } });
    expect(evaluatePath(parseReferencePath('cn.商品名称'), cn)).toEqual({ ok: true, value: '笔', sensitive: false });
  });

  it('reports whether the root variable is sensitive', () => {
    expect(evaluate('secret')).toEqual({ ok: true, value: 'pw', sensitive: true });
    expect(evaluate('title')).toEqual({ ok: true, value: 'Book', sensitive: false });
  });
});

describe('evaluatePath — failures', () => {
  it('VARIABLE_NOT_FOUND names the root, including prototype names', () => {
    for (const name of ['missing', 'constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(failureOf(name)).toMatchObject({ code: 'VARIABLE_NOT_FOUND', token: name });
      expect(failureOf(name).message).toContain(`'${name}'`);
    }
  });

  it('PROPERTY_NOT_FOUND for a missing own property, prototype names included, with the keys', () => {
    const plain = lookupOf({ obj: { a: 1 } });
    for (const key of ['missing', 'constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty']) {
      const result = evaluatePath(parseReferencePath(`obj.${key}`), plain);
      expect(result).toMatchObject({ ok: false, failure: { code: 'PROPERTY_NOT_FOUND', token: key, at: 'obj', availableKeys: ['a'] } });
      expect(!result.ok && result.failure.message).toContain(`'${key}'`);
    }
  });

  it('PROPERTY_NOT_FOUND for a non-numeric key on an array (items.length)', () => {
    expect(failureOf('items.length')).toMatchObject({ code: 'PROPERTY_NOT_FOUND', token: 'length', arrayLength: 3, actualType: 'array' });
    expect(failureOf('items.1x')).toMatchObject({ code: 'PROPERTY_NOT_FOUND', token: '1x' });
  });

  it.each([
    ['title.length', 'length', 'string'],
    ['user.count.x', 'x', 'number'],
    ['flag.x', 'x', 'boolean'],
    ['nil.x', 'x', 'null'],
    ['user.nothing.x', 'x', 'null'],
  ])('TYPE_MISMATCH for .key on a scalar: %s', (content, token, actualType) => {
    const failure = failureOf(content);
    expect(failure).toMatchObject({ code: 'TYPE_MISMATCH', token, actualType, segmentKind: 'key' });
    expect(failure.message).toContain(`'${token}'`);
  });

  it.each([
    ['user[0]', 'object'],
    ['title[0]', 'string'],
    ['flag[0]', 'boolean'],
    ['nil[0]', 'null'],
  ])('TYPE_MISMATCH for [n] on a non-array: %s', (content, actualType) => {
    expect(failureOf(content)).toMatchObject({ code: 'TYPE_MISMATCH', token: '0', actualType, segmentKind: 'index' });
  });

  it('TYPE_MISMATCH for [n] on an object carries its keys', () => {
    expect(failureOf('user.address[0]').availableKeys).toEqual(['city']);
  });

  it.each([
    ['items[3]', '3'],
    ['items[-4]', '-4'],
    ['items.3', '3'],
    ['items.-4', '-4'],
    ['items[99999999999999999999]', '99999999999999999999'],
    ['items[-99999999999999999999]', '-99999999999999999999'],
    ['items[' + '9'.repeat(400) + ']', '9'.repeat(400)],
    ['user.empty[0]', '0'],
    ['user.empty[-1]', '-1'],
  ])('INDEX_OUT_OF_RANGE for %s names the index as written', (content, token) => {
    const failure = failureOf(content);
    expect(failure).toMatchObject({ code: 'INDEX_OUT_OF_RANGE', token });
    expect(failure.message).toContain(token);
    expect(typeof failure.arrayLength).toBe('number');
  });

  it('reports the path reached before the failing segment', () => {
    expect(failureOf('user.tags[7]')).toMatchObject({ at: 'user.tags', arrayLength: 3 });
    expect(failureOf('user.address.zip')).toMatchObject({ at: 'user.address', availableKeys: ['city'] });
  });

  it('INVALID_SYNTAX carries the parser token and message', () => {
    expect(failureOf('a|upper')).toMatchObject({ code: 'INVALID_SYNTAX', token: '|upper', syntaxReason: 'unexpected_text' });
  });

  it('stops at the first failure, left to right', () => {
    expect(failureOf('missing.x[0]').code).toBe('VARIABLE_NOT_FOUND');
    expect(failureOf('user.nope[99]').code).toBe('PROPERTY_NOT_FOUND');
  });
});

describe('renderText', () => {
  it.each<[JsonValue, string]>([
    ['text', 'text'],
    ['', ''],
    ['${x}', '${x}'],
    [5, '5'],
    [-0, '0'],
    [1.5, '1.5'],
    [1e21, '1e+21'],
    [0.000001, '0.000001'],
    [1e-7, '1e-7'],
    [true, 'true'],
    [false, 'false'],
    [null, 'null'],
    [{ a: 1, b: [1, 'x'] }, '{"a":1,"b":[1,"x"]}'],
    [[], '[]'],
    [{}, '{}'],
    [{ n: 'é' }, '{"n":"é"}'],
    [JSON.parse('{"__proto__":1}'), '{"__proto__":1}'],
  ])('renders %j as %j', (value, text) => {
    expect(renderText(value)).toBe(text);
  });
});
