/**
 * The typed client of clients/typescript against a real server: generated types, openapi-fetch
 * calls, bearer token and language options; and it bundles for a browser with esbuild.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { createVariableServiceClient, isServiceError } from '@variable-service/client';
import { checkedFetch } from '../support/contract-http';
import { newExecutionId, useServer } from './support';

const TOKEN = 'typed-client-token';
const ctx = useServer({ API_TOKEN: TOKEN });

describe('typed client', () => {
  test('stores, reads (with ETag) and lists a variable', async () => {
    const client = createVariableServiceClient({ baseUrl: ctx.baseUrl, token: TOKEN, fetch: checkedFetch });
    const execution_id = newExecutionId('client');
    const stored = await client.PUT('/api/v1/executions/{execution_id}/variables/{variable_name}', {
      params: { path: { execution_id, variable_name: 'product_info' } },
      body: { value: { name: 'phone', specs: { color: 'black' } }, source_step_index: 1, source_api_method: 'aiQuery' },
    });
    expect(stored.response.status).toBe(201);
    expect(stored.data?.version).toBe(1);
    expect(stored.response.headers.get('etag')).toBe('"1"');

    const read = await client.GET('/api/v1/executions/{execution_id}/variables/{variable_name}', {
      params: { path: { execution_id, variable_name: 'product_info' } },
    });
    expect(read.data?.value).toEqual({ name: 'phone', specs: { color: 'black' } });

    const listed = await client.GET('/api/v1/executions/{execution_id}/variables', {
      params: { path: { execution_id }, query: { limit: 10, include_values: true } },
    });
    expect(listed.data?.variables.map((v) => [v.variable_name, v.preview_value])).toEqual([
      ['product_info', '{"name": ..., "specs": ...}'],
    ]);

    const suggestions = await client.GET('/api/executions/{execution_id}/variable-suggestions', {
      params: { path: { execution_id }, query: { step_index: 2 } },
    });
    expect(suggestions.data?.variables[0]).toMatchObject({ name: 'product_info', preview: '{"name": ..., "specs": ...}' });
  });

  test('errors come back typed, in the language asked for; a missing token is 401', async () => {
    const execution_id = newExecutionId('client');
    const zh = createVariableServiceClient({ baseUrl: ctx.baseUrl, token: TOKEN, language: 'zh', fetch: checkedFetch });
    const missing = await zh.GET('/api/v1/executions/{execution_id}/variables/{variable_name}', {
      params: { path: { execution_id, variable_name: 'nope' } },
    });
    expect(missing.response.status).toBe(404);
    expect(isServiceError(missing.error)).toBe(true);
    expect(missing.error?.error.code).toBe('VARIABLE_NOT_FOUND');
    expect(missing.error?.user_message).toMatch(/[\u4e00-\u9fff]/);

    const anonymous = createVariableServiceClient({ baseUrl: `${ctx.baseUrl}/`, fetch: checkedFetch });
    const refused = await anonymous.GET('/api/v1/executions/{execution_id}', { params: { path: { execution_id } } });
    expect(refused.response.status).toBe(401);
    expect(refused.response.headers.get('www-authenticate')).toBe('Bearer');
    const health = await anonymous.GET('/api/health');
    expect(health.data?.status).toBe('ok');
  });

  test('the served document is the one the client was generated from (and npm test lints)', async () => {
    const client = createVariableServiceClient({ baseUrl: ctx.baseUrl, fetch: checkedFetch });
    const served = await client.GET('/api/openapi.json');
    const committed = JSON.parse(readFileSync(path.resolve(__dirname, '../../clients/typescript/openapi.json'), 'utf8'));
    expect({ ...served.data, info: { ...served.data!.info, version: committed.info.version } }).toEqual(committed);
  });

  test('a custom fetch is used for every call', async () => {
    const seen: string[] = [];
    const client = createVariableServiceClient({
      baseUrl: ctx.baseUrl,
      token: TOKEN,
      fetch: (input: Request) => {
        seen.push(`${input.method} ${new URL(input.url).pathname}`);
        return checkedFetch(input);
      },
    });
    await client.GET('/api/openapi.json');
    expect(seen).toEqual(['GET /api/openapi.json']);
  });

  test('bundles for a browser with esbuild (no Node built-ins)', async () => {
    const result = await build({
      entryPoints: [path.resolve(__dirname, '../../clients/typescript/src/index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      minify: true,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0].text;
    expect(code).toContain('createVariableServiceClient');
    expect(code).not.toMatch(/require\(["']node:/);
    expect(code.length).toBeLessThan(30_000);
  });
});
