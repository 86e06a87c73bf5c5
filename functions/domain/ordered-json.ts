import type { JsonObject, JsonValue } from '#domain/json';

/**
 * API.md §3: object keys keep their insertion order. JavaScript objects list integer-like keys
 * ("0", "42") before all others, so `{"b":1,"2":2}` would come back as `{"2":2,"b":1}`. Objects
 * that hold such keys are therefore kept as a Proxy whose own-key order is the insertion order;
 * JSON.stringify, Object.keys and for…in all follow it. Every other object stays plain, and JSON
 * without integer-like keys is parsed by JSON.parse alone.
 */
const MAX_ARRAY_INDEX = 2 ** 32 - 2;

export function isIndexLikeKey(key: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(key) && Number(key) <= MAX_ARRAY_INDEX;
}

/** An object with these entries in this order; `__proto__` stays an ordinary key. */
export function orderedObject(entries: ReadonlyArray<readonly [string, JsonValue]>): JsonObject {
  const target: JsonObject = {};
  for (const [key, value] of entries) Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  if (!entries.some(([key]) => isIndexLikeKey(key))) return target;
  const order = entries.map(([key]) => key);
  return new Proxy(target, { ownKeys: () => [...order] });
}

/** Cheap test: could this text hold an integer-like object key? False positives only cost the slow path. */
const MAY_HAVE_INDEX_KEY = /"(?:0|[1-9]\d*|\\u003[0-9])[^"]*"\s*:/;
/** Every string token, with the colon that makes it a key. Strings are matched whole, so quotes inside them never mislead. */
const STRING_TOKEN = /"(?:[^"\\]|\\.)*"(\s*:)?/g;

/** JSON.parse that keeps object keys in insertion order (API.md §3). */
export function parseJson(text: string): unknown {
  if (!MAY_HAVE_INDEX_KEY.test(text)) return JSON.parse(text);
  // Integer-like keys are renamed with a marker so JSON.parse keeps their place, then restored.
  const marker = `\u0000${Math.random().toString(36).slice(2)}:`;
  let marked = false;
  const renamed = text.replace(STRING_TOKEN, (token: string, colon: string | undefined) => {
    if (colon === undefined) return token;
    const key = JSON.parse(token.slice(0, token.length - colon.length)) as string;
    if (!isIndexLikeKey(key)) return token;
    marked = true;
    return `${JSON.stringify(marker + key)}${colon}`;
  });
  const parsed = JSON.parse(renamed) as JsonValue;
  return marked ? restore(parsed, marker) : parsed;
}

function restore(value: JsonValue, marker: string): JsonValue {
  if (Array.isArray(value)) return value.map((item) => restore(item, marker));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.keys(value).map(
    (key) => [key.startsWith(marker) ? key.slice(marker.length) : key, restore(value[key], marker)] as const,
  );
  return orderedObject(entries);
}
