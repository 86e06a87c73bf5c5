/** HintService over in-memory ports: suggestions (full and basic), search and properties. */
import type { JsonValue } from '#domain/json';
import { parseJson } from '#domain/ordered-json';
import type { SuggestionsRequest } from '#services/hints';
import { inMemoryServices } from '../../support/in-memory';
import { databaseDown, rejection, write } from './support';

const request = (extra: Partial<SuggestionsRequest> = {}): SuggestionsRequest => ({
  executionId: 'e1',
  stepIndex: undefined,
  includeProperties: true,
  limit: undefined,
  form: 'standard',
  ...extra,
});

interface Suggestions {
  variables: Array<{ name: string; properties?: Array<{ name: string; path: string }>; properties_truncated?: true }>;
  total_count: number;
  mode: 'full' | 'basic';
  current_step_index: number | null;
}

async function suggestions(services: ReturnType<typeof inMemoryServices>, extra: Partial<SuggestionsRequest> = {}): Promise<Suggestions> {
  return parseJson(await services.hints.suggestionsJson(request(extra))) as Suggestions;
}

describe('suggestions', () => {
  it('variables visible before the step, in list order, cut to the limit; properties only for objects and arrays', async () => {
    const services = inMemoryServices();
    await services.variables.put('e1', write('user', parseJson('{"name":"x","10":1,"2":2}') as JsonValue, 1));
    await services.variables.put('e1', write('count', 3, 2));
    await services.variables.put('e1', write('late', 'x', 5));
    const answer = await suggestions(services, { stepIndex: 5 });
    expect(answer).toMatchObject({ mode: 'full', total_count: 2, current_step_index: 5 });
    expect(answer.variables.map((item) => item.name)).toEqual(['user', 'count']);
    expect(answer.variables[0].properties?.map((property) => property.path)).toEqual(['user.name', 'user.10', 'user.2']);
    expect(answer.variables[1].properties).toBeUndefined();
    expect((await suggestions(services, { limit: 1 })).variables.map((item) => item.name)).toEqual(['user']);
    expect((await suggestions(services, { includeProperties: false })).variables[0].properties).toBeUndefined();
  });

  it("the rendered answer is kept for the execution's data epoch, and a write makes a new one", async () => {
    const services = inMemoryServices();
    await services.variables.put('e1', write('a', 1));
    const first = await services.hints.suggestionsJson(request());
    const listings = services.store.calls.listHeads;
    expect(await services.hints.suggestionsJson(request())).toBe(first);
    expect(services.store.calls.listHeads).toBe(listings);
    await services.variables.put('e1', write('b', 2));
    expect((await suggestions(services)).variables.map((item) => item.name)).toEqual(['a', 'b']);
  });

  it("the original editor's form (items with preview) is rendered and kept apart from /v1's, from the same listing", async () => {
    const services = inMemoryServices();
    await services.variables.put('e1', write('user', { name: 'x' }, 1));
    const standard = await services.hints.suggestionsJson(request());
    const editor = await services.hints.suggestionsJson(request({ form: 'editor' }));
    const { preview_value } = (parseJson(standard) as { variables: Array<{ preview_value: string }> }).variables[0];
    // The one item's last field is `preview`, just before the list closes.
    expect(editor).toBe(standard.replace('}],"total_count"', `,"preview":${JSON.stringify(preview_value)}}],"total_count"`));
    const listings = services.store.calls.listHeads;
    expect(await services.hints.suggestionsJson(request({ form: 'editor' }))).toBe(editor);
    expect(await services.hints.suggestionsJson(request())).toBe(standard);
    expect(services.store.calls.listHeads).toBe(listings);
  });

  it(
    'with the store down, basic suggestions from the last snapshot seen (no properties), or none, ' + 'and degraded mode is signalled',
    async () => {
      const services = inMemoryServices();
      await services.variables.put('e1', write('obj', { a: 1 }));
      await suggestions(services);
      services.store.failure = databaseDown();
      const basic = await suggestions(services);
      expect(basic).toMatchObject({ mode: 'basic', total_count: 1 });
      expect(basic.variables[0]).not.toHaveProperty('properties');
      expect(await suggestions(services, { executionId: 'never-seen' })).toMatchObject({ mode: 'basic', variables: [], total_count: 0 });
      expect(services.signals.recorded).toContainEqual({ signal: 'degraded', feature: 'suggestions' });
    },
  );

  it('reads large (not inline) values for their properties', async () => {
    const services = inMemoryServices({ inlinePayloadBytes: 0 });
    await services.variables.put('e1', write('big', { first: 1, second: [1, 2] }));
    const answer = await suggestions(services);
    expect(answer.variables[0].properties?.map((property) => property.name)).toEqual(['first', 'second']);
  });
});

describe('search', () => {
  it('ranks the names visible before the step, the best matches first', async () => {
    const services = inMemoryServices();
    await services.variables.put('e1', write('user_name', 'a', 1));
    await services.variables.put('e1', write('user_id', 1, 1));
    await services.variables.put('e1', write('order_total', 1, 1));
    await services.variables.put('e1', write('user_later', 1, 9));
    const found = await services.hints.search('e1', 'user', 5, 10);
    const names = found.map((match) => match.name);
    expect(names.slice(0, 2).sort()).toEqual(['user_id', 'user_name']);
    expect(names).not.toContain('user_later');
    expect(found[0]).toMatchObject({ data_type: expect.any(String), preview_value: expect.any(String) });
  });
});

describe('properties', () => {
  it('lists what a path reaches, keeps key order, and names the path in its failures', async () => {
    const services = inMemoryServices();
    await services.variables.put('e1', write('order', parseJson('{"items":[{"9":1,"sku":"a"}],"total":3}') as JsonValue));
    const listing = await services.hints.properties('e1', 'order.items[0]', 3);
    expect(listing).toMatchObject({ variable_name: 'order.items[0]', data_type: 'object' });
    expect(listing.properties.map((property) => property.name)).toEqual(['9', 'sku']);
    expect(await rejection(services.hints.properties('e1', 'order.missing', 3))).toMatchObject({
      code: 'PROPERTY_NOT_FOUND',
      details: { path: 'order.missing' },
    });
    expect(await rejection(services.hints.properties('e1', 'order.total.x', 3))).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await rejection(services.hints.properties('e1', 'ghost', 3))).toMatchObject({ code: 'VARIABLE_NOT_FOUND' });
  });
});
