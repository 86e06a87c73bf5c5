/**
 * No request can hurt the others (API.md §8, issue 8 items 1–2), over HTTP against `npm start`'s
 * server: each attack gets the contract's answer — 413 RESPONSE_TOO_LARGE, capped lineage, shed
 * suggestion properties, exact search scores, 504 TIMEOUT past the budget — and bystander requests
 * made while it runs still succeed. No timing is asserted: the figures come from
 * `node load-tests/event-loop/attacks.js` (event-loop delay, bystander latency, peak RSS).
 */
import { searchVariablesUnpruned } from '#domain/hints/search';
import { startLocalServer, api, temporaryDataDir, type LocalServer } from '../support/local-server';
import {
  allReferences,
  MIB,
  newExecutionId,
  propertiesPath,
  resolve,
  searchPath,
  suggestionsPath,
  useServer,
  validatePath,
  variablePath,
  variablesPath,
  withRetryAfter,
  type Call,
  type Response,
} from './hints-support';

const LIMIT_BYTES = 5 * MIB;
const ctx = useServer();

/** The error shape of §2 for 413 RESPONSE_TOO_LARGE, details {limit_bytes}. */
function expectTooLarge(response: Response): void {
  if (response.status !== 413 || response.json?.error?.code !== 'RESPONSE_TOO_LARGE') {
    throw new Error(`413 RESPONSE_TOO_LARGE expected, got ${response.status} ${response.text.slice(0, 300)}`);
  }
  expect(response.json.error.error_type).toBe('validation_error');
  expect(response.json.error.details).toEqual({ limit_bytes: LIMIT_BYTES });
  expect(response.json.success).toBe(false);
}

function expectOk(response: Response): any {
  if (response.status !== 200) throw new Error(`200 expected, got ${response.status} ${response.text.slice(0, 300)}`);
  return response.json;
}

/**
 * Runs `attack` while bystanders (GET /api/health and a small GET, back to back) keep asking;
 * returns the attack's answer and every bystander answer, at least one of them started before
 * the attack answered.
 */
async function duringAttack(call: Call, attack: () => Promise<Response>): Promise<{ answer: Response; bystanders: Response[] }> {
  const small = newExecutionId('bystander');
  expect((await call('PUT', variablePath(small, 'small'), { value: { ok: true }, source_step_index: 0 })).status).toBe(201);
  let settled = false;
  const bystanders: Response[] = [];
  const pending = attack().finally(() => {
    settled = true;
  });
  const watching = (async () => {
    do {
      bystanders.push(await call('GET', '/api/health'));
      bystanders.push(await call('GET', variablePath(small, 'small')));
    } while (!settled);
  })();
  const answer = await pending;
  await watching;
  return { answer, bystanders };
}

function expectBystandersServed(bystanders: Response[]): void {
  expect(bystanders.length).toBeGreaterThan(0);
  for (const response of bystanders) {
    if (response.status !== 200) throw new Error(`a bystander got ${response.status} ${response.text.slice(0, 200)}`);
  }
}

/** Seeds a variable; a 503 (a 1 MiB write on a busy machine) is retried after its Retry-After, as a client should. */
async function put(call: Call, exec: string, name: string, value: unknown, step = 0): Promise<void> {
  const response = await withRetryAfter(() => call('PUT', variablePath(exec, name), { value, source_step_index: step }));
  if (response.status >= 300) throw new Error(`seeding ${name.slice(0, 30)}: ${response.status} ${response.text.slice(0, 200)}`);
}

async function seedBatches(
  call: Call,
  exec: string,
  variables: Array<{ variable_name: string; value: unknown; source_step_index: number }>,
): Promise<void> {
  for (let start = 0; start < variables.length; start += 100) {
    const response = await call('POST', variablesPath(exec), { variables: variables.slice(start, start + 100) });
    if (response.status !== 200) throw new Error(`seeding: ${response.status} ${response.text.slice(0, 200)}`);
  }
}

/** An object of about `bytes` of compact JSON made of many small keys. */
function manySmallKeys(bytes: number, prefix = 'k'): Record<string, number> {
  const object: Record<string, number> = {};
  for (let i = 0, size = 2; size < bytes - 40; i++) {
    const key = `${prefix}${String(i).padStart(6, '0')}`;
    object[key] = i % 10;
    size += key.length + 5;
  }
  return object;
}

