/**
 * Lineage end to end (API.md §4 reference records, §5 "Resolution and lineage" and the execution
 * GET/DELETE): GET /variable-references order, filters, limit and cursor pagination; the execution
 * summary's counts, usage counts and recent references; DELETE of an execution removes its lineage.
 */
import {
  allReferences,
  expectBadRequest,
  expectRecord,
  expectStatus,
  executionPath,
  ISO_MS,
  listAllReferences,
  newExecutionId,
  referencesPath,
  resolve,
  seed,
  seedOneByOne,
  sleep,
  useServer,
} from './hints-support';

const ctx = useServer();

async function resolveAt(exec: string, step: number, text: string): Promise<any> {
  const response = await resolve(ctx.call, exec, { step_index: step, text });
  expectStatus(response, 200);
  return response.json;
}

async function getReferences(exec: string, query: Record<string, string> = {}) {
  return ctx.call('GET', `${referencesPath(exec)}?${new URLSearchParams(query).toString()}`);
}

const expressions = (records: any[]): string[] => records.map((r) => `${r.step_index}:${r.original_expression}`);

describe('GET /variable-references', () => {
  test('shape: every §4 field, created_at ISO ms, count and next_cursor', async () => {
    const exec = newExecutionId('lin-shape');
    await seed(ctx.call, exec, [{ name: 'user', value: { name: 'Ann' } }]);
    const before = Date.now();
    await resolve(ctx.call, exec, { step_index: 3, params: { q: { who: '${user.name}' }, bad: 'x ${user.age}' } });
    const after = Date.now();
    const response = await getReferences(exec);
    expectStatus(response, 200);
    expect(Object.keys(response.json).sort()).toEqual(['count', 'execution_id', 'next_cursor', 'references']);
    expect(response.json.execution_id).toBe(exec);
    expect(response.json.count).toBe(2);
    expect(response.json.next_cursor).toBeNull();
    const [ok, failed] = response.json.references;
    expectRecord(ok, {
      step_index: 3,
      variable_name: 'user',
      reference_path: 'user.name',
      parameter_name: 'q.who',
      original_expression: '${user.name}',
      resolved_value: 'Ann',
      resolution_status: 'success',
      error_code: null,
      error_message: null,
    });
    expectRecord(failed, {
      step_index: 3,
      variable_name: 'user',
      reference_path: 'user.age',
      parameter_name: 'bad',
      original_expression: '${user.age}',
      resolved_value: null,
      resolution_status: 'failed',
      error_code: 'PROPERTY_NOT_FOUND',
    });
    expect(failed.error_message).toContain('age');
    for (const record of response.json.references) {
      expect(record.created_at).toMatch(ISO_MS);
      const at = Date.parse(record.created_at);
      expect(at).toBeGreaterThanOrEqual(before - 2000);
      expect(at).toBeLessThanOrEqual(after + 2000);
    }
  });

  test('an execution without records lists nothing', async () => {
    const exec = newExecutionId('lin-empty');
    const response = await getReferences(exec);
    expectStatus(response, 200);
    expect(response.json).toEqual({ execution_id: exec, references: [], count: 0, next_cursor: null });
  });

  test('ordered by step_index, then time of recording, then document order', async () => {
    const exec = newExecutionId('lin-order');
    await seed(ctx.call, exec, [
      { name: 'a', value: 1 },
      { name: 'b', value: 2 },
      { name: 'c', value: 3 },
      { name: 'd', value: 4 },
    ]);
    await resolveAt(exec, 5, '${a} ${b} ${zz}');
    await sleep(5);
    await resolveAt(exec, 2, '${c}');
    await sleep(5);
    await resolveAt(exec, 5, '${d} ${a} ${c}');
    await sleep(5);
    await resolveAt(exec, 0, '${b}');
    await sleep(5);
    await resolveAt(exec, 10, '${a}');
    await sleep(5);
    await resolveAt(exec, 2, '${a}');
    const records = await allReferences(ctx.call, exec);
    expect(expressions(records)).toEqual([
      '0:${b}',
      '2:${c}',
      '2:${a}',
      '5:${a}',
      '5:${b}',
      '5:${zz}',
      '5:${d}',
      '5:${a}',
      '5:${c}',
      '10:${a}',
    ]);
    for (let i = 1; i < records.length; i += 1) {
      if (records[i].step_index === records[i - 1].step_index) expect(records[i].created_at >= records[i - 1].created_at).toBe(true);
    }
  });

  test('document order is kept for many references recorded at once (params mode)', async () => {
    const exec = newExecutionId('lin-doc-order');
    const names = Array.from({ length: 40 }, (_, i) => `v${String(39 - i).padStart(2, '0')}`);
    await seed(
      ctx.call,
      exec,
      names.map((name, i) => ({ name, value: i })),
    );
    const params: Record<string, unknown> = {};
    names.forEach((name, i) => {
      params[`p_${name}`] = i % 2 === 0 ? `\${${name}}` : [`x\${${name}}`];
    });
    await resolve(ctx.call, exec, { step_index: 1, params });
    const records = await allReferences(ctx.call, exec, { limit: '7' });
    expect(records.map((r) => r.variable_name)).toEqual(names);
    expect(records.map((r) => r.parameter_name)).toEqual(names.map((name, i) => (i % 2 === 0 ? `p_${name}` : `p_${name}[0]`)));
  });

  test('filters: step_index, status, variable_name, combined', async () => {
    const exec = newExecutionId('lin-filter');
    await seed(ctx.call, exec, [
      { name: 'user', value: { name: 'Ann' } },
      { name: 'n', value: 1 },
    ]);
    await resolveAt(exec, 1, '${user.name} ${user.x} ${n} ${ghost}');
    await resolveAt(exec, 2, '${n} ${user} ${n.x} ${user[0]}');
    await resolveAt(exec, 3, '${user.name.first} ${a b}');

    const byStep = await allReferences(ctx.call, exec, { step_index: '2' });
    expect(expressions(byStep)).toEqual(['2:${n}', '2:${user}', '2:${n.x}', '2:${user[0]}']);

    const success = await allReferences(ctx.call, exec, { status: 'success' });
    expect(expressions(success)).toEqual(['1:${user.name}', '1:${n}', '2:${n}', '2:${user}']);
    expect(success.every((r) => r.resolution_status === 'success')).toBe(true);

    const failed = await allReferences(ctx.call, exec, { status: 'failed' });
    expect(expressions(failed)).toEqual(['1:${user.x}', '1:${ghost}', '2:${n.x}', '2:${user[0]}', '3:${user.name.first}', '3:${a b}']);

    const user = await allReferences(ctx.call, exec, { variable_name: 'user' });
    expect(expressions(user)).toEqual(['1:${user.name}', '1:${user.x}', '2:${user}', '2:${user[0]}', '3:${user.name.first}']);

    const combined = await allReferences(ctx.call, exec, { variable_name: 'user', status: 'failed', step_index: '2' });
    expect(expressions(combined)).toEqual(['2:${user[0]}']);

    const ghost = await allReferences(ctx.call, exec, { variable_name: 'ghost' });
    expect(expressions(ghost)).toEqual(['1:${ghost}']);

    expect(await allReferences(ctx.call, exec, { step_index: '7' })).toEqual([]);
    expect(await allReferences(ctx.call, exec, { variable_name: 'nobody' })).toEqual([]);
  });

  test('bad filters → 400 INVALID_REQUEST', async () => {
    const exec = newExecutionId('lin-bad-filter');
    for (const status of ['ok', 'SUCCESSFUL', 'all', '']) {
      if (status === '') continue;
      expectBadRequest(await getReferences(exec, { status }));
    }
    for (const step of ['abc', '1.5', '1e2x']) expectBadRequest(await getReferences(exec, { step_index: step }));
  });

  test('limit: default 100, 1000 max (clamped), bad values → 400', async () => {
    const exec = newExecutionId('lin-limit');
    await seed(ctx.call, exec, [{ name: 'v', value: 1 }]);
    await resolveAt(exec, 1, '${v}'.repeat(600));
    await resolveAt(exec, 2, '${v}'.repeat(600));

    const first = await getReferences(exec);
    expectStatus(first, 200);
    expect(first.json.count).toBe(100);
    expect(first.json.references).toHaveLength(100);
    expect(typeof first.json.next_cursor).toBe('string');

    const max = await getReferences(exec, { limit: '1000' });
    expect(max.json.count).toBe(1000);
    expect(typeof max.json.next_cursor).toBe('string');

    const clamped = await getReferences(exec, { limit: '5000' });
    expectStatus(clamped, 200);
    expect(clamped.json.count).toBe(1000);
    const rest = await getReferences(exec, { limit: '5000', cursor: clamped.json.next_cursor });
    expect(rest.json.count).toBe(200);
    expect(rest.json.next_cursor).toBeNull();

    const small = await getReferences(exec, { limit: '3' });
    expect(small.json.count).toBe(3);

    for (const limit of ['0', '-1', 'abc', '1.5', '']) {
      if (limit === '') continue;
      expectBadRequest(await getReferences(exec, { limit }));
    }
  });

  test('cursor pagination walks every record exactly once, with and without filters', async () => {
    const exec = newExecutionId('lin-pages');
    await seed(ctx.call, exec, [
      { name: 'a', value: 1 },
      { name: 'b', value: [1] },
    ]);
    for (let step = 0; step < 6; step += 1) {
      await resolve(ctx.call, exec, {
        step_index: step % 3,
        params: Array.from({ length: 9 }, (_, i) =>
          i % 3 === 0 ? `\${a} #${step}.${i}` : i % 3 === 1 ? `\${b[${i}]} #${step}.${i}` : `\${c} #${step}.${i}`,
        ),
      });
    }
    const everything = await allReferences(ctx.call, exec, { limit: '1000' });
    expect(everything).toHaveLength(54);
    for (const limit of ['1', '4', '7', '53', '54', '55']) {
      const pages = await listAllReferences(ctx.call, exec, { limit });
      const walked = pages.flatMap((page) => page.references);
      expect(walked).toEqual(everything);
      for (const page of pages) expect(page.count).toBe(page.references.length);
      for (const page of pages.slice(0, -1)) expect(page.count).toBe(Number(limit));
    }
    const failedAll = everything.filter((r) => r.resolution_status === 'failed');
    const failedWalk = (await listAllReferences(ctx.call, exec, { status: 'failed', limit: '5' })).flatMap((page) => page.references);
    expect(failedWalk).toEqual(failedAll);
    const stepAll = everything.filter((r) => r.step_index === 1);
    const stepWalk = (await listAllReferences(ctx.call, exec, { step_index: '1', limit: '4' })).flatMap((page) => page.references);
    expect(stepWalk).toEqual(stepAll);
  });

  test('an invalid cursor → 400 INVALID_REQUEST', async () => {
    const exec = newExecutionId('lin-cursor');
    await seed(ctx.call, exec, [{ name: 'a', value: 1 }]);
    await resolveAt(exec, 1, '${a}${a}${a}');
    for (const cursor of ['garbage', 'eyJmb28iOiJiYXIifQ', '%%%', 'null']) expectBadRequest(await getReferences(exec, { cursor }));
  });

  test("executions never see each other's records", async () => {
    const one = newExecutionId('lin-iso-1');
    const two = newExecutionId('lin-iso-2');
    await seed(ctx.call, one, [{ name: 'a', value: 1 }]);
    await resolveAt(one, 1, '${a}');
    expect(await allReferences(ctx.call, two)).toEqual([]);
    expect(await allReferences(ctx.call, one)).toHaveLength(1);
  });
});

