/**
 * POST /variables/validate end to end (API.md §4 grammar and evaluation, §5 "Smart hints" validate):
 * request rules, every error code with its suggestion, step visibility, masking, order and language.
 */
import { expectBadRequest, expectStatus, hasCjk, newExecutionId, seed, useServer, validatePath, type Seed } from './hints-support';

const ctx = useServer();

const FRUITS = ['apple', 'banana', 'cherry', 'damson', 'elder', 'fig', 'grape'];

const DATA: Seed[] = [
  ...FRUITS.map((name, step) => ({ name, value: `${name}-value`, step })),
  {
    name: 'usr_rec',
    value: {
      fname: 'Ann',
      yrs: 30,
      mail_addr: 'a@b.c',
      tel_no: '1',
      town_k: 'X',
      zip_k: '9',
      land_k: 'Y',
      addr_k: { town_k: 'Paris', road_k: 'Rue' },
    },
    step: 1,
  },
  { name: 'num_list', value: [10, 20, 30], step: 1 },
  { name: 'qty_v', value: 42, step: 1 },
  { name: 'nil_v', value: null, step: 1 },
  { name: 'flg_v', value: false, step: 1 },
  { name: 'pw_v', value: 'p@ss', step: 1, sensitive: true },
  { name: 'pw_obj', value: { token: 'tok-9' }, step: 1, sensitive: true },
  { name: 'goods_cn', value: { 商品名称: '手机' }, step: 1 },
];

async function execution(tag: string): Promise<string> {
  const exec = newExecutionId(tag);
  await seed(ctx.call, exec, DATA);
  return exec;
}

async function validate(exec: string, references: unknown[], stepIndex?: number, headers: Record<string, string> = {}): Promise<any[]> {
  const body: Record<string, unknown> = { references };
  if (stepIndex !== undefined) body.step_index = stepIndex;
  const response = await ctx.call('POST', validatePath(exec), body, headers);
  expectStatus(response, 200);
  expect(Object.keys(response.json)).toEqual(['validation_results']);
  expect(response.json.validation_results).toHaveLength(references.length);
  return response.json.validation_results;
}

function expectValid(result: any, reference: string, dataType: string, values: unknown[]): void {
  expect(Object.keys(result).sort()).toEqual(['data_type', 'is_valid', 'reference', 'resolved_value']);
  expect(result.is_valid).toBe(true);
  expect(result.reference).toBe(reference);
  expect(result.data_type).toBe(dataType);
  // The contract does not fix typed value or text rendering; this service answers the typed value (the first given).
  expect(result.resolved_value).toEqual(values[0]);
}

function expectInvalid(result: any, code: string | string[], reference?: unknown): void {
  expect(Object.keys(result).sort()).toEqual(['error', 'error_code', 'is_valid', 'reference', 'suggestion']);
  expect(result.is_valid).toBe(false);
  if (reference !== undefined) expect(result.reference).toEqual(reference);
  expect(Array.isArray(code) ? code : [code]).toContain(result.error_code);
  expect(typeof result.error).toBe('string');
  expect(result.error.length).toBeGreaterThan(0);
  expect(result.suggestion === null || typeof result.suggestion === 'string').toBe(true);
}

const mentioned = (text: string, candidates: string[]): string[] =>
  candidates.filter((name) => new RegExp(`(^|[^A-Za-z0-9_])${name}([^A-Za-z0-9_]|$)`).test(text));

describe('request rules', () => {
  test('no body, missing or non-array references, more than 20 → 400 INVALID_REQUEST', async () => {
    const exec = await execution('val-400');
    expectBadRequest(await ctx.call('POST', validatePath(exec)));
    expectBadRequest(await ctx.call('POST', validatePath(exec), {}));
    for (const references of ['${apple}', null, 5, { 0: '${apple}' }])
      expectBadRequest(await ctx.call('POST', validatePath(exec), { references }));
    expectBadRequest(await ctx.call('POST', validatePath(exec), { references: Array.from({ length: 21 }, () => '${apple}') }));
    const twenty = await validate(
      exec,
      Array.from({ length: 20 }, () => '${apple}'),
    );
    expect(twenty.every((r) => r.is_valid === true)).toBe(true);
  });

  test('a bad step_index → 400', async () => {
    const exec = await execution('val-step');
    for (const step_index of ['1', 1.5, -1, 100001, true]) {
      expectBadRequest(await ctx.call('POST', validatePath(exec), { references: ['${apple}'], step_index }), [
        'INVALID_REQUEST',
        'INVALID_STEP_INDEX',
      ]);
    }
  });

  test('an empty list: 200 with no results (400 tolerated)', async () => {
    const exec = await execution('val-empty');
    const response = await ctx.call('POST', validatePath(exec), { references: [] });
    // "at most 20" sets no lower bound: an empty list gives an empty result.
    expectStatus(response, 200);
    expect(response.json).toEqual({ validation_results: [] });
  });

  test('validate is not a write: it ignores Idempotency-Key', async () => {
    const exec = await execution('val-idem');
    const first = await ctx.call('POST', validatePath(exec), { references: ['${apple}'] }, { 'Idempotency-Key': 'k1' });
    const second = await ctx.call('POST', validatePath(exec), { references: ['${nope}'] }, { 'Idempotency-Key': 'k1' });
    expectStatus(first, 200);
    expectStatus(second, 200);
    expect(second.json.validation_results[0].error_code).toBe('VARIABLE_NOT_FOUND');
  });
});

