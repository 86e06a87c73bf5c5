import type { Language } from '#domain/language';
import { closestFirst, validateReference, validateSyntaxOnly, type ValidationContext } from '#domain/references/validate';
import { lookupOf } from './variables';

const values = {
  user: { name: 'Ada', email: 'a@x', age: 36, city: 'Paris', zip: '75', country: 'FR', phone: '1' },
  items: [10, 20, 30],
  empty: [],
  one: ['only'],
  blank: {},
  title: 'Book',
  nil: null,
  token: { pin: 1234 },
  later: 'L',
  user_name: 'ada',
};
const steps = { user: 0, items: 1, empty: 1, one: 1, blank: 1, title: 1, nil: 1, token: 2, later: 5, user_name: 2 };
const lookup = lookupOf(values, { sensitive: ['token'], steps });
const visibleAt3 = ['user', 'items', 'empty', 'one', 'blank', 'title', 'nil', 'token', 'user_name'];

// `null` means "no step_index" (an `undefined` argument would fall back to the default).
const context = (language: Language, stepIndex: number | null): ValidationContext => ({
  lookup,
  visibleNames: stepIndex === null ? [...visibleAt3, 'later'] : visibleAt3,
  stepIndex: stepIndex ?? undefined,
  language,
});
const validate = (item: unknown, language: Language = 'en', stepIndex: number | null = 3) =>
  validateReference(item, context(language, stepIndex));

describe('validateReference — valid', () => {
  it('returns the typed value and its data type', () => {
    expect(validate('${user.name}')).toEqual({ reference: '${user.name}', is_valid: true, resolved_value: 'Ada', data_type: 'string' });
    expect(validate('${items}')).toEqual({ reference: '${items}', is_valid: true, resolved_value: [10, 20, 30], data_type: 'array' });
    expect(validate('${items[-1]}')).toMatchObject({ resolved_value: 30, data_type: 'number' });
    expect(validate('${nil}')).toMatchObject({ is_valid: true, resolved_value: null, data_type: 'null' });
  });

  it('echoes the item as sent, trimming only for the check', () => {
    expect(validate('  ${title}\n')).toMatchObject({ reference: '  ${title}\n', is_valid: true, resolved_value: 'Book' });
  });

  it('masks a sensitive value but keeps its type', () => {
    expect(validate('${token}')).toEqual({ reference: '${token}', is_valid: true, resolved_value: '******', data_type: 'object' });
    expect(validate('${token.pin}')).toMatchObject({ resolved_value: '******', data_type: 'number' });
  });

  it('returns a copy, not the stored value', () => {
    const result = validate('${user}');
    expect(result.is_valid && result.resolved_value).toEqual(values.user);
    expect(result.is_valid && result.resolved_value).not.toBe(values.user);
  });

  it('without step_index every variable is visible', () => {
    expect(validate('${later}', 'en', null)).toMatchObject({ is_valid: true, resolved_value: 'L' });
  });
});

describe('validateReference — INVALID_FORMAT', () => {
  it.each([42, null, undefined, true, { a: 1 }, ['${a}']])('a non-string item %j is INVALID_FORMAT', (item) => {
    expect(validate(item)).toMatchObject({ reference: item, is_valid: false, error_code: 'INVALID_FORMAT' });
  });

  it.each(['user', '', '   ', 'x ${user}', '${user} y', '${user}${title}', '${}', '${user', '$user', '{user}'])(
    '%j is not exactly one reference',
    (item) => {
      const result = validate(item);
      expect(result).toMatchObject({ is_valid: false, error_code: 'INVALID_FORMAT' });
      expect(!result.is_valid && result.error).toContain(`'${item}'`);
    },
  );
});

