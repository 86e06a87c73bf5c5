import type { JsonObject, JsonValue } from '#domain/json';
import { parseJson } from '#domain/ordered-json';
import { countReferences, resolveParams, resolveText } from '#domain/references/resolve';
import { lookupOf } from './variables';

const lookup = lookupOf(
  {
    user: { name: 'Ada', age: 36, tags: ['x', 'y'] },
    count: 3,
    price: 9.5,
    flag: false,
    nil: null,
    items: [{ id: 1 }, { id: 2 }],
    literal: '${count}',
    token: 's3cr3t',
    vault: { key: 'k' },
    proto: JSON.parse('{"__proto__":{"polluted":true},"a":1}'),
  },
  { sensitive: ['token', 'vault'] },
);
const step = { stepIndex: 4 };

describe('resolveText', () => {
  it('substitutes each type with its text rendering', () => {
    const { text } = resolveText('${user.name}|${count}|${price}|${flag}|${nil}|${user.tags}|${items[1]}', lookup, step);
    expect(text).toBe('Ada|3|9.5|false|null|["x","y"]|{"id":2}');
  });

  it('returns text without references unchanged and records nothing', () => {
    expect(resolveText('plain $ { } ${} ${open', lookup, step)).toEqual({ text: 'plain $ { } ${} ${open', records: [] });
  });

  it('never rescans substituted text', () => {
    expect(resolveText('v=${literal}', lookup, step).text).toBe('v=${count}');
  });

  it('keeps a failed reference byte for byte and resolves the rest', () => {
    const { text, records } = resolveText('${ user } ${missing.x} ${user.nope} ${count}', lookup, step);
    expect(text).toBe('${ user } ${missing.x} ${user.nope} 3');
    expect(records.map((record) => record.error_code)).toEqual(['INVALID_SYNTAX', 'VARIABLE_NOT_FOUND', 'PROPERTY_NOT_FOUND', null]);
  });

  it('resolves $${x} as "$" followed by the value', () => {
    expect(resolveText('$${count}', lookup, step).text).toBe('$3');
  });

  it('leaves ${outer${x}} alone as one invalid reference plus "}"', () => {
    const { text, records } = resolveText('${outer${count}}', lookup, step);
    expect(text).toBe('${outer${count}}');
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      variable_name: 'outer${count',
      reference_path: 'outer${count',
      original_expression: '${outer${count}',
      error_code: 'INVALID_SYNTAX',
    });
  });

  it('substitutes sensitive values but masks them in records', () => {
    const { text, records } = resolveText('k=${token} v=${vault.key}', lookup, step);
    expect(text).toBe('k=s3cr3t v=k');
    expect(records.map((record) => record.resolved_value)).toEqual(['******', '******']);
  });

  it('writes one record per occurrence, repeats included, in order', () => {
    const { records } = resolveText('${count}${count} ${user.name}', lookup, { stepIndex: 7, parameterName: 'text' });
    expect(records).toEqual([
      {
        step_index: 7,
        variable_name: 'count',
        reference_path: 'count',
        parameter_name: 'text',
        original_expression: '${count}',
        resolved_value: '3',
        resolution_status: 'success',
        error_code: null,
        error_message: null,
      },
      {
        step_index: 7,
        variable_name: 'count',
        reference_path: 'count',
        parameter_name: 'text',
        original_expression: '${count}',
        resolved_value: '3',
        resolution_status: 'success',
        error_code: null,
        error_message: null,
      },
      {
        step_index: 7,
        variable_name: 'user',
        reference_path: 'user.name',
        parameter_name: 'text',
        original_expression: '${user.name}',
        resolved_value: 'Ada',
        resolution_status: 'success',
        error_code: null,
        error_message: null,
      },
    ]);
  });

  it('uses "" as parameter_name in text mode without a parameterName', () => {
    expect(resolveText('${count}', lookup, step).records[0].parameter_name).toBe('');
  });

  it('fills failed records: null value, code, English message, variable_name per rule', () => {
    const [syntax, missing, range] = resolveText('${a[x].b} ${ghost.name} ${items[5]}', lookup, step).records;
    expect(syntax).toMatchObject({ variable_name: 'a', resolution_status: 'failed', resolved_value: null, error_code: 'INVALID_SYNTAX' });
    expect(missing).toMatchObject({
      variable_name: 'ghost',
      error_code: 'VARIABLE_NOT_FOUND',
      error_message: "Variable 'ghost' not found",
    });
    expect(range).toMatchObject({ variable_name: 'items', error_code: 'INDEX_OUT_OF_RANGE', resolved_value: null });
    expect(range.error_message).toContain('5');
    expect(range.failure).toMatchObject({ arrayLength: 2 });
  });
});

