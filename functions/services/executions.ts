/**
 * Use cases: an execution as a whole (API.md §5 "Executions").
 * Primary course:
 *  1. summary: the snapshot and every lineage tally, read side by side → counts, usage per
 *     variable, the ten most recent references;
 *  2. delete: retire the data, purge it within a slice of the budget, hand the rest to the queue;
 *  3. continuePurge: one more slice of a purge that goes on in the background.
 */
import { toMetadata } from '#domain/variable';
import type { ExecutionEraser, PurgeQueue, ReferenceLog, RetiredExecution } from '#services/ports';
import type { SnapshotReader } from '#services/snapshot-reader';

const RECENT_REFERENCES = 10;

/** The execution as a whole, for operators: its variables and lineage tallies (GET of an execution). */
export class ExecutionSummaries {
  constructor(
    private readonly snapshots: SnapshotReader,
    private readonly log: ReferenceLog,
  ) {}

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
      .map(({ record }) => ({
        step_index: record.step_index,
        reference: record.original_expression,
        status: record.resolution_status,
        created_at: record.created_at,
      }));
    return {
      execution_id: executionId,
      variables_count: snapshot.heads.length,
      references_count: records.length,
      failed_references_count: failed,
      variables: snapshot.heads.map((head) => {
        const metadata = toMetadata(head);
        return {
          name: metadata.variable_name,
          data_type: metadata.data_type,
          source_step_index: metadata.source_step_index,
          last_updated: metadata.updated_at,
          usage_count: usage.get(metadata.variable_name) ?? 0,
        };
      }),
      recent_references: recent,
    };
  }
}

/**
 * Deleting an execution (API.md §5), at any size (the DELETE route and the purge function):
 *  1. retire its data: one update makes the execution empty for every reader, and later writes
 *     start a fresh execution that the purge never touches;
 *  2. purge the retired data within a slice of the request's budget, in bounded batches;
 *  3. finished → "deleted" (204); else the rest goes to the purge queue (in-process locally, SQS
 *     and the purge function in AWS) → "deleting" (202). A purge step that fails is left to the
 *     queue too: the execution is already empty for every reader.
 */
export class ExecutionDeletions {
  constructor(
    private readonly eraser: ExecutionEraser,
    private readonly purges: PurgeQueue,
  ) {}

  async delete(executionId: string, inlinePurgeMs: number): Promise<'deleted' | 'deleting'> {
    const retired = await this.eraser.retire(executionId);
    if (await this.purgeWithin(retired, Date.now() + inlinePurgeMs)) return 'deleted';
    await this.purges.continueLater(retired);
    return 'deleting';
  }

  /** One slice of a purge that goes on in the background; false when some of it is left for later. */
  continuePurge(retired: RetiredExecution, deadline: number): Promise<boolean> {
    return this.eraser.purge(retired, deadline);
  }

  private async purgeWithin(retired: RetiredExecution, deadline: number): Promise<boolean> {
    try {
      return await this.eraser.purge(retired, deadline);
    } catch {
      return false;
    }
  }
}
