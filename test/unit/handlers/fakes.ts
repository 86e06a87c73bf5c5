import type { IdempotencyGate, RememberedResponse } from '#adapters/idempotency-gate';
import { readSettings, type Settings } from '#config/settings';
import type { VariableMetadata } from '#domain/variable';
import { ConcurrencyLimit } from '#middleware/concurrency-limit';

/** Settings as the default environment gives them, with a test's own on top. */
export function testSettings(overrides: Partial<Settings> = {}): Settings {
  return { ...readSettings({}), ...overrides };
}

export function limits() {
  return { concurrency: new ConcurrencyLimit(4), rateLimiter: undefined };
}

export function metadata(name: string, version: number): VariableMetadata {
  return {
    execution_id: 'run-1',
    variable_name: name,
    data_type: 'string',
    source_step_index: 0,
    source_api_method: null,
    version,
    size_bytes: 7,
    sensitive: false,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
  };
}

/** Remembers the first answer per scope, as the Powertools-backed gate does (without its body check). */
export function rememberingGate(): Pick<IdempotencyGate, 'run'> & { scopes: string[] } {
  const remembered = new Map<string, RememberedResponse>();
  const scopes: string[] = [];
  return {
    scopes,
    run: async (scope, _body, _context, write) => {
      scopes.push(scope);
      const known = remembered.get(scope);
      if (known) return known;
      const answer = await write();
      const kept = { statusCode: answer.statusCode, headers: answer.headers, body: answer.body };
      remembered.set(scope, kept);
      return kept;
    },
  };
}