test('a record of a large value is capped (API.md §4); one larger than a DynamoDB item is kept whole; ' +
  'other executions keep their lineage', async () => {
  const exec = newExecutionId('lin-huge');
  const pad = 'x'.repeat(500 * 1024);
  await seed(ctx.call, exec, [
    { name: 'huge', value: { pad } },
    { name: 'small', value: 1 },
    { name: 'wide', value: Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`key_${i}`, i])) },
  ]);
  for (let i = 0; i < 6; i += 1) await resolveAt(exec, 1, i % 2 === 0 ? '${huge} ${small}' : 'a ${wide.nope} b');
  // A 200 KiB key: its path, expression and message make one record of ~600 KB, over DynamoDB's 400 KB item.
  const longKey = 'k'.repeat(200 * 1024);
  await resolveAt(exec, 2, '${small.' + longKey + '}');
  const records = await allReferences(ctx.call, exec);
  expect(records).toHaveLength(10);
  expect(records[0].resolved_value).toBe(JSON.stringify({ pad }).slice(0, 1021) + '...');
  expect(records[0].resolved_value_truncated).toBe(true);
  expect(records[9]).toMatchObject({ reference_path: 'small.' + longKey, error_code: 'TYPE_MISMATCH', resolved_value: null });
  expect(records[9].error_message).toContain(longKey);
  expect(records[2]).toMatchObject({ original_expression: '${wide.nope}', resolution_status: 'failed', error_code: 'PROPERTY_NOT_FOUND' });
  const summary = await ctx.call('GET', executionPath(exec));
  expect(summary.json.variables.find((v: any) => v.name === 'huge').usage_count).toBe(3);

  const other = newExecutionId('lin-huge-other');
  await seed(ctx.call, other, [{ name: 'small', value: 2 }]);
  await resolveAt(other, 1, '${small}');
  expect(await allReferences(ctx.call, other)).toHaveLength(1);
}, 60_000);

