/**
 * The response budget of API.md §8: no answer body exceeds 5 MiB. Builders count the JSON bytes of
 * what they add while they add it, so an answer that would grow past the limit is stopped early
 * (bounded memory and time), never built whole and measured afterwards.
 *
 * The byte counts here equal `Buffer.byteLength(JSON.stringify(x))` exactly (the unit tests check it
 * against JSON.stringify for arbitrary values), without building the JSON text.
 */
import { ApiError } from '#domain/errors';
import { isJsonObject, type JsonValue } from '#domain/json';

/** Lambda's synchronous response limit is 6 MB; answers stay at or below 5 MiB. */
export const RESPONSE_LIMIT_BYTES = 5 * 1024 * 1024;

/**
 * A listing page (variables with values, lineage records) ends once this many bytes of its items are on it: room
 * is left for the envelope under RESPONSE_LIMIT_BYTES.
 */
export const PAGE_BUDGET_BYTES = 4 * 1024 * 1024;

export function responseTooLarge(limitBytes = RESPONSE_LIMIT_BYTES): ApiError {
  return new ApiError('RESPONSE_TOO_LARGE', `The answer would exceed the response limit of ${limitBytes} bytes`, {
    limit_bytes: limitBytes,
  });
}

/** A running count of the bytes an answer has grown to. */
export class OutputBudget {
  private spentBytes = 0;

  constructor(readonly limitBytes: number = RESPONSE_LIMIT_BYTES) {}

  get spent(): number {
    return this.spentBytes;
  }

  get remaining(): number {
    return Math.max(0, this.limitBytes - this.spentBytes);
  }

  get exceeded(): boolean {
    return this.spentBytes > this.limitBytes;
  }

  /** Adds `bytes`; true while the total is still within the limit. */
  spend(bytes: number): boolean {
    this.spentBytes += bytes;
    return this.spentBytes <= this.limitBytes;
  }

  /**
   * Throws RESPONSE_TOO_LARGE once the total is past the limit. The client is told the answer's
   * limit (5 MiB), whatever part of it this budget was given.
   */
  check(): void {
    if (this.exceeded) throw responseTooLarge();
  }
}

/**
 * UTF-8 bytes of `JSON.stringify(text)` (quotes and escapes included); stops counting once past
 * `cap`, so a 1 MiB string costs nothing when the budget has 10 bytes left.
 */
export function jsonStringBytes(text: string, cap = Infinity): number {
  let bytes = 2;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) {
      // ", \ and the common controls are two-character escapes; other controls are \u00XX.
      if (code === 0x22 || code === 0x5c || code === 0x08 || code === 0x09 || code === 0x0a || code === 0x0c || code === 0x0d) bytes += 2;
      else bytes += code < 0x20 ? 6 : 1;
    } else if (code < 0x800) {
      bytes += 2;
    } else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else if (code >= 0xd800 && code <= 0xdfff) {
      bytes += 6; // a lone surrogate is written as \udXXX (well-formed JSON.stringify)
    } else {
      bytes += 3;
    }
    if (bytes > cap) return bytes;
  }
  return bytes;
}

/**
 * UTF-8 bytes of the compact JSON of `value` (its §3 size; what JSON.stringify would write, fields
 * left undefined included), or some number above `cap` as soon as the count passes it. Iterative,
 * so depth costs no stack.
 */
export function jsonBytesUpTo(value: JsonValue, cap = Infinity): number {
  let bytes = 0;
  const stack: JsonValue[] = [value];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (typeof node === 'string') bytes += jsonStringBytes(node, cap - bytes);
    // As JSON.stringify: an absent array element is `null` (an absent field is skipped below).
    else if (node === null || node === undefined) bytes += 4;
    else if (typeof node === 'number') bytes += JSON.stringify(node).length;
    else if (typeof node === 'boolean') bytes += node ? 4 : 5;
    else if (Array.isArray(node)) {
      // Brackets, then commas between elements.
      bytes += 2 + Math.max(0, node.length - 1);
      for (const item of node) stack.push(item);
    } else if (isJsonObject(node)) {
      const keys = Object.keys(node).filter((key) => node[key] !== undefined);
      bytes += 2 + Math.max(0, keys.length - 1) + keys.length; // braces, commas, colons
      for (const key of keys) {
        bytes += jsonStringBytes(key, cap - bytes);
        if (bytes > cap) return bytes;
        stack.push(node[key]);
      }
    }
    if (bytes > cap) return bytes;
  }
  return bytes;
}
