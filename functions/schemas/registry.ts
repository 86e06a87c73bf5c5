/**
 * The schemas that become `components.schemas` of the OpenAPI document. A schema registered here
 * with an id is written once in the document and referenced (`$ref`) wherever a route or another
 * schema uses it; everything else is inlined. Only the OpenAPI handler walks this registry, so
 * request parsing pays nothing for it.
 */
import * as z from 'zod/mini';

export const contractRegistry = z.registry<{ id: string; description?: string }>();

/** Registers `schema` as the component `id` and returns it unchanged. */
export function component<T extends z.ZodMiniType>(id: string, schema: T, description?: string): T {
  contractRegistry.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}

/**
 * A copy of `schema` documented with `metadata` (description, examples, JSON Schema keywords) in
 * zod's global registry, which the OpenAPI document reads. A copy, as classic zod's `.meta()` makes:
 * the schema it came from stays undocumented wherever else it is used.
 */
export function described<T extends z.ZodMiniType>(schema: T, metadata: z.core.GlobalMeta): T {
  const copy = schema.clone() as T;
  z.globalRegistry.add(copy, metadata);
  return copy;
}

/**
 * JSON Schema keywords a schema documents but checks its own way, e.g. a length in code points where
 * zod's min()/max() would count UTF-16 units. The OpenAPI document writes them as given.
 */
export const documentedKeywords = new WeakMap<z.ZodMiniType, Record<string, unknown>>();

export function documented<T extends z.ZodMiniType>(schema: T, keywords: Record<string, unknown>): T {
  documentedKeywords.set(schema, keywords);
  return schema;
}