function abNames(count: number, seed: number): string[] {
  let state = seed;
  const random = (): number => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: count }, (_, i) => {
    let name = `v${i}_`;
    while (name.length < 190) name += random() < 0.5 ? 'a' : 'b';
    return name;
  });
}

describe('output: resolve', () => {
  test('the output bomb (1,000 × a 1 MiB variable, record:false) is 413 RESPONSE_TOO_LARGE while the instance serves others', async () => {
    const exec = newExecutionId('bomb');
    await put(ctx.call, exec, 'big', 'x'.repeat(MIB - 2));
    const { answer, bystanders } = await duringAttack(ctx.call, () =>
      resolve(ctx.call, exec, { step_index: 1, params: Array(1000).fill('${big}'), record: false }),
    );
    expectTooLarge(answer);
    expectBystandersServed(bystanders);
  }, 60_000);

  test('text mode and record:true: 413, and nothing is stored, lineage included', async () => {
    const exec = newExecutionId('bomb-text');
    await put(ctx.call, exec, 'big', 'y'.repeat(MIB - 2));
    expectTooLarge(await resolve(ctx.call, exec, { step_index: 1, text: '${big}'.repeat(1000) }));
    expectTooLarge(await resolve(ctx.call, exec, { step_index: 1, params: { a: Array(10).fill('${big}') } }));
    expect(await allReferences(ctx.call, exec)).toEqual([]);
    // Just under the limit still answers: 4 MiB of output.
    const body = expectOk(await resolve(ctx.call, exec, { step_index: 2, params: Array(4).fill('${big}') }));
    expect(body.params).toHaveLength(4);
    expect(body.params[3]).toHaveLength(MIB - 2);
  }, 60_000);

  test('the lineage bomb (40 whole-field references to a 1 MiB object): 413, nothing stored, the server ' +
    'stays up; within the limit records are capped', async () => {
    const exec = newExecutionId('lineage-bomb');
    const blob = manySmallKeys(MIB - 64);
    await put(ctx.call, exec, 'blob', blob);
    const params = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`p${i}`, '${blob}']));
    const { answer, bystanders } = await duringAttack(ctx.call, () => resolve(ctx.call, exec, { step_index: 1, params }));
    expectTooLarge(answer);
    expectBystandersServed(bystanders);
    expect(await allReferences(ctx.call, exec)).toEqual([]);
    expect((await ctx.call('GET', '/api/health')).status).toBe(200);

    // Four fit (4 MiB): the output carries the whole value, each record ~1 KiB.
    const four = expectOk(
      await resolve(ctx.call, exec, { step_index: 2, params: { a: '${blob}', b: '${blob}', c: '${blob}', d: 'text ${blob}' } }),
    );
    expect(Object.keys(four.params.a)).toHaveLength(Object.keys(blob).length);
    const expected = JSON.stringify(blob).slice(0, 1021) + '...';
    for (const records of [four.references, await allReferences(ctx.call, exec)]) {
      expect(records).toHaveLength(4);
      for (const record of records) {
        expect(record.resolved_value).toBe(expected);
        expect(record.resolved_value_truncated).toBe(true);
        expect(Buffer.byteLength(JSON.stringify(record))).toBeLessThan(2048);
      }
    }
  }, 90_000);

  test('strict with a failure answers 422 and records its lineage even when the output would be too large', async () => {
    const exec = newExecutionId('bomb-strict');
    await put(ctx.call, exec, 'big', 'z'.repeat(MIB - 2));
    const response = await resolve(ctx.call, exec, { step_index: 1, strict: true, params: [...Array(10).fill('${big}'), '${missing}'] });
    expect(response.status).toBe(422);
    expect(response.json.error.code).toBe('UNRESOLVED_REFERENCES');
    const records = await allReferences(ctx.call, exec);
    expect(records).toHaveLength(11);
    expect(records[0].resolved_value_truncated).toBe(true);
    // Without a failure, strict is held to the limit like any other resolve.
    expectTooLarge(await resolve(ctx.call, exec, { step_index: 2, strict: true, params: Array(10).fill('${big}') }));
    expect(await allReferences(ctx.call, exec)).toHaveLength(11);
  }, 60_000);
});