describe('valid items', () => {
  test('{reference, is_valid, resolved_value, data_type} for every type', async () => {
    const exec = await execution('val-valid');
    const results = await validate(exec, [
      '${apple}',
      '${usr_rec.fname}',
      '${usr_rec.yrs}',
      '${num_list[-1]}',
      '${num_list.0}',
      '${nil_v}',
      '${flg_v}',
      '${usr_rec.addr_k}',
      '${num_list}',
      '${goods_cn.商品名称}',
      '${qty_v}',
    ]);
    expectValid(results[0], '${apple}', 'string', ['apple-value']);
    expectValid(results[1], '${usr_rec.fname}', 'string', ['Ann']);
    expectValid(results[2], '${usr_rec.yrs}', 'number', [30, '30']);
    expectValid(results[3], '${num_list[-1]}', 'number', [30, '30']);
    expectValid(results[4], '${num_list.0}', 'number', [10, '10']);
    expectValid(results[5], '${nil_v}', 'null', [null, 'null']);
    expectValid(results[6], '${flg_v}', 'boolean', [false, 'false']);
    expectValid(results[7], '${usr_rec.addr_k}', 'object', [{ town_k: 'Paris', road_k: 'Rue' }, '{"town_k":"Paris","road_k":"Rue"}']);
    expectValid(results[8], '${num_list}', 'array', [[10, 20, 30], '[10,20,30]']);
    expectValid(results[9], '${goods_cn.商品名称}', 'string', ['手机']);
    expectValid(results[10], '${qty_v}', 'number', [42, '42']);
  });

  test('surrounding white space is trimmed: "  ${a}  " is valid', async () => {
    const exec = await execution('val-trim');
    const inputs = ['  ${apple}  ', '\n${apple}\t', '\u00a0${apple}'];
    const results = await validate(exec, inputs);
    results.forEach((result, i) => {
      expect(result.is_valid).toBe(true);
      expect(result.data_type).toBe('string');
      expect(result.resolved_value).toBe('apple-value');
      // The item is echoed as sent, untrimmed.
      expect(result.reference).toBe(inputs[i]);
    });
  });

  test('sensitive values are masked "******"', async () => {
    const exec = await execution('val-sensitive');
    const results = await validate(exec, ['${pw_v}', '${pw_obj.token}', '${pw_obj}']);
    for (const result of results) {
      expect(result.is_valid).toBe(true);
      expect(result.resolved_value).toBe('******');
    }
    expect(results[0].data_type).toBe('string');
    expect(JSON.stringify(results)).not.toContain('p@ss');
    expect(JSON.stringify(results)).not.toContain('tok-9');
  });

  test('errors on sensitive variables never reveal the value', async () => {
    const exec = await execution('val-sensitive-fail');
    const inputs = ['${pw_v.x}', '${pw_v[0]}', '${pw_obj.nope}', '${pw_obj.token.x}', '${pw_obj[2]}'];
    for (const headers of [{}, { 'Accept-Language': 'zh' }] as Array<Record<string, string>>) {
      const results = await validate(exec, inputs, undefined, headers);
      expect(results.map((r) => r.error_code)).toEqual([
        'TYPE_MISMATCH',
        'TYPE_MISMATCH',
        'PROPERTY_NOT_FOUND',
        'TYPE_MISMATCH',
        'TYPE_MISMATCH',
      ]);
      const text = JSON.stringify(results);
      expect(text).not.toContain('p@ss');
      expect(text).not.toContain('tok-9');
    }
  });

  test('validate resolves against current values without recording lineage', async () => {
    const exec = await execution('val-no-lineage');
    await validate(exec, ['${apple}', '${nope}']);
    const references = await ctx.call('GET', `/api/v1/executions/${exec}/variable-references`);
    expectStatus(references, 200);
    expect(references.json.references).toEqual([]);
  });
});

