import { parseJson } from '#domain/ordered-json';

/** JSON values as the API carries them, and the pure rules of API.md §3 about them. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export type DataType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

declare const serializationOf: unique symbol;
/**
 * JSON text made from a T (an answer rendered once and cached, say): a plain string is not one, so
 * whoever answers with the text still says, in its type, what the text holds.
 */
export type JsonText<T> = string & { readonly [serializationOf]: T };

export const MAX_VALUE_BYTES = 1_048_576;
export const MAX_NESTING_DEPTH = 64;

const utf8 = new TextEncoder();

export function dataTypeOf(value: JsonValue): DataType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as DataType;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Compact JSON; non-ASCII stays as UTF-8 (JSON.stringify never escapes it). */
export function compactJson(value: JsonValue): string {
  return JSON.stringify(value);
}

export function utf8ByteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function encodeUtf8(text: string): Uint8Array {
  return utf8.encode(text);
}

/** Size as API.md counts it: the UTF-8 bytes of the compact JSON. */
export function valueSizeBytes(value: JsonValue): number {
  return utf8ByteLength(compactJson(value));
}

/** Depth as API.md counts it: a scalar is 0, a container is 1 + its deepest member. Iterative so a hostile body cannot blow the stack. */
export function nestingDepth(value: unknown): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    const childDepth = depth + 1;
    if (childDepth > deepest) deepest = childDepth;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) stack.push([child, childDepth]);
  }
  return deepest;
}

/** First non-finite number inside a parsed value (JSON.parse turns 1e400 into Infinity). */
export function containsNonFiniteNumber(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'number' && !Number.isFinite(node)) return true;
    // One push per child: spreading a 130,000-element array would overflow the call stack.
    if (typeof node === 'object' && node !== null) for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push(child);
  }
  return false;
}

/** Deep copy through JSON so `__proto__` keys stay own data properties (spread/assign would set the prototype) and key order holds. */
export function deepCopy<T extends JsonValue>(value: T): T {
  return value === null || typeof value !== 'object' ? value : (parseJson(JSON.stringify(value)) as T);
}

/** Own-property lookup only: `constructor`, `toString`, `__proto__` are found only when the data has them. */
export function ownProperty(object: JsonObject, key: string): { found: true; value: JsonValue } | { found: false } {
  return Object.hasOwn(object, key) ? { found: true, value: object[key] } : { found: false };
}

/** Unicode code points, as API.md counts string lengths. */
export function codePoints(text: string): string[] {
  return Array.from(text);
}