describe('validateReference — INVALID_SYNTAX', () => {
  it.each(['${ a }', '${a..b}', '${a.}', '${a[0]b}', '${a[x]}', '${a|upper}', '${a:-d}', '${1abc}', '${outer${x}'])('%s', (item) => {
    const result = validate(item);
    expect(result).toMatchObject({ is_valid: false, error_code: 'INVALID_SYNTAX' });
    expect(!result.is_valid && result.suggestion).toContain('${order.items[0].price}');
  });

  it('rejects 33 segments and accepts 32 as far as the grammar goes', () => {
    expect(validate('${user' + '.a'.repeat(33) + '}')).toMatchObject({ error_code: 'INVALID_SYNTAX' });
    expect(validate('${user' + '.a'.repeat(32) + '}')).toMatchObject({ error_code: 'PROPERTY_NOT_FOUND' });
  });
});

describe('validateReference — variables', () => {
  it('VARIABLE_NOT_FOUND suggests up to 5 visible names, closest first', () => {
    const result = validate('${user_nme}');
    expect(result).toMatchObject({ is_valid: false, error_code: 'VARIABLE_NOT_FOUND', error: "Variable 'user_nme' not found" });
    const suggestion = !result.is_valid ? result.suggestion : '';
    expect(suggestion).toMatch(/^Variables visible at step 3: user_name, /);
    expect(suggestion.split(', ')).toHaveLength(5);
    expect(suggestion).not.toContain('later');
  });

  it('VARIABLE_NOT_FOUND for prototype names', () => {
    for (const name of ['constructor', '__proto__', 'toString'])
      expect(validate('${' + name + '}')).toMatchObject({ error_code: 'VARIABLE_NOT_FOUND' });
  });

  it('VARIABLE_NOT_FOUND says when nothing is visible', () => {
    const none = validateReference('${x}', { lookup, visibleNames: [], stepIndex: 0, language: 'en' });
    expect(none).toMatchObject({ suggestion: 'No variables are defined before step 0.' });
    const noStep = validateReference('${x}', { lookup: () => undefined, visibleNames: [], stepIndex: undefined, language: 'en' });
    expect(noStep).toMatchObject({ suggestion: 'This execution has no variables yet.' });
  });

  it('VARIABLE_NOT_YET_DEFINED when defined at or after step_index', () => {
    const result = validate('${later}');
    expect(result).toMatchObject({
      error_code: 'VARIABLE_NOT_YET_DEFINED',
      error: "Variable 'later' is defined at step 5, not before step 3",
    });
    expect(!result.is_valid && result.suggestion).toContain('step 5');
    expect(!result.is_valid && result.suggestion).toContain('Variables visible at step 3:');
    expect(validate('${later}', 'en', 5)).toMatchObject({ error_code: 'VARIABLE_NOT_YET_DEFINED' });
    expect(validate('${later}', 'en', 6)).toMatchObject({ is_valid: true });
  });

  it('checks visibility before the path', () => {
    expect(validate('${later.x[0]}')).toMatchObject({ error_code: 'VARIABLE_NOT_YET_DEFINED' });
  });
});

