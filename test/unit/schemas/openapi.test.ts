/**
 * GET /api/openapi.json is generated from the route table (API.md §5 "Service"): a standard
 * validator (@redocly/cli, the recommended rules) finds no error in it, and it documents every
 * route, parameter, body, status and header the table declares.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ERROR_CATALOG } from '#domain/errors';
import { ROUTES } from '#functions/routes';
import { errorCodesByStatus, openApiDocument } from '#schemas/openapi';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const document = openApiDocument('0.0.0-test') as any;

describe('the OpenAPI document', () => {
  test('@redocly/cli lint (recommended rules) finds no error', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const { stdout, stderr } = await run(path.join(ROOT, 'node_modules/.bin/redocly'), ['lint', file, '--format=stylish'], {
      cwd: ROOT,
    }).catch((error: { stdout: string; stderr: string }) => {
      throw new Error(`redocly lint failed:\n${error.stdout}\n${error.stderr}`);
    });
    expect(`${stdout}${stderr}`).toMatch(/valid/i);
    expect(`${stdout}${stderr}`).not.toMatch(/\berror\b.*no-unresolved-refs/);
  }, 60_000);

  test('@seriousme/openapi-schema-validator (the official OpenAPI 3.1 JSON Schema) finds it valid', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    // The validator is ESM only: it runs in its own Node process.
    const script =
      "import { Validator } from '@seriousme/openapi-schema-validator'; const v = new Validator(); const r = await " +
      'v.validate(process.argv[1]); console.log(JSON.stringify({ valid: r.valid, version: v.version, errors: r.errors }));';
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script, file], { cwd: ROOT });
    expect(JSON.parse(stdout)).toEqual({ valid: true, version: '3.1' });
  }, 60_000);

  test('every $ref points at a component that exists', () => {
    const refs = JSON.stringify(document).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of refs) {
      const target = JSON.parse(`{${ref}}`).$ref as string;
      expect(target).toMatch(/^#\/components\/(schemas|responses)\//);
      const [, kind, name] = target.split('/').slice(1);
      expect(document.components[kind][name]).toBeDefined();
    }
  });

  test.each(ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s: parameters, body, every status and its headers',
    (_key, route) => {
      const operation = document.paths[route.path][route.method.toLowerCase()];
      expect(operation.operationId).toBe(route.operation);
      const names = operation.parameters.map((p: any) => `${p.in}:${p.name}`);
      for (const name of route.path.match(/\{(\w+)\}/g) ?? []) expect(names).toContain(`path:${name.slice(1, -1)}`);
      expect(Boolean(operation.requestBody)).toBe(route.request.body !== undefined);
      for (const [status, response] of Object.entries(route.responses)) {
        const documented = operation.responses[status];
        expect(documented).toBeDefined();
        if (status !== '204') expect(documented.content['application/json'].schema).toBeDefined();
        for (const header of Object.keys(response.headers ?? {})) expect(documented.headers[header]).toBeDefined();
      }
      for (const [status, codes] of errorCodesByStatus(route.errors)) {
        const schema = JSON.stringify(operation.responses[status].content['application/json'].schema);
        for (const code of codes) expect(schema).toContain(`"${code}"`);
      }
      if (route.authenticated) expect(operation.responses[401].headers['WWW-Authenticate']).toBeDefined();
      else expect(operation.security).toEqual([]);
      for (const status of ['429', '503'])
        if (operation.responses[status]) expect(operation.responses[status].headers['Retry-After']).toBeDefined();
    },
  );

  test('errors: one shape, codes and error types as enums from the catalog; 405 carries Allow', () => {
    const error = document.components.schemas.Error;
    expect(error.required).toEqual(['success', 'error', 'user_message', 'suggestions']);
    expect(document.components.schemas.ErrorCode.enum).toEqual(Object.keys(ERROR_CATALOG));
    expect(error.properties.error.properties.error_type.enum.sort()).toEqual(
      [...new Set(Object.values(ERROR_CATALOG).map((e) => e.errorType))].sort(),
    );
    expect(document.components.responses.MethodNotAllowed.headers.Allow).toBeDefined();
  });

  test('request bodies read as inputs (defaults optional), answers as outputs (all fields listed)', () => {
    const resolve = document.components.schemas.ResolveRequest;
    expect(resolve.required).toEqual(['step_index']);
    expect(document.components.schemas.VariableMetadata.required).toHaveLength(10);
    expect(document.components.schemas.VariableMetadata.additionalProperties).toBe(false);
  });
});
