/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
// page.evaluate callbacks run in the page: they are typed against the DOM.
/**
 * The step editor page (issue 10 items 2-4) in a real browser: Debian's Chromium driven by
 * playwright-core against `npm start`'s server, whose database is a dynalite this file owns (so
 * the last tests can take the database, then the whole service, away under an open page).
 * One browser, one server; each test opens its own page (fresh profile). Screenshots of the main
 * states go to ./screenshots, the menu latency at 1,000 variables to ./reports (measured, not asserted).
 */
import type { Browser, Page } from 'playwright-core';
import { api, startLocalServer, type LocalServer } from '../../support/local-server';
import { hasCjk, newExecutionId, seed, seedOneByOne, type Call } from '../hints-support';
import { launchBrowser, openEditor, screenshot, writeReport, type EditorPage } from './browser-harness';
import { startExternalDynamo, type ExternalDynamo } from '../../support/external-dynamo';

const HOSTILE = '<img src=x onerror="window.__pwned=1">';
const HOSTILE_KEY = '<b>k</b>';

let dynamo: ExternalDynamo;
let server: LocalServer;
let call: Call;
let browser: Browser;
const opened: EditorPage[] = [];
/** Pages that outlive one test (the degradation tests share one). */
const kept = new Set<EditorPage>();

const exec = newExecutionId('editor');
const big = newExecutionId('editor-1000');
const BIG_COUNT = 1000;

beforeAll(async () => {
  dynamo = await startExternalDynamo();
  [server, browser] = await Promise.all([startLocalServer({ DYNAMODB_ENDPOINT: dynamo.endpoint, STORAGE: undefined }), launchBrowser()]);
  call = api(server.baseUrl);
  // One by one, so the list order (step, then time of writing) is the order written here.
  await seedOneByOne(call, exec, [
    {
      name: 'product_info',
      value: { name: 'Phone X', price: 699, tags: ['new', '5g'], specs: { color: 'black', storage: '256GB' } },
      step: 0,
    },
    { name: 'product_count', value: 42, step: 0 },
    {
      name: 'items',
      value: [
        { sku: 'a1', qty: 2 },
        { sku: 'b2', qty: 1 },
      ],
      step: 1,
    },
    { name: 'hostile', value: HOSTILE, step: 1 },
    { name: 'api_key', value: 'sk-secret-123', step: 1, sensitive: true },
    { name: 'odd_keys', value: { [HOSTILE_KEY]: '<script>window.__pwned=2</script>' }, step: 2 },
    { name: 'user_name', value: 'Ann', step: 2 },
    { name: 'later_var', value: 'written by step 5', step: 5 },
  ]);
  await seed(
    call,
    big,
    Array.from({ length: BIG_COUNT }, (_, i) => ({
      name: `var_${String(i).padStart(4, '0')}`,
      value: i % 3 === 0 ? { id: i, label: `item ${i}` } : i % 3 === 1 ? `value ${i}` : i,
      step: Math.floor(i / 100),
    })),
  );
}, 180_000);

// Each test's pages close when it ends (their renderers would otherwise idle on the 2 shared cores).
afterEach(async () => {
  for (const editor of opened.splice(0)) if (!kept.has(editor)) await editor.context.close().catch(() => undefined);
  opened.push(...kept);
});

afterAll(async () => {
  for (const { context } of opened) await context.close().catch(() => undefined);
  await browser?.close();
  await server?.stop();
  await dynamo?.stop();
}, 60_000);

const VISIBLE_AT_3 = ['product_info', 'product_count', 'items', 'hostile', 'api_key', 'odd_keys', 'user_name'];

async function open(query: Record<string, string> = { execution: exec, step: '3' }, locale = 'en-US', keep = false): Promise<Page> {
  const editor = await openEditor(browser, server.baseUrl, query, locale);
  opened.push(editor);
  if (keep) kept.add(editor);
  return editor.page;
}

/** The menu's row names once it shows exactly `expected` (waits for answers to arrive). */
async function expectMenu(page: Page, expected: string[]): Promise<void> {
  try {
    await page.waitForFunction(
      (names) => {
        const menu = document.querySelector<HTMLElement>('#hint-menu')!;
        const shown = [...menu.querySelectorAll<HTMLElement>('.hint-item')].map((row) => row.dataset.name);
        return !menu.hidden && JSON.stringify(shown) === JSON.stringify(names);
      },
      expected,
      { timeout: 10_000 },
    );
  } catch {
    throw new Error(
      `menu shows ${JSON.stringify(await menuNames(page))} (hidden: ${await page.locator('#hint-menu').isHidden()}), ` +
        `expected ${JSON.stringify(expected)}; menu text: ${await page
          .locator('#hint-menu')
          .innerText()
          .catch(() => '')}`,
    );
  }
}

