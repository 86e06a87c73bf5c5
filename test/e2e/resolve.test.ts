/**
 * POST /resolve end to end (API.md §4 reference syntax and evaluation, §5 "Resolution and lineage"):
 * text and params modes, rendering, typed whole-field references, every failure code, the grammar's
 * edge cases, reference records, record/strict flags and the request limits.
 */
import {
  allReferences,
  brief,
  expectBadRequest,
  expectError,
  expectRecord,
  expectStatus,
  hasCjk,
  newExecutionId,
  resolve,
  resolveParams,
  resolveText,
  seed,
  useServer,
  type Seed,
} from './hints-support';

const ctx = useServer();

const STANDARD: Seed[] = [
  { name: 'user', value: { name: 'Alice', age: 30, tags: ['a', 'b'], address: { city: 'Paris' } } },
  { name: 'items', value: [10, 20, 30] },
  { name: 'n_big', value: 1e21 },
  { name: 'n_frac', value: 0.1 + 0.2 },
  { name: 'n_int', value: 5 },
  { name: 'n_small', value: 1e-7 },
  { name: 'flag', value: true },
  { name: 'off', value: false },
  { name: 'nothing', value: null },
  { name: 'obj', value: { a: 1, b: [1, 2], c: null, d: 'x"y' } },
  { name: 'arr', value: [1, 'x', null, { k: true }] },
  { name: 'cn', value: { 商品名称: '手机', 价格: 1999 } },
  { name: 's', value: 'hello' },
  { name: 'empty', value: '' },
  { name: 'template', value: '${s}' },
  { name: 'a', value: { x: 1 } },
  { name: 'withkeys', value: JSON.parse('{"constructor":"c","toString":"t","__proto__":{"x":"p"},"hasOwnProperty":7}') },
  { name: 'constructor', value: 'ctor-data' },
  { name: '__proto__', value: 'proto-data' },
  { name: 'secret', value: 'p@ss', sensitive: true },
  { name: 'secret_obj', value: { token: 'tok-123', n: 4 }, sensitive: true },
  {
    name: 'matrix',
    value: [
      [1, 2],
      [3, [4, 5]],
    ],
  },
  { name: 'deep', value: { l1: { l2: { l3: ['z'] } } } },
];

async function standardExecution(tag: string): Promise<string> {
  const exec = newExecutionId(tag);
  await seed(ctx.call, exec, STANDARD);
  return exec;
}