describe('output: validate and properties', () => {
  test('validate of twenty 1 MiB values is 413; a CPU-heavy validate (14,000 long keys) answers while others are served', async () => {
    const exec = newExecutionId('validate-bomb');
    await put(ctx.call, exec, 'big', 'v'.repeat(MIB - 2));
    expectTooLarge(await ctx.call('POST', validatePath(exec), { references: Array(20).fill('${big}') }));

    let state = 3;
    const random = (): number => {
      state = (state * 1664525 + 1013904223) >>> 0;
      return state / 2 ** 32;
    };
    const wide: Record<string, number> = {};
    for (let i = 0; i < 14_000; i++) {
      let key = '';
      while (key.length < 64) key += String.fromCharCode(97 + Math.floor(random() * 26));
      wide[key] = 0;
    }
    await put(ctx.call, exec, 'wide', wide);
    const references = Array.from({ length: 20 }, (_, i) => `\${wide.${String(i % 10).repeat(64)}}`);
    const { answer, bystanders } = await duringAttack(ctx.call, () => ctx.call('POST', validatePath(exec), { references }));
    expectBystandersServed(bystanders);
    // Within the budget on any sane machine; past it the contract's 504.
    if (answer.status === 504) expect(answer.json.error.code).toBe('TIMEOUT');
    else {
      const results = expectOk(answer).validation_results;
      expect(results).toHaveLength(20);
      for (const result of results) expect(result).toMatchObject({ is_valid: false, error_code: 'PROPERTY_NOT_FOUND' });
    }
  }, 90_000);

  test('properties of a 1 MiB object nested three levels under a 255-character name: 413 while building; ' +
    'lists are capped at 100', async () => {
    const exec = newExecutionId('properties-bomb');
    const name = 'p'.repeat(255);
    const value: Record<string, unknown> = {};
    for (let a = 0; a < 60; a++) {
      const middle: Record<string, unknown> = {};
      for (let b = 0; b < 60; b++) middle[`m${b}`] = manySmallKeys(220, 'x');
      value[`t${a}`] = middle;
    }
    await put(ctx.call, exec, name, value);
    const { answer, bystanders } = await duringAttack(ctx.call, () => ctx.call('GET', `${propertiesPath(exec, name)}?max_depth=5`));
    expectTooLarge(answer);
    expectBystandersServed(bystanders);

    await put(ctx.call, exec, 'wide', manySmallKeys(20_000));
    const wide = expectOk(await ctx.call('GET', propertiesPath(exec, 'wide')));
    expect(wide.properties).toHaveLength(100);
    expect(wide.properties_truncated).toBe(true);
  }, 60_000);
});