describe('resolveParams', () => {
  it('replaces whole-field references with typed values and other strings by text', () => {
    const params = { a: '${count}', b: '${flag}', c: '${nil}', d: '${user}', e: 'n=${count}', f: ' ${count}', g: 7, h: null, i: true };
    expect(resolveParams(params, lookup, step).params).toEqual({
      a: 3,
      b: false,
      c: null,
      d: { name: 'Ada', age: 36, tags: ['x', 'y'] },
      e: 'n=3',
      f: ' 3',
      g: 7,
      h: null,
      i: true,
    });
  });

  it('copies typed objects so the output never aliases stored data', () => {
    const stored = { deep: { list: [1] } };
    const local = lookupOf({ stored });
    const out = resolveParams({ v: '${stored}' }, local, step).params as { v: typeof stored };
    expect(out.v).toEqual(stored);
    out.v.deep.list.push(2);
    expect(stored.deep.list).toEqual([1]);
  });

  it('keeps a failing whole-field reference as the string', () => {
    expect(resolveParams({ a: '${missing}', b: '${a..b}' }, lookup, step).params).toEqual({ a: '${missing}', b: '${a..b}' });
  });

  it('never resolves object keys', () => {
    const { params, records } = resolveParams({ '${count}': '${count}' }, lookup, step);
    expect(params).toEqual({ '${count}': 3 });
    expect(records).toHaveLength(1);
  });

  it('resolves a bare string, and any top-level value', () => {
    expect(resolveParams('${user.tags}', lookup, step).params).toEqual(['x', 'y']);
    expect(resolveParams('id ${items[0].id}', lookup, step).params).toBe('id 1');
    expect(resolveParams(42, lookup, step)).toEqual({ params: 42, records: [] });
    expect(resolveParams(null, lookup, step)).toEqual({ params: null, records: [] });
  });

  it('names each leaf by its path from the params root', () => {
    const params = {
      text: '${count}',
      query_data: { user: { name: '${user.name}' } },
      search_terms: ['a', '${user.tags[1]} and ${count}'],
      'odd.key': '${count}',
    };
    expect(resolveParams(params, lookup, step).records.map((record) => record.parameter_name)).toEqual([
      'text',
      'query_data.user.name',
      'search_terms[1]',
      'search_terms[1]',
      'odd.key',
    ]);
    expect(
      resolveParams(['${count}', { a: '${count}' }, [['${count}']]], lookup, step).records.map((record) => record.parameter_name),
    ).toEqual(['[0]', '[1].a', '[2][0][0]']);
    expect(resolveParams('${count}', lookup, step).records[0].parameter_name).toBe('');
  });

  it('prefixes leaf paths with a given parameterName', () => {
    const named = { stepIndex: 1, parameterName: 'params' };
    expect(resolveParams({ a: { b: '${count}' } }, lookup, named).records[0].parameter_name).toBe('params.a.b');
    expect(resolveParams(['${count}'], lookup, named).records[0].parameter_name).toBe('params[0]');
    expect(resolveParams('${count}', lookup, named).records[0].parameter_name).toBe('params');
  });

  it('records the text rendering for typed substitutions, masked when sensitive', () => {
    const { params, records } = resolveParams({ u: '${user.tags}', t: '${token}', v: '${vault}' }, lookup, step);
    expect(params).toEqual({ u: ['x', 'y'], t: 's3cr3t', v: { key: 'k' } });
    expect(records.map((record) => record.resolved_value)).toEqual(['["x","y"]', '******', '******']);
  });

  it('keeps "__proto__" keys as own data, in input and in substituted values', () => {
    const params = JSON.parse('{"__proto__":{"x":"${count}"},"p":"${proto}"}') as JsonValue;
    const out = resolveParams(params, lookup, step).params as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'p']);
    expect(JSON.stringify(out)).toBe('{"__proto__":{"x":3},"p":{"__proto__":{"polluted":true},"a":1}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((out.p as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps key order and does not mutate the input', () => {
    const params = { z: '${count}', a: ['${flag}'], m: { k: '${nil}' } };
    const before = structuredClone(params);
    const out = resolveParams(params, lookup, step).params as object;
    expect(params).toEqual(before);
    expect(Object.keys(out)).toEqual(['z', 'a', 'm']);
  });
});

describe('countReferences', () => {
  it('counts scanner occurrences in string leaves only', () => {
    expect(countReferences('${a}${a} ${} ${b')).toBe(2);
    expect(countReferences({ '${key}': ['${a}', { b: 'x ${c} ${d}' }, 3, null], e: '$${f}' })).toBe(4);
    expect(countReferences(5)).toBe(0);
  });
});

describe('a single reference to an object keeps its key order (API.md §3)', () => {
  it('integer-like keys included, at every depth', () => {
    const value = parseJson('{"z":1,"10":2,"a":[{"2":0,"b":1}],"__proto__":{"1":1,"0":0}}') as JsonValue;
    const { params } = resolveParams({ whole: '${o}' }, lookupOf({ o: value }), { stepIndex: 1 });
    expect(JSON.stringify((params as JsonObject).whole)).toBe('{"z":1,"10":2,"a":[{"2":0,"b":1}],"__proto__":{"1":1,"0":0}}');
  });
});
