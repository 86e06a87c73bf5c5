import { circuitBreaker, ConsecutiveBreaker, handleWhen } from 'cockatiel';
import { ApiError } from '#domain/errors';
import { utf8ByteLength, type JsonValue } from '#domain/json';
import type { Language } from '#domain/language';
import {
  countReferences, localizedFailureMessage, resolveParams, resolveText, validateReference, validateSyntaxOnly,
  type ReferenceFailure, type ReferenceRecordDraft,
} from '#domain/references/index';
import { signals } from '#observability/signals';
import type { ReferenceFilter, ReferenceLog, ReferencePage, StoredReferenceRecord, ReferenceRecord } from '#services/ports';
import type { SnapshotReader } from '#services/snapshot-reader';
import { reportBreakerStates } from '#services/breaker-signals';
import { lookupFor, referencedRoots, stringLeaves } from '#services/variable-lookup';

export const MAX_RESOLVE_INPUT_BYTES = 256 * 1024;
export const MAX_REFERENCES_PER_RESOLVE = 1000;

export interface ResolveInput {
  step_index: number;
  params?: JsonValue;
  text?: string;
  parameter_name?: string;
  record: boolean;
  strict: boolean;
}

export interface ResolveOutcome {
  body: Record<string, unknown>;
  failed: ReferenceRecord[];
}

const isDatabaseUnavailable = (error: unknown): boolean => error instanceof ApiError && (error.code === 'SERVICE_UNAVAILABLE' || error.code === 'TIMEOUT');

/** What a record keeps of its failure: enough to word the message again, not the keys offered as suggestions (they can be many). */
function storableFailure(failure: ReferenceFailure | undefined): ReferenceFailure | undefined {
  if (!failure) return undefined;
  const { availableKeys: _suggestionsOnly, ...kept } = failure;
  return kept;
}

/** What a client sees of a record: the stored fields, the message in its language. */
export function presentRecord(record: StoredReferenceRecord, language: Language): ReferenceRecord {
  const { failure, ...fields } = record;
  return { ...fields, error_message: failure && record.error_message !== null ? localizedFailureMessage(failure, language) : record.error_message };
}

export class ReferenceService {
  /**
   * Lineage is not worth failing a step for: while the database keeps failing it is skipped for a
   * while. Only an unavailable database counts: one execution's odd data must not switch lineage
   * off for every other execution on this instance.
   */
  private readonly lineageBreaker = reportBreakerStates(
    circuitBreaker(handleWhen(isDatabaseUnavailable), { halfOpenAfter: 5000, breaker: new ConsecutiveBreaker(5) }),
    'lineage',
  );

  constructor(private readonly snapshots: SnapshotReader, private readonly log: ReferenceLog) {}

  async resolve(executionId: string, input: ResolveInput, language: Language): Promise<ResolveOutcome> {
    const subject: JsonValue = input.text !== undefined ? input.text : (input.params as JsonValue);
    const size = utf8ByteLength(JSON.stringify(subject));
    if (size > MAX_RESOLVE_INPUT_BYTES) {
      throw new ApiError('PAYLOAD_TOO_LARGE', `${input.text !== undefined ? 'text' : 'params'} of ${size} bytes is over the 256 KiB limit`, { field: input.text !== undefined ? 'text' : 'params', size_bytes: size });
    }
    const occurrences = countReferences(subject);
    if (occurrences > MAX_REFERENCES_PER_RESOLVE) {
      throw new ApiError('INVALID_REQUEST', `${occurrences} references is over the limit of ${MAX_REFERENCES_PER_RESOLVE}`, { field: input.text !== undefined ? 'text' : 'params', references: occurrences });
    }
    const snapshot = await this.snapshots.snapshot(executionId);
    const lookup = await lookupFor(snapshot, this.snapshots, referencedRoots(stringLeaves(subject)));
    const options = { stepIndex: input.step_index, parameterName: input.parameter_name };
    const outcome = input.text !== undefined
      ? (() => { const r = resolveText(input.text!, lookup, options); return { output: r.text as JsonValue, records: r.records }; })()
      : (() => { const r = resolveParams(input.params as JsonValue, lookup, options); return { output: r.params, records: r.records }; })();
    const createdAt = new Date().toISOString();
    const stored: StoredReferenceRecord[] = outcome.records.map((draft: ReferenceRecordDraft) => ({ ...draft, failure: storableFailure(draft.failure), created_at: createdAt }));
    if (input.record) await this.recordLineage(executionId, stored);
    const references = stored.map((record) => presentRecord(record, language));
    const failed = references.filter((record) => record.resolution_status === 'failed');
    const body: Record<string, unknown> = { execution_id: executionId, step_index: input.step_index };
    body[input.text !== undefined ? 'text' : 'params'] = outcome.output;
    Object.assign(body, { references, resolved_count: references.length - failed.length, unresolved_count: failed.length });
    return { body, failed };
  }

  private async recordLineage(executionId: string, records: StoredReferenceRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.lineageBreaker.execute(() => this.log.append(executionId, records));
    } catch (error) {
      signals.lineageWriteFailed(records.length, error);
    }
  }

  async validate(executionId: string, references: unknown[], stepIndex: number | undefined, language: Language): Promise<unknown[]> {
    let snapshot;
    try {
      snapshot = await this.snapshots.snapshot(executionId);
    } catch (error) {
      if (!(error instanceof ApiError) || (error.code !== 'SERVICE_UNAVAILABLE' && error.code !== 'TIMEOUT')) throw error;
      signals.degraded('validate', error);
      return references.map((item) => validateSyntaxOnly(item, language));
    }
    const strings = references.filter((item): item is string => typeof item === 'string');
    const lookup = await lookupFor(snapshot, this.snapshots, referencedRoots(strings));
    const visibleNames = snapshot.visibleBefore(stepIndex).map((head) => head.variable_name);
    return references.map((item) => validateReference(item, { lookup, visibleNames, stepIndex, language }));
  }

  async page(executionId: string, filter: ReferenceFilter, limit: number, cursor: string | undefined, language: Language): Promise<{ records: ReferenceRecord[]; nextCursor: string | null }> {
    const page: ReferencePage = await this.log.page(executionId, filter, limit, cursor);
    return { records: page.records.map((record) => presentRecord(record, language)), nextCursor: page.nextCursor };
  }
}