describe('text mode', () => {
  test('response shape and simple substitution', async () => {
    const exec = await standardExecution('res-text-shape');
    const response = await resolve(ctx.call, exec, { step_index: 4, text: 'Hi ${user.name}, you are ${user.age}.' });
    expectStatus(response, 200);
    expect(Object.keys(response.json).sort()).toEqual([
      'execution_id',
      'references',
      'resolved_count',
      'step_index',
      'text',
      'unresolved_count',
    ]);
    expect(response.json.execution_id).toBe(exec);
    expect(response.json.step_index).toBe(4);
    expect(response.json.text).toBe('Hi Alice, you are 30.');
    expect(response.json.resolved_count).toBe(2);
    expect(response.json.unresolved_count).toBe(0);
    expect(response.json.references).toHaveLength(2);
    expectRecord(response.json.references[0], {
      step_index: 4,
      variable_name: 'user',
      reference_path: 'user.name',
      parameter_name: '',
      original_expression: '${user.name}',
      resolved_value: 'Alice',
      resolution_status: 'success',
      error_code: null,
      error_message: null,
    });
    expectRecord(response.json.references[1], {
      variable_name: 'user',
      reference_path: 'user.age',
      resolved_value: '30',
      parameter_name: '',
    });
  });

  test('every type renders as text: String(n), true/false, null, compact JSON', async () => {
    const exec = await standardExecution('res-text-render');
    const text = '${n_big}|${n_frac}|${n_int}|${n_small}|${flag}|${off}|${nothing}|${obj}|${arr}|${s}|${empty}|${cn}|${matrix}';
    const body = await resolveText(ctx.call, exec, text);
    const rendered = [
      '1e+21',
      '0.30000000000000004',
      '5',
      '1e-7',
      'true',
      'false',
      'null',
      '{"a":1,"b":[1,2],"c":null,"d":"x\\"y"}',
      '[1,"x",null,{"k":true}]',
      'hello',
      '',
      '{"商品名称":"手机","价格":1999}',
      '[[1,2],[3,[4,5]]]',
    ];
    expect(body.text).toBe(rendered.join('|'));
    expect(body.references.map((r: any) => r.resolved_value)).toEqual(rendered);
    expect(body.references.every((r: any) => r.resolution_status === 'success')).toBe(true);
    expect(body.resolved_count).toBe(13);
    expect(body.unresolved_count).toBe(0);
  });

  test('indexes: negative, dot-numeric, nested; out of range fails', async () => {
    const exec = await standardExecution('res-index');
    const body = await resolveText(
      ctx.call,
      exec,
      '${items[0]},${items[2]},${items[-1]},${items[-3]},${items.0},${items.-1},${matrix[1][1][0]},' +
        '${matrix.1.1.-1},${user.tags[1]},${items[3]},${items[-4]},${items[99999999999999999999]}',
    );
    expect(body.text).toBe('10,30,30,10,10,30,4,5,b,${items[3]},${items[-4]},${items[99999999999999999999]}');
    const codes = body.references.map((r: any) => r.error_code);
    expect(codes).toEqual([
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      'INDEX_OUT_OF_RANGE',
      'INDEX_OUT_OF_RANGE',
      'INDEX_OUT_OF_RANGE',
    ]);
    expect(body.references[9].error_message).toContain('3');
    expect(body.references[10].error_message).toContain('-4');
    expect(body.resolved_count).toBe(9);
    expect(body.unresolved_count).toBe(3);
  });

  test('objects render with their keys in insertion order, integer-like keys included (§3)', async () => {
    const exec = newExecutionId('res-key-order');
    const raw = '{"b":1,"10":2,"a":{"9":"x","1":"y"},"2":3}';
    expectStatus(await ctx.call('PUT', `/api/v1/executions/${exec}/variables/rec`, `{"value":${raw},"source_step_index":0}`), 201);
    const body = await resolveText(ctx.call, exec, '${rec}|${rec.a}');
    expect(body.text).toBe(`${raw}|{"9":"x","1":"y"}`);
    expect(body.references[0].resolved_value).toBe(raw);
  });

  test('unicode keys resolve', async () => {
    const exec = await standardExecution('res-unicode');
    const body = await resolveText(ctx.call, exec, '商品: ${cn.商品名称} / ${cn.价格}');
    expect(body.text).toBe('商品: 手机 / 1999');
    expectRecord(body.references[0], {
      variable_name: 'cn',
      reference_path: 'cn.商品名称',
      resolved_value: '手机',
      resolution_status: 'success',
    });
  });

  test('array properties other than indexes fail: ${items.length}, ${items.x}', async () => {
    const exec = await standardExecution('res-length');
    const body = await resolveText(ctx.call, exec, '${items.length} ${items.x} ${user.tags.length}');
    expect(body.text).toBe('${items.length} ${items.x} ${user.tags.length}');
    expect(body.references.map((r: any) => r.error_code)).toEqual(['PROPERTY_NOT_FOUND', 'PROPERTY_NOT_FOUND', 'PROPERTY_NOT_FOUND']);
    expect(body.references[0].error_message).toContain('length');
    expect(body.references[1].error_message).toContain('x');
  });

  test('prototype members are not properties unless the data has those keys', async () => {
    const exec = await standardExecution('res-proto-keys');
    const body = await resolveText(
      ctx.call,
      exec,
      '${a.constructor}|${a.__proto__}|${a.toString}|${a.hasOwnProperty}|${a.valueOf}|' +
        '${s.constructor}|${withkeys.constructor}|${withkeys.toString}|' +
        '${withkeys.__proto__.x}|${withkeys.hasOwnProperty}|${withkeys.valueOf}',
    );
    expect(body.text).toBe(
      '${a.constructor}|${a.__proto__}|${a.toString}|${a.hasOwnProperty}|${a.valueOf}|${s.constructor}|c|t|p|7|${withkeys.valueOf}',
    );
    expect(body.references.map((r: any) => r.error_code)).toEqual([
      'PROPERTY_NOT_FOUND',
      'PROPERTY_NOT_FOUND',
      'PROPERTY_NOT_FOUND',
      'PROPERTY_NOT_FOUND',
      'PROPERTY_NOT_FOUND',
      'TYPE_MISMATCH',
      null,
      null,
      null,
      null,
      'PROPERTY_NOT_FOUND',
    ]);
  });

  test('variables named constructor / __proto__ are plain data; prototype names are not variables', async () => {
    const exec = await standardExecution('res-proto-names');
    const body = await resolveText(ctx.call, exec, '${constructor}|${__proto__}|${toString}|${hasOwnProperty}|${valueOf}');
    expect(body.text).toBe('ctor-data|proto-data|${toString}|${hasOwnProperty}|${valueOf}');
    expect(body.references.map((r: any) => r.error_code)).toEqual([
      null,
      null,
      'VARIABLE_NOT_FOUND',
      'VARIABLE_NOT_FOUND',
      'VARIABLE_NOT_FOUND',
    ]);
    expect(body.references[2].error_message).toContain('toString');
  });

  test('TYPE_MISMATCH: .key on scalars, [n] on non-arrays', async () => {
    const exec = await standardExecution('res-type');
    const refs = [
      '${s.length}',
      '${s[0]}',
      '${user.age.x}',
      '${flag.x}',
      '${nothing.x}',
      '${nothing[0]}',
      '${user[0]}',
      '${n_int[0]}',
      '${empty.x}',
      '${user.name.first}',
    ];
    const body = await resolveText(ctx.call, exec, refs.join(' '));
    expect(body.text).toBe(refs.join(' '));
    expect(body.references.map((r: any) => r.error_code)).toEqual(refs.map(() => 'TYPE_MISMATCH'));
    expect(body.unresolved_count).toBe(refs.length);
    expect(body.resolved_count).toBe(0);
  });

  test('missing root: VARIABLE_NOT_FOUND naming the variable', async () => {
    const exec = await standardExecution('res-missing');
    const body = await resolveText(ctx.call, exec, 'x ${user_nme.name[0]} y');
    expect(body.text).toBe('x ${user_nme.name[0]} y');
    expectRecord(body.references[0], {
      variable_name: 'user_nme',
      reference_path: 'user_nme.name[0]',
      original_expression: '${user_nme.name[0]}',
      resolution_status: 'failed',
      error_code: 'VARIABLE_NOT_FOUND',
      resolved_value: null,
    });
    expect(body.references[0].error_message).toContain('user_nme');
  });

  test('every INVALID_SYNTAX example of §4 is kept byte for byte and recorded', async () => {
    const exec = await standardExecution('res-syntax');
    const cases: Array<[string, string]> = [
      ['${ a }', ' a '],
      ['${a..b}', 'a'],
      ['${a.}', 'a'],
      ['${a[0]b}', 'a'],
      ['${a[x]}', 'a'],
      ['${a|upper}', 'a|upper'],
      ['${a:-d}', 'a:-d'],
      ['${1abc}', '1abc'],
    ];
    const text = cases.map(([expression]) => `<${expression}>`).join('');
    const body = await resolveText(ctx.call, exec, text);
    expect(body.text).toBe(text);
    expect(body.references).toHaveLength(cases.length);
    cases.forEach(([expression, root], i) => {
      expectRecord(body.references[i], {
        original_expression: expression,
        reference_path: expression.slice(2, -1),
        variable_name: root,
        resolution_status: 'failed',
        error_code: 'INVALID_SYNTAX',
        resolved_value: null,
        parameter_name: '',
      });
    });
    expect(body.unresolved_count).toBe(cases.length);
  });

  test('more grammar edges: spaces, whitespace per \\s, index forms, 32 vs 33 segments', async () => {
    const exec = await standardExecution('res-syntax-more');
    const ok32 = `\${a${'.k'.repeat(32)}}`;
    const bad33 = `\${a${'.k'.repeat(33)}}`;
    const cases: Array<[string, string | null]> = [
      ['${a.b c}', 'INVALID_SYNTAX'],
      ['${a.b\u00a0c}', 'INVALID_SYNTAX'], // NBSP is JS \s
      ['${a.b\u200bc}', 'PROPERTY_NOT_FOUND'], // zero-width space is not \s: a valid key
      ['${a[ 0]}', 'INVALID_SYNTAX'],
      ['${a[0 ]}', 'INVALID_SYNTAX'],
      ['${a[]}', 'INVALID_SYNTAX'],
      ['${a[--1]}', 'INVALID_SYNTAX'],
      ['${a[+1]}', 'INVALID_SYNTAX'],
      ['${a.[0]}', 'INVALID_SYNTAX'],
      ['${a]}', 'INVALID_SYNTAX'],
      ['${a-b}', 'INVALID_SYNTAX'],
      ['${a b}', 'INVALID_SYNTAX'],
      ['${é}', 'INVALID_SYNTAX'], // the root is ASCII only
      ['${_}', 'VARIABLE_NOT_FOUND'],
      [ok32, 'PROPERTY_NOT_FOUND'],
      [bad33, 'INVALID_SYNTAX'],
      ['${a.x}', null],
    ];
    const text = cases.map(([expression]) => expression).join(' ');
    const body = await resolveText(ctx.call, exec, text);
    expect(body.text).toBe(cases.map(([expression, code]) => (code === null ? '1' : expression)).join(' '));
    expect(body.references.map((r: any) => [r.original_expression, r.error_code])).toEqual(cases);
  });

  test('${} and an unclosed ${abc are plain text with no record', async () => {
    const exec = await standardExecution('res-plain');
    const body = await resolveText(ctx.call, exec, 'a ${} b ${}${s} c ${abc');
    expect(body.text).toBe('a ${} b ${}hello c ${abc');
    expect(brief(body.references)).toEqual([[1, '${s}', 'success', '']]);
    const none = await resolveText(ctx.call, exec, 'only ${} and ${abc');
    expect(none.text).toBe('only ${} and ${abc');
    expect(none.references).toEqual([]);
    expect(none.resolved_count).toBe(0);
    expect(none.unresolved_count).toBe(0);
  });

  test('$${x} is $ followed by the reference', async () => {
    const exec = await standardExecution('res-dollar');
    const body = await resolveText(ctx.call, exec, 'cost: $${n_int} $$${s}');
    expect(body.text).toBe('cost: $5 $$hello');
    expect(body.references.map((r: any) => r.original_expression)).toEqual(['${n_int}', '${s}']);
  });

  test('${outer${x}} is one invalid reference ${outer${x}', async () => {
    const exec = await standardExecution('res-nested');
    const body = await resolveText(ctx.call, exec, 'v=${outer${s}} w=${s}');
    expect(body.text).toBe('v=${outer${s}} w=hello');
    expect(body.references).toHaveLength(2);
    expectRecord(body.references[0], {
      original_expression: '${outer${s}',
      reference_path: 'outer${s',
      resolution_status: 'failed',
      error_code: 'INVALID_SYNTAX',
    });
    expect(body.references[0].variable_name).toBe('outer${s');
    expectRecord(body.references[1], { original_expression: '${s}', resolved_value: 'hello' });
  });

  test('substituted text is never scanned again', async () => {
    const exec = await standardExecution('res-rescan');
    const body = await resolveText(ctx.call, exec, '[${template}]');
    expect(body.text).toBe('[${s}]');
    expect(body.references).toHaveLength(1);
    expectRecord(body.references[0], { reference_path: 'template', resolved_value: '${s}', resolution_status: 'success' });
    const params = await resolveParams(ctx.call, exec, { whole: '${template}', inner: 'x${template}x' });
    expect(params.params).toEqual({ whole: '${s}', inner: 'x${s}x' });
    expect(params.references).toHaveLength(2);
  });

  test('one record per occurrence, repeats included, in document order', async () => {
    const exec = await standardExecution('res-repeats');
    const body = await resolveText(ctx.call, exec, '${s} ${s} ${missing} ${s} ${items[9]} ${n_int}');
    expect(body.text).toBe('hello hello ${missing} hello ${items[9]} 5');
    expect(body.references.map((r: any) => [r.original_expression, r.resolution_status])).toEqual([
      ['${s}', 'success'],
      ['${s}', 'success'],
      ['${missing}', 'failed'],
      ['${s}', 'success'],
      ['${items[9]}', 'failed'],
      ['${n_int}', 'success'],
    ]);
    expect(body.resolved_count).toBe(4);
    expect(body.unresolved_count).toBe(2);
    const stored = await allReferences(ctx.call, exec);
    expect(stored.map((r: any) => r.original_expression)).toEqual(body.references.map((r: any) => r.original_expression));
  });

  test('parameter_name in text mode is "" unless given', async () => {
    const exec = await standardExecution('res-text-pname');
    const plain = await resolveText(ctx.call, exec, '${s}');
    expect(plain.references[0].parameter_name).toBe('');
    const named = await resolveText(ctx.call, exec, '${s} ${nope}', { parameter_name: 'prompt' });
    expect(named.references.map((r: any) => r.parameter_name)).toEqual(['prompt', 'prompt']);
  });

  test('sensitive values: real value substituted, "******" in records', async () => {
    const exec = await standardExecution('res-sensitive');
    const body = await resolveText(ctx.call, exec, 'pw=${secret} tok=${secret_obj.token} all=${secret_obj}');
    expect(body.text).toBe('pw=p@ss tok=tok-123 all={"token":"tok-123","n":4}');
    expect(body.references.map((r: any) => r.resolved_value)).toEqual(['******', '******', '******']);
    const params = await resolveParams(ctx.call, exec, { password: '${secret}', creds: '${secret_obj}', n: '${secret_obj.n}' });
    expect(params.params).toEqual({ password: 'p@ss', creds: { token: 'tok-123', n: 4 }, n: 4 });
    expect(params.references.map((r: any) => r.resolved_value)).toEqual(['******', '******', '******']);
    const stored = await allReferences(ctx.call, exec);
    expect(stored).toHaveLength(6);
    for (const record of stored) expect(record.resolved_value).toBe('******');
    expect(JSON.stringify(stored)).not.toContain('p@ss');
    expect(JSON.stringify(stored)).not.toContain('tok-123');
  });

  test('failures on sensitive variables never reveal the value (records, messages, stored lineage)', async () => {
    const exec = await standardExecution('res-sensitive-fail');
    const refs = [
      '${secret.x}',
      '${secret[0]}',
      '${secret_obj.nope}',
      '${secret_obj.token.x}',
      '${secret_obj[1]}',
      '${secret_obj.token[0]}',
    ];
    for (const headers of [{}, { 'Accept-Language': 'zh' }] as Array<Record<string, string>>) {
      const body = await resolveText(ctx.call, exec, refs.join(' '), {}, headers);
      expect(body.text).toBe(refs.join(' '));
      expect(body.references.map((r: any) => r.error_code)).toEqual([
        'TYPE_MISMATCH',
        'TYPE_MISMATCH',
        'PROPERTY_NOT_FOUND',
        'TYPE_MISMATCH',
        'TYPE_MISMATCH',
        'TYPE_MISMATCH',
      ]);
      const text = JSON.stringify(body);
      expect(text).not.toContain('p@ss');
      expect(text).not.toContain('tok-123');
    }
    const strict = await resolve(ctx.call, exec, { step_index: 1, text: refs.join(' '), strict: true });
    expectError(strict, 'UNRESOLVED_REFERENCES', 422);
    expect(strict.text).not.toContain('p@ss');
    expect(strict.text).not.toContain('tok-123');
    const stored = JSON.stringify(await allReferences(ctx.call, exec));
    expect(stored).not.toContain('p@ss');
    expect(stored).not.toContain('tok-123');
  });

  test('params output keeps key order, integer-like keys included', async () => {
    const exec = await standardExecution('res-params-order');
    const response = await ctx.call(
      'POST',
      `/api/v1/executions/${exec}/resolve`,
      '{"step_index":1,"params":{"b":"${s}","10":"${n_int}","a":{"2":"${flag}","1":"x"},"3":null}}',
    );
    expectStatus(response, 200);
    const params = response.text.slice(response.text.indexOf('"params":'));
    expect(params.startsWith('"params":{"b":"hello","10":5,"a":{"2":true,"1":"x"},"3":null}')).toBe(true);
    expect(response.json.references.map((r: any) => r.parameter_name)).toEqual(['b', '10', 'a.2']);
  });

  test('record error messages follow Accept-Language', async () => {
    const exec = await standardExecution('res-zh');
    const zh = await resolveText(ctx.call, exec, '${nope} ${items[7]}', {}, { 'Accept-Language': 'zh-CN,zh;q=0.9' });
    for (const record of zh.references) expect(hasCjk(record.error_message)).toBe(true);
    const en = await resolveText(ctx.call, exec, '${nope}');
    expect(hasCjk(en.references[0].error_message)).toBe(false);
  });

  test('a resolve on an execution with no data fails every reference but answers 200', async () => {
    const exec = newExecutionId('res-empty-exec');
    const body = await resolveText(ctx.call, exec, '${a} and ${b.c}');
    expect(body.text).toBe('${a} and ${b.c}');
    expect(body.references.map((r: any) => r.error_code)).toEqual(['VARIABLE_NOT_FOUND', 'VARIABLE_NOT_FOUND']);
    expect(body.unresolved_count).toBe(2);
  });
});

