/**
 * The preview pane's value: `POST /resolve` substitutes sensitive values for real (the runner needs
 * them), but a person looking at the editor must see `******` (API.md §3). The records already
 * carry the masked text, so any string leaf that read a sensitive variable is rebuilt from its
 * records: a whole-field reference becomes "******", a reference inside text becomes ******.
 * Leaves are matched to records by parameter_name, computed exactly as the service does (§4).
 */
import { isSingleReference, scanReferences } from '../../../functions/domain/references/grammar';
import type { ReferenceRecord } from '../service/port';

export const MASK = '******';

const isSensitiveRecord = (record: ReferenceRecord): boolean => record.resolution_status === 'success' && record.resolved_value === MASK;

export function maskedResolution(original: unknown, resolved: unknown, records: ReferenceRecord[]): unknown {
  const byLeaf = new Map<string, ReferenceRecord[]>();
  for (const record of records) {
    const list = byLeaf.get(record.parameter_name) ?? [];
    list.push(record);
    byLeaf.set(record.parameter_name, list);
  }
  const walk = (source: unknown, output: unknown, leafPath: string): unknown => {
    if (typeof source === 'string') {
      const leafRecords = byLeaf.get(leafPath) ?? [];
      if (!leafRecords.some(isSensitiveRecord)) return output;
      if (isSingleReference(source)) return MASK;
      let text = '';
      let from = 0;
      scanReferences(source).forEach((reference, index) => {
        const record = leafRecords[index];
        text +=
          source.slice(from, reference.start) +
          (record?.resolution_status === 'success' ? (record.resolved_value ?? '') : reference.expression);
        from = reference.end;
      });
      return text + source.slice(from);
    }
    if (Array.isArray(source) && Array.isArray(output))
      return source.map((item, index) => walk(item, output[index], `${leafPath}[${index}]`));
    if (source !== null && typeof source === 'object' && output !== null && typeof output === 'object' && !Array.isArray(output)) {
      const result: Record<string, unknown> = {};
      for (const key of Object.keys(source)) {
        Object.defineProperty(result, key, {
          value: walk(
            (source as Record<string, unknown>)[key],
            (output as Record<string, unknown>)[key],
            leafPath === '' ? key : `${leafPath}.${key}`,
          ),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return result;
    }
    return output;
  };
  return walk(original, resolved, '');
}
