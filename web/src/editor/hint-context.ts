/**
 * Where the caret is, in terms of API.md §4's grammar: inside an unclosed `${…` the menu offers
 * either variables (`${pro|`) or the properties / elements of the value reached so far
 * (`${product_info.specs.co|`, `${items[|`). Pure: text and caret in, a description out.
 */
import { parseReferencePath } from '../../../functions/domain/references/grammar';

const ROOT_PREFIX = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A key as the grammar allows it: no `.`, `[`, `]`, `}` or white space. */
const KEY_CHARS = /^[^.[\]}\s]*$/;
export const REFERABLE_KEY = /^[^.[\]}\s]+$/;

export type HintContext =
  | {
      kind: 'variables';
      /** Offset of the `$` of `${`. */
      start: number;
      /** What is typed after `${` (filters the menu). */
      query: string;
      /** Offsets of the text a choice replaces (the typed name, and the rest of the token after the caret). */
      replaceFrom: number;
      replaceTo: number;
    }
  | {
      kind: 'properties';
      start: number;
      /** The reference path whose value's members are listed (`product_info.specs`). */
      parentPath: string;
      /** `.` (a key follows) or `[` (an index follows). */
      separator: '.' | '[';
      /** Offset of the separator: an element choice (`[0]`) replaces from here, a key choice from just after it. */
      separatorAt: number;
      query: string;
      replaceTo: number;
    };

/** The end of the token the caret is in: the rest of a name or key, and a `}` right after it. */
function tokenEnd(text: string, caret: number): number {
  let end = caret;
  while (end < text.length && !/[.[\]}\s$]/.test(text[end])) end += 1;
  if (text[end] === ']') end += 1;
  if (text[end] === '}') end += 1;
  return end;
}

export function hintContextAt(text: string, caret: number): HintContext | undefined {
  const start = text.lastIndexOf('${', caret - 2);
  if (start < 0 || caret < start + 2) return undefined;
  const typed = text.slice(start + 2, caret);
  if (typed.includes('}') || /\s/.test(typed)) return undefined;
  const replaceTo = tokenEnd(text, caret);
  if (typed === '' || ROOT_PREFIX.test(typed)) {
    return { kind: 'variables', start, query: typed, replaceFrom: start + 2, replaceTo };
  }
  const dot = typed.lastIndexOf('.');
  const bracket = typed.lastIndexOf('[');
  const at = Math.max(dot, bracket);
  if (at <= 0) return undefined;
  const parentPath = typed.slice(0, at);
  if (!parseReferencePath(parentPath).ok) return undefined;
  const separator = typed[at] as '.' | '[';
  const query = typed.slice(at + 1);
  if (separator === '.' ? !KEY_CHARS.test(query) : !/^-?[0-9]*$/.test(query)) return undefined;
  return { kind: 'properties', start, parentPath, separator, separatorAt: start + 2 + at, query, replaceTo };
}

/** The text after a choice and where the caret goes: just after the inserted `}`. */
export function applyChoice(text: string, from: number, to: number, insert: string): { text: string; caret: number } {
  return { text: text.slice(0, from) + insert + text.slice(to), caret: from + insert.length };
}
