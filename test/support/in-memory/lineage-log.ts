import { decodeCursor, encodeCursor } from '#domain/cursor';
import { parseJson } from '#domain/ordered-json';
import type { ReferenceFilter, ReferenceLog, ReferencePage, ReferenceTally, StoredReferenceRecord } from '#services/ports';

interface Entry {
  /** Position in log order: step, then order of recording (append call, then document order). */
  step: number;
  sequence: number;
  json: string;
}

/** The lineage log port in memory: log order, the three filters, and cursors made by the domain's one cursor codec. */
export class InMemoryLineageLog implements ReferenceLog {
  private readonly entries = new Map<string, Entry[]>();
  private sequence = 0;
  /** When set, append fails with it (the lineage write of a resolve). */
  appendFailure: Error | undefined;

  async append(executionId: string, records: StoredReferenceRecord[]): Promise<void> {
    if (this.appendFailure) throw this.appendFailure;
    const log = this.entries.get(executionId) ?? [];
    for (const record of records) {
      this.sequence += 1;
      log.push({ step: record.step_index, sequence: this.sequence, json: JSON.stringify(record) });
    }
    log.sort((a, b) => a.step - b.step || a.sequence - b.sequence);
    this.entries.set(executionId, log);
  }

  async page(executionId: string, filter: ReferenceFilter, limit: number, cursor: string | undefined): Promise<ReferencePage> {
    const after = cursor
      ? decodeCursor(executionId, cursor, ([step, sequence, ...rest]) =>
          Number.isInteger(step) && Number.isInteger(sequence) && rest.length === 0
            ? { step: step as number, sequence: sequence as number }
            : undefined,
        )
      : undefined;
    const matching = (this.entries.get(executionId) ?? [])
      .filter((entry) => !after || entry.step > after.step || (entry.step === after.step && entry.sequence > after.sequence))
      .map((entry) => ({ entry, record: parseJson(entry.json) as StoredReferenceRecord }))
      .filter(({ record }) => matches(record, filter));
    const onPage = matching.slice(0, limit);
    const last = onPage.at(-1)?.entry;
    return {
      records: onPage.map(({ record }) => record),
      nextCursor: matching.length > limit && last ? encodeCursor(executionId, [last.step, last.sequence]) : null,
    };
  }

  async tallies(executionId: string): Promise<ReferenceTally[]> {
    return (this.entries.get(executionId) ?? []).map((entry) => {
      const record = parseJson(entry.json) as StoredReferenceRecord;
      return {
        step_index: record.step_index,
        variable_name: record.variable_name,
        resolution_status: record.resolution_status,
        original_expression: record.original_expression,
        created_at: record.created_at,
      };
    });
  }

  /** Drops an execution's records (the eraser's purge). */
  erase(executionId: string): void {
    this.entries.delete(executionId);
  }
}

function matches(record: StoredReferenceRecord, filter: ReferenceFilter): boolean {
  return (
    (filter.stepIndex === undefined || record.step_index === filter.stepIndex) &&
    (filter.status === undefined || record.resolution_status === filter.status) &&
    (filter.variableName === undefined || record.variable_name === filter.variableName)
  );
}
