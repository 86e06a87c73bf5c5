import type { JsonValue } from '#domain/json';
import type { VariableWrite } from '#domain/variable';

/** A write as a test needs it: from step 1 (or `step`), no source method or params, not sensitive, unless `extra` says otherwise. */
export const write = (name: string, value: JsonValue, step = 1, extra: Partial<VariableWrite> = {}): VariableWrite => ({
  variable_name: name,
  value,
  source_step_index: step,
  source_api_method: null,
  source_api_params: null,
  sensitive: false,
  ...extra,
});
