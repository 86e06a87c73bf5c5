/**
 * Use cases: resolving references, validating them, and listing lineage (API.md §4, §5).
 * Primary course:
 *  1. resolve: bound the input, load the variables the references name, substitute within the
 *     time and answer budgets, then record lineage (skipped while the database keeps failing);
 *  2. validate: check each item against the variables visible at the step (grammar-only when the
 *     store is unreachable, §6);
 *  3. page: a page of lineage records, their messages in the caller's language.
 */
import { circuitBreaker, ConsecutiveBreaker, handleWhen } from 'cockatiel';
import { ApiError } from '#domain/errors';
import { utf8ByteLength, type JsonValue } from '#domain/json';
import type { Language } from '#domain/language';
import { jsonBytesUpTo, OutputBudget, RESPONSE_LIMIT_BYTES, responseTooLarge } from '#domain/output-budget';
import {
  capText,
  countReferences,
  localizedFailureMessage,
  resolveParamsSteps,
  resolveTextSteps,
  validateReferenceSteps,
  validateSyntaxOnly,
  type ReferenceFailure,
  type ReferenceRecordDraft,
  type Resolution,
  type ValidationResult,
} from '#domain/references/index';
import { runCooperatively } from '#services/cooperative-run';
import type { ExecutionSnapshot } from '#domain/execution-snapshot';
import type { ReferenceFilter, ReferenceLog, ReferencePage, ReferenceRecord, ServiceSignals, StoredReferenceRecord } from '#services/ports';
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

/** The substituted subject, under the field it came in (exactly one of the two, API.md §4). */
type Substituted = { text: string; params?: never } | { params: JsonValue; text?: never };

/** The answer of a resolve, its fields in the contract's order (the substituted subject right after step_index). */
export type ResolveResult = { execution_id: string; step_index: number } & Substituted & {
    references: ReferenceRecord[];
    resolved_count: number;
    unresolved_count: number;
  };

export interface ResolveOutcome {
  body: ResolveResult;
  failed: ReferenceRecord[];
}

const isDatabaseUnavailable = (error: unknown): boolean =>
  error instanceof ApiError && (error.code === 'SERVICE_UNAVAILABLE' || error.code === 'TIMEOUT');

/** What a record keeps of its failure: enough to word the message again, not the keys offered as suggestions (they can be many). */
function storableFailure(failure: ReferenceFailure | undefined): ReferenceFailure | undefined {
  if (!failure) return undefined;
  // Copied key by key: reading `availableKeys` would list them (it is lazy, see evaluate.ts).
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(failure)) if (key !== 'availableKeys') kept[key] = (failure as unknown as Record<string, unknown>)[key];
  return kept as unknown as ReferenceFailure;
}

function withoutFailure(draft: ReferenceRecordDraft): Omit<ReferenceRecordDraft, 'failure'> {
  const { failure: _structured, ...fields } = draft;
  return fields;
}

/**
 * Room kept for what wraps an answer that is not the body itself: a strict resolve's 422 puts its
 * failed records inside the error shape.
 */
const ANSWER_ENVELOPE_BYTES = 4096;

/**
 * What a client sees of a record: the stored fields, the message in its language, and the §4 cap
 * on resolved_value (records stored before the cap existed are cut here too).
 */
export function presentRecord(record: StoredReferenceRecord, language: Language): ReferenceRecord {
  const { failure, ...fields } = record;
  const presented: ReferenceRecord = {
    ...fields,
    error_message: failure && record.error_message !== null ? localizedFailureMessage(failure, language) : record.error_message,
  };
  if (presented.resolved_value !== null && presented.resolved_value_truncated !== true) {
    const capped = capText(presented.resolved_value);
    if (capped.truncated) return capRecordValue(presented, capped.text);
  }
  return presented;
}

/** The record with its value cut, the flag right after the value (the contract's field order). */
function capRecordValue(record: ReferenceRecord, text: string): ReferenceRecord {
  const entries = Object.entries(record).flatMap(([key, value]) =>
    key === 'resolved_value'
      ? [
          [key, text],
          ['resolved_value_truncated', true],
        ]
      : [[key, value]],
  );
  return Object.fromEntries(entries) as ReferenceRecord;
}

export class ReferenceService {
  /**
   * Lineage is not worth failing a step for: while the database keeps failing it is skipped for a
   * while. Only an unavailable database counts: one execution's odd data must not switch lineage
   * off for every other execution on this instance.
   */
  private readonly lineageBreaker;

  constructor(
    private readonly snapshots: SnapshotReader,
    private readonly log: ReferenceLog,
    private readonly signals: ServiceSignals,
  ) {
    this.lineageBreaker = reportBreakerStates(
      circuitBreaker(handleWhen(isDatabaseUnavailable), { halfOpenAfter: 5000, breaker: new ConsecutiveBreaker(5) }),
      'lineage',
      signals,
    );
  }