describe('params mode', () => {
  test('typed whole-field references, text mode elsewhere, keys never resolved, other leaves kept', async () => {
    const exec = await standardExecution('res-params');
    const params = {
      query_data: { user: { name: '${user.name}', profile: '${user}' } },
      search_terms: ['x', '${items[0]}', '${obj}', '${arr}'],
      count: '${user.age}',
      big: '${n_big}',
      yes: '${flag}',
      no: '${off}',
      none: '${nothing}',
      greeting: 'Hi ${user.name} (${user.age})',
      padded: ' ${s}',
      padded_num: '${n_int} ',
      missing: '${missing}',
      bad: '${items[10]}',
      '${s}': 'key ${s}',
      literal_number: 42,
      literal_bool: false,
      literal_null: null,
      nested_empty: { list: [], obj: {} },
    };
    const body = await resolveParams(ctx.call, exec, params);
    expect(Object.keys(body).sort()).toEqual(['execution_id', 'params', 'references', 'resolved_count', 'step_index', 'unresolved_count']);
    expect(body.params).toEqual({
      query_data: { user: { name: 'Alice', profile: { name: 'Alice', age: 30, tags: ['a', 'b'], address: { city: 'Paris' } } } },
      search_terms: ['x', 10, { a: 1, b: [1, 2], c: null, d: 'x"y' }, [1, 'x', null, { k: true }]],
      count: 30,
      big: 1e21,
      yes: true,
      no: false,
      none: null,
      greeting: 'Hi Alice (30)',
      padded: ' hello',
      padded_num: '5 ',
      missing: '${missing}',
      bad: '${items[10]}',
      '${s}': 'key hello',
      literal_number: 42,
      literal_bool: false,
      literal_null: null,
      nested_empty: { list: [], obj: {} },
    });
    // Key order is kept.
    expect(Object.keys(body.params)).toEqual(Object.keys(params));
    expect(
      body.references.map((r: any, i: number) => [i === 16 ? 'KEY' : r.parameter_name, r.original_expression, r.resolution_status]),
    ).toEqual([
      ['query_data.user.name', '${user.name}', 'success'],
      ['query_data.user.profile', '${user}', 'success'],
      ['search_terms[1]', '${items[0]}', 'success'],
      ['search_terms[2]', '${obj}', 'success'],
      ['search_terms[3]', '${arr}', 'success'],
      ['count', '${user.age}', 'success'],
      ['big', '${n_big}', 'success'],
      ['yes', '${flag}', 'success'],
      ['no', '${off}', 'success'],
      ['none', '${nothing}', 'success'],
      ['greeting', '${user.name}', 'success'],
      ['greeting', '${user.age}', 'success'],
      ['padded', '${s}', 'success'],
      ['padded_num', '${n_int}', 'success'],
      ['missing', '${missing}', 'failed'],
      ['bad', '${items[10]}', 'failed'],
      ['KEY', '${s}', 'success'],
    ]);
    // How a key like "${s}" is spelled inside a parameter path is not fixed by the contract; it must name it.
    expect(body.references[16].parameter_name).toContain('${s}');
    const values = body.references.map((r: any) => r.resolved_value);
    expect(values.slice(0, 10)).toEqual([
      'Alice',
      '{"name":"Alice","age":30,"tags":["a","b"],"address":{"city":"Paris"}}',
      '10',
      '{"a":1,"b":[1,2],"c":null,"d":"x\\"y"}',
      '[1,"x",null,{"k":true}]',
      '30',
      '1e+21',
      'true',
      'false',
      'null',
    ]);
    expect(body.resolved_count).toBe(15);
    expect(body.unresolved_count).toBe(2);
    for (const record of body.references) expectRecord(record, { step_index: 1 });
  });

  test('top-level array params: parameter names [0], [1].a, [2][0]', async () => {
    const exec = await standardExecution('res-params-array');
    const body = await resolveParams(ctx.call, exec, ['${s}', { a: '${user.name}' }, ['${n_int}'], 7]);
    expect(body.params).toEqual(['hello', { a: 'Alice' }, [5], 7]);
    expect(body.references.map((r: any) => r.parameter_name)).toEqual(['[0]', '[1].a', '[2][0]']);
  });

  test('bare string params: typed when exactly one reference; parameter_name "" unless given', async () => {
    const exec = await standardExecution('res-params-bare');
    const whole = await resolveParams(ctx.call, exec, '${user.address}');
    expect(whole.params).toEqual({ city: 'Paris' });
    expect(whole.references[0].parameter_name).toBe('');
    const named = await resolveParams(ctx.call, exec, '${n_frac}', { parameter_name: 'amount' });
    expect(named.params).toBe(0.30000000000000004);
    expect(named.references[0].parameter_name).toBe('amount');
    const text = await resolveParams(ctx.call, exec, 'n=${n_big}');
    expect(text.params).toBe('n=1e+21');
    const failed = await resolveParams(ctx.call, exec, '${nothing_here}');
    expect(failed.params).toBe('${nothing_here}');
  });

  test('non-string params and params without references come back unchanged', async () => {
    const exec = await standardExecution('res-params-scalars');
    for (const params of [42, true, { a: [1, { b: 'plain' }], c: '$ {s}' }, [], {}]) {
      const body = await resolveParams(ctx.call, exec, params);
      expect(body.params).toEqual(params);
      expect(body.references).toEqual([]);
      expect(body.resolved_count).toBe(0);
      expect(body.unresolved_count).toBe(0);
    }
  });

  test('a whole-field reference to a string keeps the string; empty string stays empty', async () => {
    const exec = await standardExecution('res-params-string');
    const body = await resolveParams(ctx.call, exec, { a: '${s}', b: '${empty}', c: '${template}', d: '${cn.商品名称}' });
    expect(body.params).toEqual({ a: 'hello', b: '', c: '${s}', d: '手机' });
  });

  test('two whole-field references to the same object are independent equal copies', async () => {
    const exec = await standardExecution('res-params-copy');
    const body = await resolveParams(ctx.call, exec, { one: '${deep}', two: '${deep.l1}', three: '${deep}' });
    expect(body.params).toEqual({ one: { l1: { l2: { l3: ['z'] } } }, two: { l2: { l3: ['z'] } }, three: { l1: { l2: { l3: ['z'] } } } });
  });
});

