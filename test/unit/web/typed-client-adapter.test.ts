/** The step editor's calls (web/src/service/typed-client-adapter.ts): what goes on the wire, and how failures are told apart. */
import { createHintsService } from '../../../web/src/service/typed-client-adapter';
import { ServiceError } from '../../../web/src/service/port';

function recordingFetch(answer: () => Response | Promise<Response>) {
  const requests: Request[] = [];
  const fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    requests.push(input instanceof Request ? input : new Request(input, init));
    return answer();
  };
  return { requests, fetch: fetch as typeof globalThis.fetch };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const errorBody = (code: string) => ({
  success: false,
  error: {
    code,
    error_type: 'business_logic_error',
    message: `m ${code}`,
    details: {},
    request_id: 'r',
    timestamp: '2026-01-01T00:00:00.000Z',
  },
  user_message: `u ${code}`,
  suggestions: [],
});

test('token and language go as Authorization: Bearer and Accept-Language; a path is one encoded segment', async () => {
  const wire = recordingFetch(() => json(200, { variable_name: 'items[0]', data_type: 'object', properties: [] }));
  const service = createHintsService({ baseUrl: 'https://api.example.test/', token: 'jwt.abc', language: 'zh-CN', fetch: wire.fetch });
  await service.properties('exec-1', 'items[0]', new AbortController().signal);
  const [request] = wire.requests;
  expect(request.headers.get('authorization')).toBe('Bearer jwt.abc');
  expect(request.headers.get('accept-language')).toBe('zh-CN');
  const url = new URL(request.url);
  expect(url.origin).toBe('https://api.example.test');
  expect(decodeURIComponent(url.pathname)).toBe('/api/v1/executions/exec-1/variables/items[0]/properties');
  expect(url.pathname.split('/')[6]).toBe('items%5B0%5D');
});

test('resolve is a preview: record false, strict false', async () => {
  const wire = recordingFetch(() =>
    json(200, { execution_id: 'e', step_index: 2, params: {}, references: [], resolved_count: 0, unresolved_count: 0 }),
  );
  await createHintsService({ baseUrl: 'http://x.test', language: 'en', fetch: wire.fetch }).resolve(
    'e',
    2,
    { q: '${a}' },
    new AbortController().signal,
  );
  expect(await wire.requests[0].json()).toEqual({ step_index: 2, params: { q: '${a}' }, record: false, strict: false });
  expect(wire.requests[0].headers.get('authorization')).toBeNull();
});

test.each([
  [() => json(404, errorBody('PROPERTY_NOT_FOUND')), 'http', 'PROPERTY_NOT_FOUND'],
  [() => json(503, errorBody('SERVICE_UNAVAILABLE')), 'unavailable', 'SERVICE_UNAVAILABLE'],
  [() => Promise.reject(new TypeError('fetch failed')), 'unreachable', undefined],
])('failures are classified (%#)', async (answer, kind, code) => {
  const wire = recordingFetch(answer as () => Promise<Response>);
  const failure = await createHintsService({ baseUrl: 'http://x.test', language: 'en', fetch: wire.fetch })
    .suggestions('e', 1, new AbortController().signal)
    .catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(ServiceError);
  expect({ kind: (failure as ServiceError).kind, code: (failure as ServiceError).code }).toEqual({ kind, code });
  if (code) expect((failure as ServiceError).userMessage).toBe(`u ${code}`);
});
