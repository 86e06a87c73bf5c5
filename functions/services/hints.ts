/**
 * Use cases: the step editor's hints (API.md §5 "Smart hints").
 * Primary course:
 *  1. suggestions: the variables visible at the step with their properties, within 5 MiB, rendered in
 *     the form asked for (/v1's, or the original editor's with `preview`) and cached per form and data
 *     epoch; basic ones from the last snapshot seen when the full ones fail or run late;
 *  2. search: names visible at the step, scored and cut to the limit;
 *  3. properties: what a path reaches inside a variable, expanded to max_depth.
 */
import { ApiError, variableNotFound } from '#domain/errors';
import type { JsonText, JsonValue } from '#domain/json';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { circuitBreaker, ConsecutiveBreaker, handleAll, timeout, TimeoutStrategy, wrap } from 'cockatiel';
import { dataTypeOf } from '#domain/json';
import {
  expandPropertiesSteps,
  renderSuggestionsSteps,
  searchVariablesSteps,
  suggestionListing,
  valueAtPath,
  type PropertyHint,
  type PropertyListing,
  type SuggestionItem,
  type SuggestionsForm,
  type SuggestionsForms,
} from '#domain/hints/index';
import { parseReferencePath } from '#domain/references/grammar';
import { jsonBytesUpTo, jsonStringBytes, OutputBudget, RESPONSE_LIMIT_BYTES } from '#domain/output-budget';
import { runCooperatively } from '#services/cooperative-run';
import type { ExecutionSnapshot } from '#domain/execution-snapshot';
import type { VariableHead } from '#domain/variable';
import type { ServiceSignals, SnapshotCache } from '#services/ports';
import type { SnapshotReader } from '#services/snapshot-reader';
import { reportBreakerStates } from '#services/breaker-signals';

/** Variables whose payloads are read and listed at once. */
const PAYLOAD_BATCH = 2;

/** Full suggestions wait this long for the store before the editor gets basic ones. */
const FULL_SUGGESTIONS_BUDGET_MS = 1000;

export interface SuggestionsRequest<Form extends SuggestionsForm = SuggestionsForm> {
  executionId: string;
  stepIndex: number | undefined;
  includeProperties: boolean;
  limit: number | undefined;
  /** Which answer: /v1's, or the original step editor's (items also carry `preview`). */
  form: Form;
}

function baseItem(head: VariableHead): SuggestionItem {
  return {
    name: head.variable_name,
    data_type: head.data_type,
    source_step_index: head.source_step_index,
    source_api_method: head.source_api_method,
    created_at: head.created_at,
    updated_at: head.updated_at,
    preview_value: head.preview_value,
  };
}

/** The step editor's smart hints (API.md §5): suggestions, search and properties. */
export class HintService {
  /**
   * Full suggestions are a nicety: when they keep failing, basic ones are served without trying for
   * a moment (1 s, as the database breaker and Retry-After), so full ones return soon after the store.
   */
  private readonly fullSuggestions;

  /** Property hints per head; heads belong to immutable snapshots, so entries live exactly as long as their snapshot. */
  private readonly propertiesOf = new WeakMap<VariableHead, Promise<PropertyListing | undefined>>();

