import { circuitBreaker, ConsecutiveBreaker, handleAll, timeout, TimeoutStrategy, wrap } from 'cockatiel';
import { ApiError } from '#domain/errors';
import { dataTypeOf } from '#domain/json';
import { expandProperties, searchVariables, valueAtPath, suggestionProperties, type PropertyHint } from '#domain/hints/index';
import { parseReferencePath } from '#domain/references/grammar';
import { signals } from '#observability/signals';
import type { TieredCache } from '#adapters/cache/tiered-cache';
import type { ExecutionSnapshot } from '#services/execution-snapshot';
import type { VariableHead } from '#services/ports';
import type { SnapshotReader } from '#services/snapshot-reader';
import { reportBreakerStates } from '#services/breaker-signals';
import { notFound } from '#services/variables';

/** Full suggestions wait this long for the store before the editor gets basic ones. */
const FULL_SUGGESTIONS_BUDGET_MS = 1000;

export interface SuggestionItem {
  name: string;
  data_type: string;
  source_step_index: number;
  source_api_method: string | null;
  created_at: string;
  updated_at: string;
  preview_value: string;
  properties?: PropertyHint[];
}

export interface SuggestionsRequest {
  executionId: string;
  stepIndex: number | undefined;
  includeProperties: boolean;
  limit: number | undefined;
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
  private readonly fullSuggestions = wrap(
    reportBreakerStates(circuitBreaker(handleAll, { halfOpenAfter: 1000, breaker: new ConsecutiveBreaker(5) }), 'suggestions'),
    timeout(FULL_SUGGESTIONS_BUDGET_MS, TimeoutStrategy.Aggressive),
  );

  /** Property hints per head; heads belong to immutable snapshots, so entries live exactly as long as their snapshot. */
  private readonly propertiesOf = new WeakMap<VariableHead, PropertyHint[] | undefined>();

  constructor(private readonly snapshots: SnapshotReader, private readonly cache: TieredCache) {}

  /**
   * The suggestions response body as JSON text. The editor asks again and again while a tester
   * types, so a full answer is kept in this instance's cache under the execution's data version.
   */
  async suggestionsJson(request: SuggestionsRequest): Promise<string> {
    try {
      return await this.fullSuggestions.execute(async () => {
        const snapshot = await this.snapshots.snapshot(request.executionId);
        const key = `suggest:${request.executionId}:${snapshot.version}:${request.stepIndex}:${request.includeProperties}:${request.limit}`;
        const cached = this.cache.peek<string>(key);
        if (cached !== undefined) return cached;
        const visible = cut(snapshot, request.stepIndex, request.limit);
        const variables = await Promise.all(visible.map((head) => this.fullItem(request.executionId, head, request.includeProperties)));
        const text = render(request, variables, 'full');
        this.cache.keepTextLocally(key, text);
        return text;
      });
    } catch (error) {
      signals.degraded('suggestions', error);
      const cached = this.snapshots.lastKnown(request.executionId);
      return render(request, cached ? cut(cached, request.stepIndex, request.limit).map(baseItem) : [], 'basic');
    }
  }

  private async fullItem(executionId: string, head: VariableHead, includeProperties: boolean): Promise<SuggestionItem> {
    const item = baseItem(head);
    if (includeProperties && (head.data_type === 'object' || head.data_type === 'array')) {
      if (!this.propertiesOf.has(head)) {
        const { value } = await this.snapshots.payload(executionId, head);
        this.propertiesOf.set(head, suggestionProperties(head.variable_name, value, head.sensitive));
      }
      item.properties = this.propertiesOf.get(head);
    }
    return item;
  }

  async search(executionId: string, query: string, stepIndex: number | undefined, limit: number) {
    const snapshot = await this.snapshots.snapshot(executionId);
    const candidates = snapshot.visibleBefore(stepIndex).map((head) => ({ name: head.variable_name, head }));
    return searchVariables(query, candidates, limit).map(({ candidate: { head }, match_score, highlighted_name }) => ({
      name: head.variable_name,
      match_score,
      highlighted_name,
      data_type: head.data_type,
      source_step_index: head.source_step_index,
      preview_value: head.preview_value,
    }));
  }

  /**
   * 1. Read the root variable of `nameOrPath` (a name, or a reference path such as `items[0].tags`).
   * 2. Walk the path inside its value: a missing key or index is 404 PROPERTY_NOT_FOUND, a step into
   *    a value of the wrong kind 400 INVALID_REQUEST (details name the path as sent).
   * 3. List the properties of what was reached, expanded to maxDepth, entry paths extending the path.
   */
  async properties(executionId: string, nameOrPath: string, maxDepth: number) {
    const path = parseReferencePath(nameOrPath);
    const root = path.ok ? path.root : nameOrPath;
    const snapshot = await this.snapshots.snapshot(executionId);
    const head = snapshot.get(root);
    if (!head) throw notFound(executionId, root);
    const { value: rootValue } = await this.snapshots.payload(executionId, head);
    const reached = path.ok ? valueAtPath(root, path.segments, rootValue, head.sensitive) : { ok: true as const, value: rootValue };
    if (!reached.ok) {
      const { code, message } = reached.failure;
      throw new ApiError(code === 'TYPE_MISMATCH' ? 'INVALID_REQUEST' : 'PROPERTY_NOT_FOUND', message, { path: nameOrPath });
    }
    const value = reached.value;
    return { variable_name: nameOrPath, data_type: dataTypeOf(value), properties: expandProperties(nameOrPath, value, head.sensitive, maxDepth) };
  }
}

function render(request: SuggestionsRequest, variables: SuggestionItem[], mode: 'full' | 'basic'): string {
  return JSON.stringify({
    execution_id: request.executionId,
    current_step_index: request.stepIndex ?? null,
    variables,
    total_count: variables.length,
    mode,
  });
}

function cut(snapshot: ExecutionSnapshot, stepIndex: number | undefined, limit: number | undefined): VariableHead[] {
  const visible = snapshot.visibleBefore(stepIndex);
  return limit === undefined ? visible : visible.slice(0, limit);
}
