import { toMetadata } from '#domain/variable';
import type { ReferenceLog, VariableStore } from '#services/ports';
import type { SnapshotReader } from '#services/snapshot-reader';

const RECENT_REFERENCES = 10;

/** The execution as a whole: its summary for operators and its deletion. */
export class ExecutionService {
  constructor(private readonly store: VariableStore, private readonly snapshots: SnapshotReader, private readonly log: ReferenceLog) {}

  async summary(executionId: string) {
    const [snapshot, records] = await Promise.all([this.snapshots.snapshot(executionId), this.log.tallies(executionId)]);
    const usage = new Map<string, number>();
    let failed = 0;
    for (const record of records) {
      if (record.resolution_status === 'success') usage.set(record.variable_name, (usage.get(record.variable_name) ?? 0) + 1);
      else failed += 1;
    }
    // Records come in step order; the most recent are by recording time (stable for equal times).
    const recent = records
      .map((record, order) => ({ record, order }))
      .sort((a, b) => (a.record.created_at < b.record.created_at ? 1 : a.record.created_at > b.record.created_at ? -1 : b.order - a.order))
      .slice(0, RECENT_REFERENCES)
      .map(({ record }) => ({ step_index: record.step_index, reference: record.original_expression, status: record.resolution_status, created_at: record.created_at }));
    return {
      execution_id: executionId,
      variables_count: snapshot.heads.length,
      references_count: records.length,
      failed_references_count: failed,
      variables: snapshot.heads.map((head) => {
        const metadata = toMetadata(head);
        return { name: metadata.variable_name, data_type: metadata.data_type, source_step_index: metadata.source_step_index, last_updated: metadata.updated_at, usage_count: usage.get(metadata.variable_name) ?? 0 };
      }),
      recent_references: recent,
    };
  }

  /** Variables and lineage go; the data version moves on so no instance serves the old snapshot. */
  async delete(executionId: string): Promise<void> {
    await Promise.all([this.store.deleteExecution(executionId), this.log.deleteExecution(executionId)]);
    await this.store.bumpDataVersion(executionId);
  }
}
