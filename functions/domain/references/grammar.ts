/**
 * The one reference grammar of API.md §4, shared by resolution, validation and clients.
 * Pure, no dependencies, and linear in the input so a hostile 256 KiB text cannot stall a request.
 */
export const MAX_PATH_SEGMENTS = 32;

export interface ScannedReference {
  /** Offset of `$` in the scanned text. */
  start: number;
  /** Offset just after the closing `}`. */
  end: number;
  /** The reference as written, `${…}`. */
  expression: string;
  /** The text inside the braces (the PATH). */
  content: string;
}

/**
 * Non-overlapping `${` + 1+ characters other than `}` + `}`, left to right (the same matches as the
 * regex /\$\{[^}]+\}/g), written by hand because that regex is quadratic on many unclosed `${`.
 */
export function scanReferences(text: string): ScannedReference[] {
  const found: ScannedReference[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('${', from);
    if (start < 0) break;
    const close = text.indexOf('}', start + 2);
    // No `}` anywhere after this `${`: no later `${` can be closed either.
    if (close < 0) break;
    if (close === start + 2) {
      // `${}` is plain text; the next candidate cannot start inside it.
      from = start + 2;
      continue;
    }
    found.push({ start, end: close + 1, expression: text.slice(start, close + 1), content: text.slice(start + 2, close) });
    from = close + 1;
  }
  return found;
}

/** The whole string is exactly one `${…}`, with nothing (not even white space) around it. */
export function isSingleReference(text: string): ScannedReference | undefined {
  if (!text.startsWith('${') || !text.endsWith('}')) return undefined;
  const found = scanReferences(text);
  return found.length === 1 && found[0].start === 0 && found[0].end === text.length ? found[0] : undefined;
}

/** `text` is the segment as written (`.name`, `.0`, `[-1]`), so messages can quote what the user typed. */
export type PathSegment = { kind: 'key'; key: string; text?: string } | { kind: 'index'; index: number; text?: string };

/** Why a path is INVALID_SYNTAX; lets messages be rebuilt in another language. */
export type SyntaxReason = 'invalid_root' | 'unexpected_text' | 'missing_key' | 'invalid_index' | 'too_many_segments';

export type ParsedPath =
  | { ok: true; root: string; segments: PathSegment[] }
  | {
      ok: false;
      /** Text before the first `.` or `[` — the record's variable_name for INVALID_SYNTAX. */
      rootText: string;
      /** The offending text. */
      token: string;
      /** English, names the token. */
      message: string;
      reason: SyntaxReason;
      /** The whole path as given. */
      content: string;
      /** The part of the path that parsed before the offending token. */
      before: string;
    };

const ROOT = /^[A-Za-z_][A-Za-z0-9_]*/;
// Sticky so each segment is matched exactly where the previous one ended. `\s` is JavaScript's, as §4 says.
const KEY = /[^.[\]}\s]+/y;
const INDEX = /\[(-?[0-9]+)\]/y;
/** A `.key` segment that reads as an index on arrays (`.0`, `.-1`). */
export const NUMERIC_KEY = /^-?[0-9]+$/;

export function rootTextOf(content: string): string {
  const boundary = content.search(/[.[]/);
  return boundary < 0 ? content : content.slice(0, boundary);
}

/** `${` + content + `}` without template literals, which would try to interpolate. */
export function asExpression(content: string): string {
  return '${' + content + '}';
}

export function parseReferencePath(content: string): ParsedPath {
  const fail = (reason: SyntaxReason, position: number, token: string): ParsedPath => ({
    ok: false,
    rootText: rootTextOf(content),
    token,
    message: syntaxMessage(reason, content, content.slice(0, position), token),
    reason,
    content,
    before: content.slice(0, position),
  });

  const root = ROOT.exec(content)?.[0];
  if (!root) return fail('invalid_root', 0, rootTextOf(content) || content);

  const segments: PathSegment[] = [];
  let position = root.length;
  while (position < content.length) {
    const segmentStart = position;
    const char = content[position];
    if (char === '.') {
      KEY.lastIndex = position + 1;
      const key = KEY.exec(content)?.[0];
      if (key === undefined) return fail('missing_key', segmentStart, '.');
      segments.push({ kind: 'key', key, text: '.' + key });
      position = KEY.lastIndex;
    } else if (char === '[') {
      INDEX.lastIndex = position;
      const match = INDEX.exec(content);
      if (!match) {
        const close = content.indexOf(']', position);
        return fail('invalid_index', segmentStart, close < 0 ? content.slice(position) : content.slice(position, close + 1));
      }
      // `|| 0` turns `[-0]` into index 0. Huge literals become large or infinite numbers: simply out of range.
      segments.push({ kind: 'index', index: Number(match[1]) || 0, text: match[0] });
      position = INDEX.lastIndex;
    } else {
      return fail('unexpected_text', segmentStart, content.slice(position));
    }
    if (segments.length > MAX_PATH_SEGMENTS) {
      return fail('too_many_segments', segmentStart, content.slice(segmentStart, position));
    }
  }
  return { ok: true, root, segments };
}

/** The segment as written; falls back to a canonical form for segments built by hand. */
export function segmentText(segment: PathSegment): string {
  if (segment.text !== undefined) return segment.text;
  return segment.kind === 'key' ? '.' + segment.key : `[${segment.index}]`;
}

function syntaxMessage(reason: SyntaxReason, content: string, before: string, token: string): string {
  const where = `Invalid reference syntax in '${asExpression(content)}': `;
  switch (reason) {
    case 'invalid_root':
      return where + `'${token}' is not a valid variable name (a letter or '_', then letters, digits or '_')`;
    case 'unexpected_text':
      return where + `unexpected '${token}' after '${before}'`;
    case 'missing_key':
      return where + `'${token}' after '${before}' is not followed by a property name`;
    case 'invalid_index':
      return where + `'${token}' after '${before}' is not an index; use [n] with an integer n`;
    case 'too_many_segments':
      return where + `more than ${MAX_PATH_SEGMENTS} path segments (at '${token}')`;
  }
}
