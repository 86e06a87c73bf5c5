/**
 * The menu's rows, from what the service said (pure). Variables: prefix matches of the step-aware
 * list first, in list order (step order), then the search endpoint's fuzzy matches by score.
 * Properties: an object's referable keys filtered by prefix; an array's elements as `[0]`, `[-1]`.
 */
import type { DataType, Property, SearchMatch, SuggestedVariable } from '../service/port';
import { REFERABLE_KEY } from './hint-context';

export interface MenuItem {
  /** What the row shows as the name (`price`, `[0]`). */
  label: string;
  /** What a choice inserts before the closing `}`. */
  insert: string;
  /** A key replaces after the separator; an element replaces the separator too (`.` → `[0]`). */
  replacesSeparator: boolean;
  dataType: DataType | string;
  preview: string;
  /** e.g. "step 2" for variables; empty for properties. */
  step?: number;
  /** Where the row came from, for the reader: prefix (typed text starts the name) or fuzzy. */
  match: 'all' | 'prefix' | 'fuzzy';
}

export function variableItems(variables: SuggestedVariable[], query: string, fuzzy: SearchMatch[] | undefined): MenuItem[] {
  const lower = query.toLowerCase();
  const items: MenuItem[] = [];
  const seen = new Set<string>();
  for (const variable of variables) {
    if (lower !== '' && !variable.name.toLowerCase().startsWith(lower)) continue;
    seen.add(variable.name);
    items.push({
      label: variable.name,
      insert: variable.name,
      replacesSeparator: false,
      dataType: variable.data_type,
      preview: variable.preview_value,
      step: variable.source_step_index,
      match: lower === '' ? 'all' : 'prefix',
    });
  }
  for (const match of fuzzy ?? []) {
    if (seen.has(match.name)) continue;
    seen.add(match.name);
    items.push({
      label: match.name,
      insert: match.name,
      replacesSeparator: false,
      dataType: match.data_type,
      preview: match.preview_value,
      step: match.source_step_index,
      match: 'fuzzy',
    });
  }
  return items;
}

export function propertyItems(properties: Property[], query: string): MenuItem[] {
  const lower = query.toLowerCase();
  return properties
    .filter((property) => REFERABLE_KEY.test(property.name) && property.name.toLowerCase().startsWith(lower))
    .map((property) => ({
      label: property.name,
      insert: property.name,
      replacesSeparator: false,
      dataType: property.type,
      preview: property.value_truncated || property.value === undefined ? (property.preview_value ?? '') : previewOf(property.value),
      match: lower === '' ? ('all' as const) : ('prefix' as const),
    }));
}

export interface ElementPreview {
  index: number;
  dataType: DataType | string;
  value: unknown;
}

/** `[0]`, `[1]`, … and `[-1]` for the elements that exist; `query` is what follows a typed `[`. */
export function elementItems(elements: ElementPreview[], query: string): MenuItem[] {
  return elements
    .filter((element) => String(element.index).startsWith(query))
    .map((element) => ({
      label: `[${element.index}]`,
      insert: `[${element.index}]`,
      replacesSeparator: true,
      dataType: element.dataType,
      preview: previewOf(element.value),
      match: 'all' as const,
    }));
}

/** API.md §5's preview_value rules, for values the page holds (property values, validate's resolved_value). */
export function previewOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const points = [...value];
    return points.length > 100 ? `"${points.slice(0, 97).join('')}..."` : `"${value}"`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.length} items]`;
  if (typeof value === 'object') {
    const keys = Object.keys(value as object);
    if (keys.length === 0) return '{}';
    const shown = keys
      .slice(0, 3)
      .map((key) => `${JSON.stringify(key)}: ...`)
      .join(', ');
    return `{${shown}${keys.length > 3 ? ', ...' : ''}}`;
  }
  return String(value);
}