  /**
   * Primary course of POST /resolve (API.md §4, §5, §8):
   * 1. refuse input over 256 KiB or with more than 1,000 references;
   * 2. load the variables the references read;
   * 3. substitute, pausing between references (the event loop serves others; past the request's
   *    budget → 504) and counting the answer's bytes as it grows: past 5 MiB it stops at once →
   *    413 RESPONSE_TOO_LARGE — unless strict, where the references are evaluated once more without
   *    output, since a strict resolve with failures answers 422 and substitutes nothing anyway;
   * 4. check the whole answer's size, then (and only then) record the lineage;
   * 5. answer with the output and the records (capped at 1,024 code points each).
   */
  async resolve(executionId: string, input: ResolveInput, language: Language): Promise<ResolveOutcome> {
    const subject: JsonValue = input.text !== undefined ? input.text : (input.params as JsonValue);
    const field = input.text !== undefined ? 'text' : 'params';
    // Counted, not built: the exact size is worked out only for the refusal's details.
    if (jsonBytesUpTo(subject, MAX_RESOLVE_INPUT_BYTES) > MAX_RESOLVE_INPUT_BYTES) {
      const size = utf8ByteLength(JSON.stringify(subject));
      throw new ApiError('PAYLOAD_TOO_LARGE', `${field} of ${size} bytes is over the 256 KiB limit`, { field, size_bytes: size });
    }
    const occurrences = countReferences(subject);
    if (occurrences > MAX_REFERENCES_PER_RESOLVE) {
      throw new ApiError('INVALID_REQUEST', `${occurrences} references is over the limit of ${MAX_REFERENCES_PER_RESOLVE}`, {
        field,
        references: occurrences,
      });
    }
    const snapshot = await this.snapshots.snapshot(executionId);
    const lookup = await lookupFor(snapshot, this.snapshots, referencedRoots(stringLeaves(subject)));
    const run = (substitute: boolean): Promise<Resolution<JsonValue>> => {
      const options = {
        stepIndex: input.step_index,
        parameterName: input.parameter_name,
        budget: new OutputBudget(RESPONSE_LIMIT_BYTES),
        substitute,
      };
      return runCooperatively(
        input.text !== undefined
          ? resolveTextSteps(input.text, lookup, options)
          : resolveParamsSteps(input.params as JsonValue, lookup, options),
      );
    };
    let resolution = await run(true);
    if (!resolution.complete && input.strict) {
      // Only a failure makes this answer small (422, nothing substituted); without one it is too large.
      resolution = await run(false);
      if (resolution.complete && !resolution.records.some((record) => record.resolution_status === 'failed')) throw responseTooLarge();
    }
    if (!resolution.complete) throw responseTooLarge();
    const output = resolution.output;

    const createdAt = new Date().toISOString();
    const stored: StoredReferenceRecord[] = resolution.records.map((draft: ReferenceRecordDraft) => ({
      ...withoutFailure(draft),
      failure: storableFailure(draft.failure),
      created_at: createdAt,
    }));
    const references = stored.map((record) => presentRecord(record, language));
    const failed = references.filter((record) => record.resolution_status === 'failed');
    // In text mode the output is the substituted text (resolveTextSteps yields a Resolution<string>).
    const substituted: Substituted = input.text !== undefined ? { text: output as string } : { params: output };
    const body: ResolveResult = {
      execution_id: executionId,
      step_index: input.step_index,
      ...substituted,
      references,
      resolved_count: references.length - failed.length,
      unresolved_count: failed.length,
    };
    // A strict resolve with failures answers the failed records (422), never the output.
    const answered = input.strict && failed.length > 0 ? { failed_references: failed } : body;
    const answerLimit = RESPONSE_LIMIT_BYTES - ANSWER_ENVELOPE_BYTES;
    if (jsonBytesUpTo(answered as unknown as JsonValue, answerLimit) > answerLimit) throw responseTooLarge();
    // Only now: a request that answers 413 or 504 stores nothing.
    if (input.record) await this.recordLineage(executionId, stored);
    return { body, failed };
  }

  private async recordLineage(executionId: string, records: StoredReferenceRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.lineageBreaker.execute(() => this.log.append(executionId, records));
    } catch (error) {
      this.signals.lineageWriteFailed(records.length, error);
    }
  }

  /**
   * Primary course of POST /variables/validate: read the snapshot (store unreachable → grammar-only
   * items, §6) → load the roots the items name → check each item in order, pausing while it ranks
   * suggestions (504 past the budget) and counting the answer (413 RESPONSE_TOO_LARGE past 5 MiB,
   * before a large value is copied).
   */
  async validate(
    executionId: string,
    references: unknown[],
    stepIndex: number | undefined,
    language: Language,
  ): Promise<ValidationResult[]> {
    let snapshot: ExecutionSnapshot;
    try {
      snapshot = await this.snapshots.snapshot(executionId);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      this.signals.degraded('validate', error);
      return references.map((item) => validateSyntaxOnly(item, language));
    }
    const strings = references.filter((item): item is string => typeof item === 'string');
    const lookup = await lookupFor(snapshot, this.snapshots, referencedRoots(strings));
    const visibleNames = snapshot.visibleBefore(stepIndex).map((head) => head.variable_name);
    // One budget for the whole answer; each item pauses while it ranks suggestions.
    const context = { lookup, visibleNames, stepIndex, language, budget: new OutputBudget(RESPONSE_LIMIT_BYTES - ANSWER_ENVELOPE_BYTES) };
    return runCooperatively(
      (function* () {
        const results: ValidationResult[] = [];
        for (const item of references) results.push(yield* validateReferenceSteps(item, context));
        return results;
      })(),
    );
  }

  async page(
    executionId: string,
    filter: ReferenceFilter,
    limit: number,
    cursor: string | undefined,
    language: Language,
  ): Promise<{ records: ReferenceRecord[]; nextCursor: string | null }> {
    const page: ReferencePage = await this.log.page(executionId, filter, limit, cursor);
    return { records: page.records.map((record) => presentRecord(record, language)), nextCursor: page.nextCursor };
  }
}