describe('output: suggestions shed properties (API.md §5)', () => {
  /** Full suggestions wait 1 s for the store; asked again (as the editor does), listings are warm. */
  async function fullSuggestions(exec: string): Promise<{ body: any; bytes: number }> {
    for (let attempt = 0; attempt < 40; attempt++) {
      const response = await ctx.call('GET', suggestionsPath(exec));
      const body = expectOk(response);
      expect(Buffer.byteLength(response.text)).toBeLessThanOrEqual(LIMIT_BYTES);
      if (body.mode === 'full') return { body, bytes: Buffer.byteLength(response.text) };
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error('suggestions never answered in full mode');
  }

  test('20 objects of 1 MiB with many small keys: at most 100 properties each, properties_truncated, not 95 MB', async () => {
    const exec = newExecutionId('suggest-95mb');
    for (let i = 0; i < 20; i++) await put(ctx.call, exec, `obj${i}`, manySmallKeys(MIB - 64), i);
    const { answer, bystanders } = await duringAttack(ctx.call, () => ctx.call('GET', suggestionsPath(exec)));
    expectOk(answer);
    expect(Buffer.byteLength(answer.text)).toBeLessThanOrEqual(LIMIT_BYTES);
    expectBystandersServed(bystanders);
    const { body } = await fullSuggestions(exec);
    expect(body.variables).toHaveLength(20);
    for (const item of body.variables) {
      expect(item.properties).toHaveLength(100);
      expect(item.properties_truncated).toBe(true);
      expect(item.properties[0]).toEqual({ name: 'k000000', type: 'number', value: 0, path: `${item.name}.k000000` });
    }
  }, 180_000);

  test('an answer past 5 MiB drops properties from the last items first, each marked properties_truncated', async () => {
    const exec = newExecutionId('suggest-shed');
    // 60 objects × 100 properties of ~1 KiB: ~6.3 MB with every list.
    const object = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}`, 'w'.repeat(1000)]));
    for (let i = 0; i < 60; i++) await put(ctx.call, exec, `o${String(i).padStart(2, '0')}`, object, i);
    const { body, bytes } = await fullSuggestions(exec);
    expect(bytes).toBeLessThanOrEqual(LIMIT_BYTES);
    expect(body.variables).toHaveLength(60);
    const shed = body.variables.map((item: any) => item.properties.length === 0);
    const firstShed = shed.indexOf(true);
    expect(firstShed).toBeGreaterThan(0);
    expect(shed.slice(firstShed).every(Boolean)).toBe(true); // a suffix: the last items lose theirs first
    for (const item of body.variables.slice(0, firstShed)) {
      expect(item.properties).toHaveLength(100);
      expect(item).not.toHaveProperty('properties_truncated');
    }
    for (const item of body.variables.slice(firstShed)) expect(item.properties_truncated).toBe(true);
  }, 120_000);
});

describe('time: search', () => {
  test('1,000 names of 190 code points and q = "ba"×50: the exact §5 scores, while the instance serves others', async () => {
    const exec = newExecutionId('search-cpu');
    const names = abNames(1000, 1);
    await seedBatches(
      ctx.call,
      exec,
      names.map((name, i) => ({ variable_name: name, value: 1, source_step_index: i })),
    );
    const q = 'ba'.repeat(50);
    const { answer, bystanders } = await duringAttack(ctx.call, () => ctx.call('GET', `${searchPath(exec)}?q=${q}&limit=20`));
    expectBystandersServed(bystanders);
    const body = expectOk(answer);
    const expected = searchVariablesUnpruned(
      q,
      names.map((name) => ({ name })),
      20,
    );
    expect(body.matches.map((m: any) => [m.name, m.match_score])).toEqual(expected.map((m) => [m.candidate.name, m.match_score]));
  }, 90_000);
});

describe('time: the request budget bounds CPU-bound work', () => {
  let server: LocalServer;
  let call: Call;
  const exec = newExecutionId('budget');

  beforeAll(async () => {
    // Seeded under the default budget, then served again from the same data with a tiny one.
    const dataDir = temporaryDataDir();
    const seeding = await startLocalServer({ STORAGE: '', DATA_DIR: dataDir });
    await seedBatches(
      api(seeding.baseUrl),
      exec,
      // 12,000 names: scoring them takes well past the 1.5 s budget even on a quiet machine (5,000 did not, always).
      abNames(12_000, 2).map((name, i) => ({ variable_name: name, value: 1, source_step_index: i })),
    );
    await seeding.stop();
    server = await startLocalServer({ STORAGE: '', DATA_DIR: dataDir, REQUEST_BUDGET_MS: '1500' });
    call = api(server.baseUrl);
    // Reading 5,000 heads from disk may itself take a while on a loaded machine: warm the snapshot first,
    // so the attack below spends its budget on scoring (a timed-out read still fills the cache).
    for (let attempt = 0; attempt < 30; attempt++) {
      if ((await call('GET', `${suggestionsPath(exec)}?limit=1&include_properties=false`)).status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  test('a search past REQUEST_BUDGET_MS is 504 TIMEOUT, and bystanders are served meanwhile', async () => {
    const { answer, bystanders } = await duringAttack(call, () => call('GET', `${searchPath(exec)}?q=${'ba'.repeat(50)}`));
    expect(answer.status).toBe(504);
    expect(answer.json.error.code).toBe('TIMEOUT');
    expectBystandersServed(bystanders);
    // The instance is not left busy: a small request right after is answered too.
    expect((await call('GET', `${searchPath(exec)}?q=v1_`)).status).toBe(200);
  }, 60_000);
});