describe('error codes', () => {
  test('INVALID_FORMAT: non-strings, two references, surrounding text, no reference — without failing the others', async () => {
    const exec = await execution('val-format');
    const inputs: unknown[] = [
      42,
      null,
      { r: '${apple}' },
      ['${apple}'],
      true,
      '${apple}${banana}',
      'x ${apple}',
      '${apple} y',
      'apple',
      '',
      '   ',
      '${abc',
      '${apple}}',
      '${outer${x}}',
      '${apple}',
    ];
    const results = await validate(exec, inputs);
    for (let i = 0; i < inputs.length - 1; i += 1) expectInvalid(results[i], 'INVALID_FORMAT');
    for (let i = 5; i < inputs.length - 1; i += 1) expect(results[i].reference).toBe(inputs[i]);
    expect(results[inputs.length - 1].is_valid).toBe(true);
  });

  test('${} is not a reference at all', async () => {
    const exec = await execution('val-empty-ref');
    const [result] = await validate(exec, ['${}']);
    // The scanner does not see `${}` as a reference, so "exactly one ${…}" fails (INVALID_FORMAT);
    // reading it as an empty, ungrammatical path (INVALID_SYNTAX) is also tolerated.
    expectInvalid(result, ['INVALID_FORMAT', 'INVALID_SYNTAX'], '${}');
  });

  test('INVALID_SYNTAX for every §4 example', async () => {
    const exec = await execution('val-syntax');
    const inputs = [
      '${ a }',
      '${a..b}',
      '${a.}',
      '${a[0]b}',
      '${a[x]}',
      '${a|upper}',
      '${a:-d}',
      '${1abc}',
      `\${a${'.k'.repeat(33)}}`,
      '${a.b c}',
    ];
    const results = await validate(exec, inputs);
    results.forEach((result, i) => {
      expectInvalid(result, 'INVALID_SYNTAX', inputs[i]);
    });
  });

  test('VARIABLE_NOT_FOUND with a suggestion listing up to 5 names visible at step_index', async () => {
    const exec = await execution('val-not-found');
    const [all] = await validate(exec, ['${aple}']);
    expectInvalid(all, 'VARIABLE_NOT_FOUND', '${aple}');
    expect(all.error).toContain('aple');
    expect(typeof all.suggestion).toBe('string');
    const names = [...FRUITS, 'usr_rec', 'num_list', 'qty_v', 'nil_v', 'flg_v', 'pw_v', 'pw_obj', 'goods_cn'];
    const listed = mentioned(all.suggestion, names);
    expect(listed.length).toBeGreaterThanOrEqual(1);
    expect(listed.length).toBeLessThanOrEqual(5);

    // At step 3 only apple (0), banana (1), cherry (2) and the step-1 variables are visible.
    const [early] = await validate(exec, ['${aple}'], 3);
    expectInvalid(early, 'VARIABLE_NOT_FOUND');
    const visible = ['apple', 'banana', 'cherry', 'usr_rec', 'num_list', 'qty_v', 'nil_v', 'flg_v', 'pw_v', 'pw_obj', 'goods_cn'];
    const earlyListed = mentioned(early.suggestion, names);
    expect(earlyListed.length).toBeGreaterThanOrEqual(1);
    expect(earlyListed.length).toBeLessThanOrEqual(5);
    for (const name of earlyListed) expect(visible).toContain(name);

    // At step 1 only apple is visible.
    const [first] = await validate(exec, ['${zzz}'], 1);
    expectInvalid(first, 'VARIABLE_NOT_FOUND');
    expect(mentioned(first.suggestion, names)).toEqual(['apple']);
  });

  test('VARIABLE_NOT_YET_DEFINED when the root is defined at a step ≥ step_index', async () => {
    const exec = await execution('val-not-yet');
    const results = await validate(exec, ['${cherry}', '${damson}', '${grape}', '${usr_rec.fname}', '${damson.x}'], 3);
    expectValid(results[0], '${cherry}', 'string', ['cherry-value']);
    expectInvalid(results[1], 'VARIABLE_NOT_YET_DEFINED', '${damson}');
    expect(results[1].error).toContain('damson');
    expectInvalid(results[2], 'VARIABLE_NOT_YET_DEFINED', '${grape}');
    expectValid(results[3], '${usr_rec.fname}', 'string', ['Ann']);
    expectInvalid(results[4], 'VARIABLE_NOT_YET_DEFINED');
    // step 0: nothing is defined yet.
    const none = await validate(exec, ['${apple}', '${usr_rec}'], 0);
    for (const result of none) expectInvalid(result, 'VARIABLE_NOT_YET_DEFINED');
    // Without step_index there is no step filter.
    const unfiltered = await validate(exec, ['${grape}']);
    expectValid(unfiltered[0], '${grape}', 'string', ['grape-value']);
  });

  test('PROPERTY_NOT_FOUND with a suggestion listing up to 5 keys of the last object reached', async () => {
    const exec = await execution('val-property');
    const keys = ['fname', 'yrs', 'mail_addr', 'tel_no', 'town_k', 'zip_k', 'land_k', 'addr_k'];
    const [top, nested, proto, length] = await validate(exec, [
      '${usr_rec.fnam}',
      '${usr_rec.addr_k.twn}',
      '${usr_rec.constructor}',
      '${num_list.length}',
    ]);
    expectInvalid(top, 'PROPERTY_NOT_FOUND', '${usr_rec.fnam}');
    expect(top.error).toContain('fnam');
    expect(typeof top.suggestion).toBe('string');
    const listed = mentioned(top.suggestion, keys);
    expect(listed.length).toBeGreaterThanOrEqual(1);
    expect(listed.length).toBeLessThanOrEqual(5);
    expectInvalid(nested, 'PROPERTY_NOT_FOUND');
    expect(nested.error).toContain('twn');
    expect(mentioned(nested.suggestion, ['town_k', 'road_k']).sort()).toEqual(['road_k', 'town_k']);
    expect(mentioned(nested.suggestion, ['zip_k', 'mail_addr', 'tel_no', 'land_k', 'fname'])).toEqual([]);
    expectInvalid(proto, 'PROPERTY_NOT_FOUND');
    expectInvalid(length, 'PROPERTY_NOT_FOUND');
  });

  test('INDEX_OUT_OF_RANGE with a suggestion giving the length and valid range', async () => {
    const exec = await execution('val-index');
    const [high, low] = await validate(exec, ['${num_list[5]}', '${num_list[-4]}']);
    expectInvalid(high, 'INDEX_OUT_OF_RANGE', '${num_list[5]}');
    expect(high.error).toContain('5');
    expect(typeof high.suggestion).toBe('string');
    expect(high.suggestion).toMatch(/3/);
    expect(high.suggestion).toMatch(/2/);
    expectInvalid(low, 'INDEX_OUT_OF_RANGE');
    expect(low.error).toContain('-4');
  });

  test('TYPE_MISMATCH', async () => {
    const exec = await execution('val-type');
    const inputs = ['${usr_rec.fname.first}', '${usr_rec[0]}', '${qty_v.x}', '${nil_v.x}', '${flg_v[0]}', '${apple.length}'];
    const results = await validate(exec, inputs);
    results.forEach((result, i) => {
      expectInvalid(result, 'TYPE_MISMATCH', inputs[i]);
    });
  });

  test('results come back in input order with mixed outcomes', async () => {
    const exec = await execution('val-order');
    const inputs: unknown[] = [
      '${num_list[9]}',
      '${apple}',
      7,
      '${ a }',
      '${nope}',
      '${usr_rec.zzz}',
      '${fig}',
      '${qty_v.x}',
      '${num_list[1]}',
    ];
    const results = await validate(exec, inputs, 5);
    expect(results.map((r) => (r.is_valid ? 'ok' : r.error_code))).toEqual([
      'INDEX_OUT_OF_RANGE',
      'ok',
      'INVALID_FORMAT',
      'INVALID_SYNTAX',
      'VARIABLE_NOT_FOUND',
      'PROPERTY_NOT_FOUND',
      'VARIABLE_NOT_YET_DEFINED',
      'TYPE_MISMATCH',
      'ok',
    ]);
    expect(results[1].reference).toBe('${apple}');
    expect(results[8].resolved_value === 20 || results[8].resolved_value === '20').toBe(true);
  });

  test('Accept-Language: zh gives Chinese error and suggestion texts', async () => {
    const exec = await execution('val-zh');
    const inputs = ['${aple}', '${usr_rec.fnam}', '${num_list[5]}', '${ a }', '${grape}'];
    const zh = await validate(exec, inputs, 3, { 'Accept-Language': 'zh' });
    for (const result of zh) {
      expect(result.is_valid).toBe(false);
      expect(hasCjk(result.error)).toBe(true);
    }
    for (const result of zh.slice(0, 3)) expect(hasCjk(result.suggestion)).toBe(true);
    const zhCn = await validate(exec, ['${aple}'], 3, { 'Accept-Language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expect(hasCjk(zhCn[0].error)).toBe(true);
    const en = await validate(exec, inputs, 3);
    for (const result of en) expect(hasCjk(result.error)).toBe(false);
    for (const result of en.slice(0, 3)) expect(hasCjk(result.suggestion)).toBe(false);
    // Codes never change with the language.
    expect(zh.map((r) => r.error_code)).toEqual(en.map((r) => r.error_code));
  });
});
