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