describe('record and strict flags', () => {
  test('record defaults to true; record:false writes no lineage but still returns the records', async () => {
    const exec = await standardExecution('res-record');
    const off = await resolveText(ctx.call, exec, '${s} ${nope}', { record: false });
    expect(off.references).toHaveLength(2);
    expect(await allReferences(ctx.call, exec)).toEqual([]);
    const on = await resolveText(ctx.call, exec, '${s} ${nope}');
    const stored = await allReferences(ctx.call, exec);
    expect(brief(stored)).toEqual(brief(on.references));
    const explicit = await resolveText(ctx.call, exec, '${n_int}', { record: true });
    expect(explicit.references).toHaveLength(1);
    expect(await allReferences(ctx.call, exec)).toHaveLength(3);
  });

  test('strict with a failure → 422 UNRESOLVED_REFERENCES listing the failed records; lineage still written', async () => {
    const exec = await standardExecution('res-strict');
    const response = await resolve(ctx.call, exec, {
      step_index: 3,
      params: { a: '${s}', b: '${nope}', c: 'x ${items[5]}' },
      strict: true,
    });
    const error = expectError(response, 'UNRESOLVED_REFERENCES', 422);
    expect(error.error_type).toBe('business_logic_error');
    const lists = Object.values(error.details).filter((value) => Array.isArray(value)) as any[][];
    expect(lists.length).toBeGreaterThanOrEqual(1);
    const failed = lists.find(
      (list) => list.length > 0 && typeof list[0] === 'object' && list[0] !== null && 'original_expression' in list[0],
    );
    expect(failed).toBeDefined();
    expect(failed!.map((r: any) => [r.original_expression, r.resolution_status, r.error_code, r.parameter_name])).toEqual([
      ['${nope}', 'failed', 'VARIABLE_NOT_FOUND', 'b'],
      ['${items[5]}', 'failed', 'INDEX_OUT_OF_RANGE', 'c'],
    ]);
    expect(response.text).not.toContain('"hello"');
    const stored = await allReferences(ctx.call, exec);
    expect(brief(stored)).toEqual([
      [3, '${s}', 'success', 'a'],
      [3, '${nope}', 'failed', 'b'],
      [3, '${items[5]}', 'failed', 'c'],
    ]);
  });

  test('strict with record:false and a failure → 422 (records are still written per contract)', async () => {
    // §2: "a strict resolve answering 422 still writes its lineage records"; with record:false nothing should be
    // recorded at all. The two rules only meet here; this service lets record:false win.
    const exec = await standardExecution('res-strict-norecord');
    const response = await resolve(ctx.call, exec, { step_index: 3, text: '${nope}', strict: true, record: false });
    expectError(response, 'UNRESOLVED_REFERENCES', 422);
    const stored = await allReferences(ctx.call, exec);
    expect(stored).toEqual([]);
  });

  test('strict without failures answers 200 with the substitution', async () => {
    const exec = await standardExecution('res-strict-ok');
    const body = await resolveText(ctx.call, exec, '${s}!', { strict: true });
    expect(body.text).toBe('hello!');
    expect(body.unresolved_count).toBe(0);
  });
});