  constructor(
    private readonly snapshots: SnapshotReader,
    private readonly cache: SnapshotCache,
    private readonly signals: ServiceSignals,
  ) {
    this.fullSuggestions = wrap(
      reportBreakerStates(circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(5) }), 'suggestions', signals),
      timeout(FULL_SUGGESTIONS_BUDGET_MS, TimeoutStrategy.Aggressive),
    );
  }

  /**
   * The suggestions response body, in the form asked for, as JSON text (primary course):
   * 1. read the execution's snapshot; a cached answer for its data epoch is served as is;
   * 2. take the variables visible at the step, cut to `limit`;
   * 3. list each object's first 100 properties, reading payloads two at a time (values over 1 KiB as previews), pausing between
   *    variables so other requests run;
   * 4. fit the answer, in its form (the editor's items carry `preview` too), into 5 MiB: drop properties
   *    from the last items first, each marked `properties_truncated` (413 RESPONSE_TOO_LARGE if even the
   *    bare items do not fit);
   * 5. keep the text in this instance's cache, per form: the editor asks again and again while a tester types.
   * Past its own deadline (1 s) or on any failure, basic suggestions are served (API.md §6).
   */
  async suggestionsJson<Form extends SuggestionsForm>(request: SuggestionsRequest<Form>): Promise<JsonText<SuggestionsForms[Form]>> {
    const { executionId, stepIndex, includeProperties, limit, form } = request;
    try {
      const full = await this.fullSuggestions.execute(async ({ signal }) => {
        const snapshot = await this.snapshots.snapshot(executionId);
        const key = `suggest:${form}:${executionId}:${snapshot.dataEpoch}:${stepIndex}:${includeProperties}:${limit}`;
        const cached = this.cache.peek<JsonText<SuggestionsForms[Form]>>(key);
        if (cached !== undefined) return cached;
        const visible = cut(snapshot, stepIndex, limit);
        const variables: SuggestionItem[] = [];
        // In small batches with a turn of the event loop between them: decoding a 1 MiB payload is
        // one synchronous JSON.parse, and twenty at once would hold the loop for all twenty.
        for (let start = 0; start < visible.length; start += PAYLOAD_BATCH) {
          if (start > 0) await nextTurn();
          const batch = visible.slice(start, start + PAYLOAD_BATCH);
          variables.push(...(await Promise.all(batch.map((head) => this.fullItem(executionId, head, includeProperties)))));
        }
        let text: JsonText<SuggestionsForms[Form]>;
        try {
          text = await runCooperatively(renderSuggestionsSteps(form, { executionId, stepIndex, mode: 'full' }, variables), signal);
        } catch (error) {
          // This execution's answer is too large, not a failure of the store: returned, so it
          // never counts towards the breaker that would switch every execution to basic mode.
          if (error instanceof ApiError && error.code === 'RESPONSE_TOO_LARGE') return error;
          throw error;
        }
        this.cache.keepTextLocally(key, text);
        return text;
      });
      if (full instanceof ApiError) throw full;
      return full;
    } catch (error) {
      if (error instanceof ApiError && error.code === 'RESPONSE_TOO_LARGE') throw error;
      this.signals.degraded('suggestions', error);
      const cached = this.snapshots.lastKnown(executionId);
      return runCooperatively(
        renderSuggestionsSteps(form, { executionId, stepIndex, mode: 'basic' }, cached ? cut(cached, stepIndex, limit).map(baseItem) : []),
      );
    }
  }

  private async fullItem(executionId: string, head: VariableHead, includeProperties: boolean): Promise<SuggestionItem> {
    const item = baseItem(head);
    if (includeProperties && (head.data_type === 'object' || head.data_type === 'array')) {
      let pending = this.propertiesOf.get(head);
      if (!pending) {
        // Shared by concurrent requests; an answer cut short by its deadline still warms it for the next.
        pending = this.snapshots
          .payload(executionId, head)
          .then(({ value }) => suggestionListing(head.variable_name, value, head.sensitive));
        this.propertiesOf.set(head, pending);
        pending.catch(() => this.propertiesOf.delete(head));
      }
      const listing = await pending;
      if (listing) {
        item.properties = listing.properties;
        if (listing.truncated) item.properties_truncated = true;
      }
    }
    return item;
  }

  /** Primary course: snapshot → names visible at the step → scored, pruned and cut, pausing between names (504 past the budget). */
  async search(executionId: string, query: string, stepIndex: number | undefined, limit: number) {
    const snapshot = await this.snapshots.snapshot(executionId);
    const candidates = snapshot.visibleBefore(stepIndex).map((head) => ({ name: head.variable_name, head }));
    const matches = await runCooperatively(searchVariablesSteps(query, candidates, limit));
    const answer = matches.map(({ candidate: { head }, match_score, highlighted_name }) => ({
      name: head.variable_name,
      match_score,
      highlighted_name,
      data_type: head.data_type,
      source_step_index: head.source_step_index,
      preview_value: head.preview_value,
    }));
    // Previews name an object's first three keys, and keys may be long: 50 of them can pass 5 MiB.
    const budget = new OutputBudget(RESPONSE_LIMIT_BYTES - 2 * jsonStringBytes(query) - 64);
    for (const match of answer) budget.spend(jsonBytesUpTo(match, budget.remaining + 1) + 1);
    budget.check();
    return answer;
  }

  /**
   * 1. Read the root variable of `nameOrPath` (a name, or a reference path such as `items[0].tags`).
   * 2. Walk the path inside its value: a missing key or index is 404 PROPERTY_NOT_FOUND, a step into
   *    a value of the wrong kind 400 INVALID_REQUEST (details name the path as sent).
   * 3. List the properties of what was reached, expanded to max_depth, 100 per list, counted as they
   *    are built (413 RESPONSE_TOO_LARGE past 5 MiB) and pausing between entries (504 past the budget);
   *    entry paths extend the path.
   */
  async properties(executionId: string, nameOrPath: string, maxDepth: number) {
    const path = parseReferencePath(nameOrPath);
    const root = path.ok ? path.root : nameOrPath;
    const snapshot = await this.snapshots.snapshot(executionId);
    const head = snapshot.get(root);
    if (!head) throw variableNotFound(executionId, root);
    const { value: rootValue } = await this.snapshots.payload(executionId, head);
    const reached = path.ok ? valueAtPath(root, path.segments, rootValue, head.sensitive) : { ok: true as const, value: rootValue };
    if (!reached.ok) {
      const { code, message } = reached.failure;
      throw new ApiError(code === 'TYPE_MISMATCH' ? 'INVALID_REQUEST' : 'PROPERTY_NOT_FOUND', message, { path: nameOrPath });
    }
    const value = reached.value;
    return {
      variable_name: nameOrPath,
      data_type: dataTypeOf(value),
      ...(await boundedProperties(nameOrPath, value, head.sensitive, maxDepth)),
    };
  }
}

/** The properties answer's list within the response budget, and its truncation flag when a list was cut. */
async function boundedProperties(
  path: string,
  value: JsonValue,
  sensitive: boolean,
  maxDepth: number,
): Promise<{ properties: PropertyHint[]; properties_truncated?: true }> {
  // `{"variable_name":…,"data_type":"boolean","properties":…,"properties_truncated":true}`
  const envelope = 2 * jsonStringBytes(path) + 80;
  const listing = await runCooperatively(
    expandPropertiesSteps(path, value, sensitive, maxDepth, new OutputBudget(RESPONSE_LIMIT_BYTES - envelope)),
  );
  return listing.truncated ? { properties: listing.properties, properties_truncated: true } : { properties: listing.properties };
}

function cut(snapshot: ExecutionSnapshot, stepIndex: number | undefined, limit: number | undefined): VariableHead[] {
  const visible = snapshot.visibleBefore(stepIndex);
  return limit === undefined ? visible : visible.slice(0, limit);
}