describe('GET /executions/{id} summary', () => {
  // An unknown execution's zeros and empty lists: variables-crud.test.ts (GET the execution).
  test('counts, variables in list order with usage_count of successful records by root name', async () => {
    const exec = newExecutionId('sum-counts');
    await seedOneByOne(ctx.call, exec, [
      { name: 'zeta', value: 'z', step: 1 },
      { name: 'alpha', value: { k: 1 }, step: 1 },
      { name: 'first', value: [1, 2], step: 0 },
      { name: 'unused', value: null, step: 4 },
    ]);
    await resolveAt(exec, 2, '${alpha.k} ${alpha.k} ${alpha.nope} ${zeta} ${ghost} ${first[5]}');
    await resolveAt(exec, 3, '${first[1]} ${zeta.x} ${alpha}');

    const response = await ctx.call('GET', executionPath(exec));
    expectStatus(response, 200);
    const body = response.json;
    expect(Object.keys(body).sort()).toEqual([
      'execution_id',
      'failed_references_count',
      'recent_references',
      'references_count',
      'variables',
      'variables_count',
    ]);
    expect(body.execution_id).toBe(exec);
    expect(body.variables_count).toBe(4);
    expect(body.references_count).toBe(9);
    expect(body.failed_references_count).toBe(4);

    const listed = await ctx.call('GET', `/api/v1/executions/${exec}/variables`);
    const listOrder = listed.json.variables.map((v: any) => v.variable_name);
    expect(listOrder).toEqual(['first', 'zeta', 'alpha', 'unused']);
    expect(body.variables.map((v: any) => v.name)).toEqual(listOrder);
    const usage = Object.fromEntries(body.variables.map((v: any) => [v.name, v.usage_count]));
    expect(usage).toEqual({ first: 1, zeta: 1, alpha: 3, unused: 0 });
    for (const variable of body.variables) {
      expect(Object.keys(variable).sort()).toEqual(['data_type', 'last_updated', 'name', 'source_step_index', 'usage_count']);
      const meta = listed.json.variables.find((v: any) => v.variable_name === variable.name);
      expect(variable.data_type).toBe(meta.data_type);
      expect(variable.source_step_index).toBe(meta.source_step_index);
      expect(variable.last_updated).toBe(meta.updated_at);
      expect(variable.last_updated).toMatch(ISO_MS);
    }
    expect(body.recent_references).toHaveLength(9);
    for (const recent of body.recent_references) {
      expect(Object.keys(recent).sort()).toEqual(['created_at', 'reference', 'status', 'step_index']);
      expect(['success', 'failed']).toContain(recent.status);
      expect(recent.created_at).toMatch(ISO_MS);
    }
    // Newest first: the step-3 call's records come before the step-2 call's.
    expect(body.recent_references.slice(0, 3).map((r: any) => r.step_index)).toEqual([3, 3, 3]);
    expect(body.recent_references.slice(3).map((r: any) => r.step_index)).toEqual([2, 2, 2, 2, 2, 2]);
    const stepThree = body.recent_references
      .slice(0, 3)
      .map((r: any) => `${r.reference}:${r.status}`)
      .sort();
    expect(stepThree).toEqual(['${alpha}:success', '${first[1]}:success', '${zeta.x}:failed']);
  });

  test('recent_references: the latest 10, newest first, {step_index, reference, status, created_at}', async () => {
    const exec = newExecutionId('sum-recent');
    await seed(ctx.call, exec, [{ name: 'v', value: 1 }]);
    for (let i = 0; i < 13; i += 1) {
      await resolveAt(exec, 20 - i, i % 4 === 3 ? `\${missing_${i}}` : `\${v} #${i}`);
      await sleep(3);
    }
    const response = await ctx.call('GET', executionPath(exec));
    expectStatus(response, 200);
    const body = response.json;
    expect(body.references_count).toBe(13);
    expect(body.failed_references_count).toBe(3);
    expect(body.variables).toEqual([expect.objectContaining({ name: 'v', usage_count: 10 })]);
    const expected = [];
    for (let i = 12; i >= 3; i -= 1) {
      expected.push({
        step_index: 20 - i,
        reference: i % 4 === 3 ? `\${missing_${i}}` : '${v}',
        status: i % 4 === 3 ? 'failed' : 'success',
      });
    }
    expect(body.recent_references.map((r: any) => ({ step_index: r.step_index, reference: r.reference, status: r.status }))).toEqual(
      expected,
    );
    for (let i = 1; i < body.recent_references.length; i += 1) {
      expect(body.recent_references[i - 1].created_at >= body.recent_references[i].created_at).toBe(true);
    }
  });

  test('DELETE of the execution removes variables and lineage; idempotent', async () => {
    const exec = newExecutionId('sum-delete');
    await seed(ctx.call, exec, [
      { name: 'a', value: 1 },
      { name: 'b', value: 'x' },
    ]);
    await resolveAt(exec, 1, '${a} ${b} ${c}');
    expect(await allReferences(ctx.call, exec)).toHaveLength(3);
    const other = newExecutionId('sum-delete-other');
    await seed(ctx.call, other, [{ name: 'a', value: 1 }]);
    await resolveAt(other, 1, '${a}');

    const deleted = await ctx.call('DELETE', executionPath(exec));
    expectStatus(deleted, 204);
    expect(await allReferences(ctx.call, exec)).toEqual([]);
    const summary = await ctx.call('GET', executionPath(exec));
    expectStatus(summary, 200);
    expect(summary.json).toEqual({
      execution_id: exec,
      variables_count: 0,
      references_count: 0,
      failed_references_count: 0,
      variables: [],
      recent_references: [],
    });
    expectStatus(await ctx.call('DELETE', executionPath(exec)), 204);
    expect(await allReferences(ctx.call, other)).toHaveLength(1);

    // The execution can be used again from scratch.
    await seed(ctx.call, exec, [{ name: 'a', value: 2 }]);
    await resolveAt(exec, 1, '${a}');
    const again = await allReferences(ctx.call, exec);
    expect(again.map((r) => r.resolved_value)).toEqual(['2']);
  });
});
