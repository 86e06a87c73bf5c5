/**
 * The schemas that become `components.schemas` of the OpenAPI document. A schema registered here
 * with an id is written once in the document and referenced (`$ref`) wherever a route or another
 * schema uses it; everything else is inlined. Only the OpenAPI handler walks this registry, so
 * request parsing pays nothing for it.
 */
import * as z from 'zod';

export const contractRegistry = z.registry<{ id: string; description?: string }>();

/** Registers `schema` as the component `id` and returns it unchanged. */
export function component<T extends z.ZodType>(id: string, schema: T, description?: string): T {
  contractRegistry.add(schema, description === undefined ? { id } : { id, description });
  return schema;
}

/**
 * JSON Schema keywords a schema documents but checks its own way, e.g. a length in code points where
 * zod's min()/max() would count UTF-16 units. The OpenAPI document writes them as given.
 */
export const documentedKeywords = new WeakMap<z.ZodType, Record<string, unknown>>();

export function documented<T extends z.ZodType>(schema: T, keywords: Record<string, unknown>): T {
  documentedKeywords.set(schema, keywords);
  return schema;
}
