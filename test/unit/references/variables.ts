/** Test helper: a VariableLookup over a Map, the way services build it (never a plain object). */
import type { JsonValue } from '#domain/json';
import type { VariableEntry, VariableLookup } from '#domain/references/evaluate';

export function lookupOf(
  values: Record<string, JsonValue>,
  options: { sensitive?: string[]; steps?: Record<string, number> } = {},
): VariableLookup {
  const map = new Map<string, VariableEntry>();
  for (const name of Object.keys(values)) {
    map.set(name, {
      value: Object.getOwnPropertyDescriptor(values, name)!.value as JsonValue,
      sensitive: options.sensitive?.includes(name) ?? false,
      source_step_index: options.steps?.[name] ?? 0,
    });
  }
  return (name) => map.get(name);
}