describe('request validation and limits', () => {
  test('exactly one of params/text', async () => {
    const exec = await standardExecution('res-one-of');
    expectBadRequest(await resolve(ctx.call, exec, { step_index: 1, params: { a: '${s}' }, text: '${s}' }));
    expectBadRequest(await resolve(ctx.call, exec, { step_index: 1 }));
    expectBadRequest(await resolve(ctx.call, exec, { step_index: 1, text: 5 }));
    expect(await allReferences(ctx.call, exec)).toEqual([]);
  });

  test('missing or invalid step_index → 400', async () => {
    const exec = await standardExecution('res-step');
    const codes = ['INVALID_REQUEST', 'INVALID_STEP_INDEX'];
    expectBadRequest(await resolve(ctx.call, exec, { text: '${s}' }), codes);
    for (const step of ['1', 1.5, -1, 100001, null, true]) {
      expectBadRequest(await resolve(ctx.call, exec, { step_index: step, text: '${s}' }), codes);
    }
    expectStatus(await resolve(ctx.call, exec, { step_index: 0, text: '${s}' }), 200);
    expectStatus(await resolve(ctx.call, exec, { step_index: 100000, text: '${s}' }), 200);
  });

  test('bad flags and parameter_name types → 400', async () => {
    const exec = await standardExecution('res-flags');
    expectBadRequest(await resolve(ctx.call, exec, { step_index: 1, text: '${s}', record: 'yes' }));
    expectBadRequest(await resolve(ctx.call, exec, { step_index: 1, text: '${s}', strict: 1 }));
    expectBadRequest(await resolve(ctx.call, exec, { step_index: 1, text: '${s}', parameter_name: 3 }));
    expect(await allReferences(ctx.call, exec)).toEqual([]);
  });

  test('params/text over 256 KiB → 413 PAYLOAD_TOO_LARGE; exactly 256 KiB is accepted', async () => {
    const exec = await standardExecution('res-size');
    const limit = 256 * 1024;
    // text: 262142 ASCII chars is ≤ 256 KiB however it is measured (raw or as a JSON string).
    const okText = `\${s}${'a'.repeat(limit - 2 - 4)}`;
    const ok = await resolve(ctx.call, exec, { step_index: 1, text: okText });
    expectStatus(ok, 200);
    expect(ok.json.text.startsWith('hello')).toBe(true);
    const big = await resolve(ctx.call, exec, { step_index: 1, text: `\${s}${'a'.repeat(limit + 1)}` });
    expectError(big, 'PAYLOAD_TOO_LARGE', 413);
    // params: compact JSON of exactly 262144 bytes vs 262145.
    const filler = (bytes: number) => ({ v: '${s}', pad: 'b'.repeat(bytes - JSON.stringify({ v: '${s}', pad: '' }).length) });
    expect(JSON.stringify(filler(limit)).length).toBe(limit);
    expectStatus(await resolve(ctx.call, exec, { step_index: 1, params: filler(limit) }), 200);
    expectError(await resolve(ctx.call, exec, { step_index: 1, params: filler(limit + 1) }), 'PAYLOAD_TOO_LARGE', 413);
    // Only the accepted requests were recorded.
    expect((await allReferences(ctx.call, exec)).length).toBe(2);
  });

  test('1000 references are fine; 1001 → 400 INVALID_REQUEST with nothing recorded', async () => {
    const exec = await standardExecution('res-count');
    const ok = await resolve(ctx.call, exec, { step_index: 2, text: '${n_int}'.repeat(1000) });
    expectStatus(ok, 200);
    expect(ok.json.text).toBe('5'.repeat(1000));
    expect(ok.json.references).toHaveLength(1000);
    expect(ok.json.resolved_count).toBe(1000);
    const params = await resolve(ctx.call, exec, { step_index: 3, params: Array.from({ length: 1001 }, () => '${n_int}'), record: false });
    expectBadRequest(params);
    const text = await resolve(ctx.call, exec, { step_index: 3, text: '${nope}'.repeat(1001) });
    expectBadRequest(text);
    const stored = await allReferences(ctx.call, exec);
    expect(stored).toHaveLength(1000);
    expect(stored.every((r: any) => r.step_index === 2)).toBe(true);
  });

  test('body problems: invalid JSON, non-object body', async () => {
    const exec = await standardExecution('res-body');
    expectError(await ctx.call('POST', `/api/v1/executions/${exec}/resolve`, '{"step_index": 1, "text": '), 'INVALID_JSON');
    expectBadRequest(await ctx.call('POST', `/api/v1/executions/${exec}/resolve`, '[1,2]'));
  });
});