const menuNames = (page: Page): Promise<string[]> =>
  page.$$eval('#hint-menu .hint-item', (rows) => rows.map((row) => (row as HTMLElement).dataset.name ?? ''));

async function typeInto(page: Page, field: string, text: string): Promise<void> {
  await page.locator(`#field-${field}`).click();
  await page.locator(`#field-${field}`).pressSequentially(text);
}

async function fieldState(page: Page, field: string): Promise<{ value: string; caret: number }> {
  return page
    .locator(`#field-${field}`)
    .evaluate((node) => ({ value: (node as HTMLTextAreaElement).value, caret: (node as HTMLTextAreaElement).selectionStart }));
}

describe('the step editor page at /', () => {
  test('is served by the local server with its bundle, and the API around it is unchanged', async () => {
    const page = await fetch(`${server.baseUrl}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const script = await fetch(`${server.baseUrl}/editor/editor.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(1000);
    expect((await call('GET', '/editor/nothing.js')).json.error.code).toBe('ROUTE_NOT_FOUND');
    expect((await call('POST', '/', {})).json.error.code).toBe('ROUTE_NOT_FOUND');
  });

  test('typing ${ lists the variables visible before the step, in step order, with type and preview', async () => {
    const page = await open();
    await typeInto(page, 'query', 'Search for ${');
    await expectMenu(page, VISIBLE_AT_3);
    const rows = await page.$$eval('#hint-menu .hint-item', (nodes) =>
      nodes.map((row) => ({
        type: row.querySelector('.type')!.textContent,
        step: row.querySelector('.step')!.textContent,
        preview: row.querySelector('.preview')!.textContent,
      })),
    );
    expect(rows[0]).toEqual({ type: 'object', step: 'step 0', preview: '{"name": ..., "price": ..., "tags": ..., ...}' });
    expect(rows[1]).toEqual({ type: 'number', step: 'step 0', preview: '42' });
    expect(rows[4]).toEqual({ type: 'string', step: 'step 1', preview: '"******"' });
    await screenshot(page, '01-menu-on-dollar-brace');
  });

  test('filters by prefix as one types, then adds the search endpoint\u2019s fuzzy matches', async () => {
    const page = await open();
    await typeInto(page, 'query', '${prod');
    await expectMenu(page, ['product_info', 'product_count']);
    expect(await page.locator('#hint-menu .hint-item mark').first().textContent()).toBe('prod');
    await page.locator('#field-query').fill('');
    await typeInto(page, 'query', '${prdct');
    // Nothing starts with "prdct": both come from the search endpoint (difflib ratio ≥ 0.2), marked as similar.
    await page.waitForFunction(() => document.querySelectorAll('#hint-menu .hint-item .fuzzy').length >= 2, undefined, { timeout: 10_000 });
    const names = await menuNames(page);
    expect(names.slice(0, 2).sort()).toEqual(['product_count', 'product_info']);
    expect(names).not.toContain('later_var');
    await screenshot(page, '02-menu-filtered-fuzzy');
  });

  test('↑/↓ and Enter/Tab insert name} with the caret after it; Esc closes; Ctrl+Space opens', async () => {
    const page = await open();
    await typeInto(page, 'query', 'Hello ${');
    await expectMenu(page, VISIBLE_AT_3);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    expect(await fieldState(page, 'query')).toEqual({ value: 'Hello ${product_count}', caret: 'Hello ${product_count}'.length });
    await expect(page.locator('#hint-menu').isHidden()).resolves.toBe(true);
    await page.keyboard.type('!');
    expect((await fieldState(page, 'query')).value).toBe('Hello ${product_count}!');

    // In the middle of text, with Tab; what follows the caret stays.
    await page.locator('#field-locate').fill('A  B');
    await page.locator('#field-locate').evaluate((node) => (node as HTMLTextAreaElement).setSelectionRange(2, 2));
    await page.locator('#field-locate').pressSequentially('${us');
    await expectMenu(page, ['user_name']);
    await page.keyboard.press('Tab');
    expect(await fieldState(page, 'locate')).toEqual({ value: 'A ${user_name} B', caret: 'A ${user_name}'.length });

    // Esc closes, and typing on in the same reference does not reopen it.
    await page.locator('#field-extra').click();
    await page.keyboard.type('${');
    await expectMenu(page, VISIBLE_AT_3);
    await page.keyboard.press('Escape');
    await page.keyboard.type('it');
    expect(await page.locator('#hint-menu').isHidden()).toBe(true);
    // Ctrl+Space opens it again where the caret is…
    await page.keyboard.press('Control+Space');
    await expectMenu(page, ['items']);
    await page.keyboard.press('Enter');
    expect((await fieldState(page, 'extra')).value).toBe('${items}');
    // …and outside a reference it starts one.
    await page.keyboard.type(' ');
    await page.keyboard.press('Control+Space');
    await expectMenu(page, VISIBLE_AT_3);
    expect((await fieldState(page, 'extra')).value).toBe('${items} ${');
  });

  test('${name. lists properties, and so on down nested objects; array elements as [0] and [-1]', async () => {
    const page = await open();
    await typeInto(page, 'query', '${product_info.');
    await expectMenu(page, ['name', 'price', 'tags', 'specs']);
    await page.keyboard.type('spe');
    await expectMenu(page, ['specs']);
    await page.keyboard.type('cs.');
    await expectMenu(page, ['color', 'storage']);
    await screenshot(page, '03-nested-properties');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    expect(await fieldState(page, 'query')).toEqual({
      value: '${product_info.specs.storage}',
      caret: '${product_info.specs.storage}'.length,
    });

    await typeInto(page, 'locate', '${items.');
    await expectMenu(page, ['[0]', '[1]', '[-1]']);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    expect(await fieldState(page, 'locate')).toEqual({ value: '${items[-1]}', caret: '${items[-1]}'.length });

    await page.locator('#field-extra').click();
    await page.keyboard.type('${items[0].');
    await expectMenu(page, ['sku', 'qty']);
    await screenshot(page, '04-array-element-properties');
  });

  test('a wrong reference is underlined with the service\u2019s error and suggestion (English)', async () => {
    const page = await open();
    await typeInto(page, 'query', 'Price: ${product_info.prise} of ${product_info.name}');
    const error = page.locator('#parameters .field[data-param="query"] .reference-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.getAttribute('data-reference')).toBe('${product_info.prise}');
    const text = await error.innerText();
    expect(text).toContain("Property 'prise' not found");
    for (const key of ['price', 'name', 'tags']) expect(text).toContain(key);
    const underlined = page.locator('.field[data-param="query"] .backdrop .ref-invalid');
    expect(await underlined.allTextContents()).toEqual(['${product_info.prise}']);
    expect(await underlined.evaluate((node) => getComputedStyle(node).textDecorationLine)).toContain('underline');
    expect(await page.locator('.field[data-param="query"] .backdrop .ref-valid').allTextContents()).toEqual(['${product_info.name}']);
    await screenshot(page, '05-inline-error-en');
  });

  test('…and in Chinese for a browser that prefers zh', async () => {
    const page = await open({ execution: exec, step: '3' }, 'zh-CN');
    expect(await page.locator('h1').textContent()).toBe('步骤编辑器');
    await typeInto(page, 'query', '${product_info.prise}');
    const error = page.locator('.field[data-param="query"] .reference-error');
    await error.waitFor({ timeout: 10_000 });
    const text = await error.innerText();
    expect(hasCjk(text)).toBe(true);
    expect(text).toContain('prise');
    await screenshot(page, '06-inline-error-zh');
  });

  test('the preview pane shows the step resolved (record: false), typed values typed, secrets masked', async () => {
    const page = await open();
    const resolves: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/resolve')) resolves.push(request.postData() ?? '');
    });
    await typeInto(page, 'query', 'Buy ${product_info.name} x${product_count}');
    await page
      .locator('#field-extra')
      .fill(
        '{"count": "${product_count}", "secret": "${api_key}", "header": "Bearer ${api_key}", "tags": ' +
          '"${product_info.tags}", "missing": "${nope}"}',
      );
    await page.locator('#field-extra').dispatchEvent('input');
    await page.waitForFunction(
      () =>
        document.querySelector('#preview-output')?.textContent?.includes('"missing"') &&
        document.querySelector<HTMLElement>('#preview-output')!.dataset.state === 'resolved',
      undefined,
      { timeout: 10_000 },
    );
    const shown = JSON.parse(await page.locator('#preview-output').innerText());
    expect(shown).toEqual({
      query: 'Buy Phone X x42',
      count: 42,
      secret: '******',
      header: 'Bearer ******',
      tags: ['new', '5g'],
      missing: '${nope}',
    });
    expect(await page.locator('#preview-output .json-number').allTextContents()).toEqual(['42']);
    expect(await page.locator('#preview-summary').textContent()).toBe('7 references: 6 resolved, 1 unresolved');
    expect(await page.locator('#preview-failures').innerText()).toContain('${nope}');
    expect(await page.content()).not.toContain('sk-secret-123');
    expect(resolves.length).toBeGreaterThan(0);
    for (const body of resolves) expect(JSON.parse(body).record).toBe(false);
    await screenshot(page, '07-resolved-preview');
  });

  test('values are text wherever they are rendered: a hostile value or key never becomes markup', async () => {
    const page = await open();
    await typeInto(page, 'query', '${');
    await expectMenu(page, VISIBLE_AT_3);
    expect(await page.locator('#hint-menu .hint-item[data-name="hostile"] .preview').textContent()).toBe(
      JSON.stringify(HOSTILE).replace(/\\"/g, '"'),
    );
    await page.keyboard.type('odd_keys.');
    await expectMenu(page, [HOSTILE_KEY]);
    await page.keyboard.press('Enter');
    await page.keyboard.type(' ${hostile} ${nope.<img/src=x/onerror=window.__pwned=3>}');
    await page.waitForFunction(() => document.querySelector('#preview-output')?.textContent?.includes('<script>'), undefined, {
      timeout: 10_000,
    });
    await page.locator('.field[data-param="query"] .reference-error').waitFor({ timeout: 10_000 });
    await screenshot(page, '08-hostile-values-as-text');
    const state = await page.evaluate(() => ({
      pwned: (window as unknown as { __pwned?: number }).__pwned,
      images: document.querySelectorAll('img').length,
      scripts: document.querySelectorAll('body script').length,
      bold: document.querySelectorAll('#hint-menu b, #preview-output b, .backdrop b').length,
      preview: JSON.parse(document.querySelector('#preview-output')!.textContent!).query,
    }));
    expect(state).toEqual({
      pwned: undefined,
      images: 0,
      scripts: 0,
      bold: 0,
      preview: `<script>window.__pwned=2</script> ${HOSTILE} \${nope.<img/src=x/onerror=window.__pwned=3>}`,
    });
  });

  test('1,000 variables: the menu opens from memory (latency reported), requests are debounced and cancelled', async () => {
    const page = await open({ execution: big, step: '10' });
    // The page fetched the step's list when the scope was set; wait until it holds it.
    await page.locator('#field-query').click();
    await page.keyboard.type('${');
    await page.waitForFunction(() => document.querySelectorAll('#hint-menu .hint-item').length > 0, undefined, { timeout: 20_000 });
    await page.keyboard.press('Escape');
    await page.locator('#field-query').fill('');
    // The one list request (made when the scope was set; the menu never waits for it afterwards).
    const listRequestMs = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .filter((entry) => entry.name.includes('/variable-suggestions?'))
        .map((entry) => Math.round(entry.duration)),
    );

    // From the "{" of "${" to the menu: its keydown (includes the driver delivering the character
    // as a second event) and its input event (the editor's own work) → rows in the DOM, and → the
    // next animation frame (painted).
    await page.evaluate(() => {
      type Times = { keydown_to_dom: number; keydown_to_frame: number; input_to_dom: number; input_to_frame: number };
      const w = window as unknown as { __menuTimes: Times[]; __keyAt?: number; __inputAt?: number };
      w.__menuTimes = [];
      const menu = document.querySelector<HTMLElement>('#hint-menu')!;
      document.addEventListener(
        'keydown',
        (event) => {
          if (event.key === '{') w.__keyAt = performance.now();
        },
        true,
      );
      document.addEventListener(
        'input',
        (event) => {
          if ((event as InputEvent).data === '{') w.__inputAt = performance.now();
        },
        true,
      );
      new MutationObserver(() => {
        const { __keyAt: keyAt, __inputAt: inputAt } = w;
        if (
          keyAt === undefined ||
          inputAt === undefined ||
          menu.hidden ||
          menu.dataset.state !== 'ready' ||
          !menu.querySelector('.hint-item')
        )
          return;
        w.__keyAt = undefined;
        w.__inputAt = undefined;
        const now = performance.now();
        requestAnimationFrame(() => {
          const frame = performance.now();
          w.__menuTimes.push({
            keydown_to_dom: now - keyAt,
            keydown_to_frame: frame - keyAt,
            input_to_dom: now - inputAt,
            input_to_frame: frame - inputAt,
          });
        });
      }).observe(menu, { childList: true, attributes: true });
    });
    const ROUNDS = 15;
    for (let round = 0; round < ROUNDS; round += 1) {
      await page.keyboard.type('${');
      await page.waitForFunction((count) => (window as unknown as { __menuTimes: unknown[] }).__menuTimes.length >= count, round + 1, {
        timeout: 10_000,
      });
      await page.keyboard.press('Escape');
      await page.locator('#field-query').fill('');
    }
    const times = await page.evaluate(() => (window as unknown as { __menuTimes: Array<Record<string, number>> }).__menuTimes);
    expect(times).toHaveLength(ROUNDS);
    expect(await page.locator('#hint-menu .hint-item').count()).toBe(0);

    // Debounced and cancelled: typing a name at full speed sends far fewer searches and validations than keystrokes.
    const sent = { search: 0, validate: 0, aborted: 0 };
    page.on('request', (request) => {
      if (request.url().includes('/variable-suggestions/search')) sent.search += 1;
      if (request.url().endsWith('/variables/validate')) sent.validate += 1;
    });
    page.on('requestfailed', (request) => {
      if (/ERR_ABORTED|cancel/i.test(request.failure()?.errorText ?? '')) sent.aborted += 1;
    });
    const typed = 'Use ${var_0999} and ${var_0998} please';
    await page.keyboard.type(typed);
    await page.waitForSelector('.field[data-param="query"] .backdrop .ref-valid', { timeout: 10_000 });
    await page.keyboard.type(' ${var_05');
    await expectMenu(
      page,
      Array.from({ length: 50 }, (_, i) => `var_${String(500 + i).padStart(4, '0')}`),
    );
    expect(sent.validate).toBeLessThan(typed.length / 4);
    expect(sent.search).toBeLessThan(7);

    // Superseded means cancelled: hold a search at the network, type on, and the held one is aborted by the page.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held: string[] = [];
    const aborted: string[] = [];
    page.on('requestfailed', (request) => {
      if (request.url().includes('/variable-suggestions/search')) aborted.push(new URL(request.url()).searchParams.get('q') ?? '');
    });
    await page.route('**/variable-suggestions/search?**', async (route) => {
      held.push(new URL(route.request().url()).searchParams.get('q') ?? '');
      await gate;
      await route.continue().catch(() => undefined); // the page may have aborted it meanwhile
    });
    await page.keyboard.type('9');
    for (let i = 0; i < 100 && held.length === 0; i += 1) await page.waitForTimeout(50);
    expect(held).toEqual(['var_059']);
    await page.keyboard.type('9');
    for (let i = 0; i < 100 && aborted.length === 0; i += 1) await page.waitForTimeout(50);
    release();
    await page.unroute('**/variable-suggestions/search?**');
    expect(aborted).toEqual(['var_059']);
    await expectMenu(page, ['var_0599']);

    const summary = (key: string) => {
      const values = times.map((time) => time[key]).sort((a, b) => a - b);
      return {
        median_ms: round1(values[Math.floor(values.length / 2)]),
        p90_ms: round1(values[Math.floor(values.length * 0.9)]),
        max_ms: round1(values[values.length - 1]),
      };
    };
    const report = {
      what: 'Time from the keydown of "{" (after "$") to the menu of an execution with 1,000 visible variables, in headless Chromium',
      variables: BIG_COUNT,
      rows_drawn: 50,
      list_request_ms: listRequestMs,
      rounds: ROUNDS,
      input_to_rows_in_dom: summary('input_to_dom'),
      input_to_next_frame: summary('input_to_frame'),
      keydown_to_rows_in_dom: summary('keydown_to_dom'),
      keydown_to_next_frame: summary('keydown_to_frame'),
      requests_while_typing: { keystrokes: typed.length + ' ${var_05'.length, ...sent },
      superseded_search_aborted: aborted,
      measured_at: new Date().toISOString(),
    };
    const file = writeReport('menu-latency.json', report);
    console.log(`step editor menu latency (1,000 variables), written to ${file}:\n${JSON.stringify(report, null, 2)}`);
    await screenshot(page, '09-menu-1000-variables');
  });

  test('with API_TOKEN: without a token the banner says 401; the token field sends Authorization: Bearer', async () => {
    const guarded = await startLocalServer({ API_TOKEN: 'editor-token-1' });
    try {
      const guardedCall = api(guarded.baseUrl);
      const guardedExec = newExecutionId('editor-auth');
      const stored = await guardedCall(
        'PUT',
        `/api/v1/executions/${guardedExec}/variables/order_id`,
        { value: 'A-17', source_step_index: 0 },
        { Authorization: 'Bearer editor-token-1' },
      );
      expect(stored.status).toBe(201);
      const editor = await openEditor(browser, guarded.baseUrl, { execution: guardedExec, step: '1' });
      opened.push(editor);
      const page = editor.page;
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#banner')!.dataset.state === 'unauthorized', undefined, {
        timeout: 10_000,
      });
      const sent: Array<string | undefined> = [];
      page.on('request', (request) => {
        if (request.url().includes('/api/v1/')) sent.push(request.headers().authorization);
      });
      await page.locator('#connection summary').click();
      await page.locator('#api-token').fill('editor-token-1');
      await page.locator('#api-token').press('Tab');
      await typeInto(page, 'query', '${');
      await expectMenu(page, ['order_id']);
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#banner')!.hidden, undefined, { timeout: 10_000 });
      expect(sent.length).toBeGreaterThan(0);
      expect(new Set(sent)).toEqual(new Set(['Bearer editor-token-1']));
    } finally {
      await guarded.stop();
    }
  });

  describe('when the service degrades, the page says so and keeps working', () => {
    let page: Page;

    beforeAll(async () => {
      page = await open({ execution: exec, step: '3' }, 'en-US', true);
      await typeInto(page, 'query', '${');
      await expectMenu(page, VISIBLE_AT_3);
      await page.keyboard.press('Escape');
      await page.locator('#field-query').fill('');
      await dynamo.stop();
    }, 60_000);

    test('database gone: suggestions "basic" and validate "syntax_only" are announced; the menu still lists', async () => {
      // The page refreshes its list when the menu opens and the list is a few seconds old.
      await page.waitForTimeout(5_500);
      await typeInto(page, 'query', 'x ${');
      await page.waitForSelector('#banner:not([hidden])', { timeout: 15_000 });
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#banner')!.dataset.state!.includes('basic'), undefined, {
        timeout: 15_000,
      });
      await expectMenu(page, VISIBLE_AT_3);
      await page.keyboard.type('user_name} ${1bad}');
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#banner')!.dataset.state!.includes('syntax-only'), undefined, {
        timeout: 15_000,
      });
      // The grammar still catches what it can.
      await page.locator('.field[data-param="query"] .reference-error[data-reference="${1bad}"]').waitFor({ timeout: 10_000 });
      expect(await page.locator('#banner').innerText()).toContain('basic');
      await screenshot(page, '10-degraded-basic-banner');
    });

    test('service stopped: the banner says it is unreachable, the menu lists what the page has, syntax is still checked', async () => {
      await server.stop();
      await page.locator('#field-locate').click();
      await page.keyboard.type('${x.} ${');
      await page.waitForFunction(() => document.querySelector<HTMLElement>('#banner')!.dataset.state === 'down', undefined, {
        timeout: 15_000,
      });
      await expectMenu(page, VISIBLE_AT_3);
      await page.keyboard.type('prod');
      await expectMenu(page, ['product_info', 'product_count']);
      await page.keyboard.press('Enter');
      expect((await fieldState(page, 'locate')).value).toBe('${x.} ${product_info}');
      await page.locator('.field[data-param="locate"] .reference-error[data-reference="${x.}"]').waitFor({ timeout: 10_000 });
      expect(await page.locator('#banner').innerText()).toContain('unreachable');
      await page.locator('#preview-output[data-state="stale"]').waitFor({ timeout: 10_000 });
      expect(await page.locator('#preview-summary').textContent()).toContain('Out of date');
      await screenshot(page, '11-service-down-banner');
    });
  });
});

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