describe('validateReference — path errors and suggestions', () => {
  it('PROPERTY_NOT_FOUND lists up to 5 keys of the object, closest first', () => {
    const result = validate('${user.emial}');
    expect(result).toMatchObject({ error_code: 'PROPERTY_NOT_FOUND', error: "Property 'emial' not found in 'user'" });
    expect(!result.is_valid && result.suggestion).toMatch(/^Available keys of 'user': email, /);
    expect((!result.is_valid && result.suggestion ? result.suggestion : '').split(', ')).toHaveLength(5);
  });

  it('PROPERTY_NOT_FOUND on an empty object says it has no keys', () => {
    expect(validate('${blank.a}')).toMatchObject({ suggestion: "'blank' is an empty object; it has no keys." });
  });

  it('PROPERTY_NOT_FOUND on an array gives the index range', () => {
    expect(validate('${items.length}')).toMatchObject({
      error_code: 'PROPERTY_NOT_FOUND',
      suggestion: "'items' is an array of 3 items; valid indexes are 0..2 or -3..-1.",
    });
  });

  it('INDEX_OUT_OF_RANGE gives the length and valid range', () => {
    expect(validate('${items[3]}')).toMatchObject({
      error_code: 'INDEX_OUT_OF_RANGE',
      suggestion: "'items' is an array of 3 items; valid indexes are 0..2 or -3..-1.",
    });
    expect(validate('${one[1]}')).toMatchObject({ suggestion: "'one' is an array of 1 item; valid indexes are 0 or -1." });
    expect(validate('${empty[0]}')).toMatchObject({ suggestion: "'empty' is an empty array; it has no valid index." });
  });

  it('TYPE_MISMATCH explains the type', () => {
    expect(validate('${title.x}')).toMatchObject({
      error_code: 'TYPE_MISMATCH',
      error: "Cannot read property 'x' of 'title': it is a string, not an object",
      suggestion: "'title' is a string and has no properties or indexes; use ${title} itself.",
    });
    expect(validate('${user[0]}')).toMatchObject({
      error_code: 'TYPE_MISMATCH',
      suggestion: expect.stringMatching(/^Available keys of 'user': /),
    });
    expect(validate('${nil[0]}')).toMatchObject({ error_code: 'TYPE_MISMATCH', error: expect.stringContaining('index 0') });
  });
});

describe('validateReference — Chinese', () => {
  it.each([
    ['${user_nme}', 'VARIABLE_NOT_FOUND', "未找到变量 'user_nme'", '步骤 3 可见的变量'],
    ['${later}', 'VARIABLE_NOT_YET_DEFINED', "变量 'later' 定义于步骤 5", '步骤 6 及之后'],
    ['${user.emial}', 'PROPERTY_NOT_FOUND', "未找到属性 'emial'", "'user' 的可用键"],
    ['${items[9]}', 'INDEX_OUT_OF_RANGE', '索引 9', '有效索引为 0..2 或 -3..-1'],
    ['${empty[0]}', 'INDEX_OUT_OF_RANGE', '索引 0', '没有任何有效索引'],
    ['${title.x}', 'TYPE_MISMATCH', "属性 'x'", '字符串'],
    ['${user[0]}', 'TYPE_MISMATCH', '索引 0', "'user' 的可用键"],
    ['${a|upper}', 'INVALID_SYNTAX', "'|upper'", '引用的格式'],
    ['nope', 'INVALID_FORMAT', "'nope'", '请只写一个引用'],
  ])('%s → %s in Chinese', (item, code, error, suggestion) => {
    const result = validate(item, 'zh');
    expect(result).toMatchObject({ is_valid: false, error_code: code });
    expect(!result.is_valid && result.error).toContain(error);
    expect(!result.is_valid && result.suggestion).toContain(suggestion);
  });
});

describe('validateSyntaxOnly', () => {
  it('checks only format and grammar, marking the mode', () => {
    expect(validateSyntaxOnly('${anything.at[0]}', 'en')).toEqual({ reference: '${anything.at[0]}', is_valid: true, mode: 'syntax_only' });
    expect(validateSyntaxOnly('${a..b}', 'en')).toMatchObject({ is_valid: false, error_code: 'INVALID_SYNTAX', mode: 'syntax_only' });
    expect(validateSyntaxOnly(7, 'zh')).toMatchObject({
      is_valid: false,
      error_code: 'INVALID_FORMAT',
      mode: 'syntax_only',
      error: '引用必须是字符串，实际为数字',
    });
  });
});

describe('closestFirst', () => {
  it('ranks by case-insensitive edit distance, stable on input order, at most 5', () => {
    expect(closestFirst(['alpha', 'USER', 'users', 'b', 'c', 'd', 'e'], 'user')).toEqual(['USER', 'users', 'e', 'b', 'c']);
    expect(closestFirst([], 'x')).toEqual([]);
  });
});
