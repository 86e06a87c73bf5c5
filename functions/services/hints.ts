import { circuitBreaker, ConsecutiveBreaker, handleAll, timeout, TimeoutStrategy, wrap } from 'cockatiel';
import { expandProperties, searchVariables, suggestionProperties, type PropertyHint } from '#domain/hints/index';
import { signals } from '#observability/signals';
import type { ExecutionSnapshot } from '#services/execution-snapshot';
import type { VariableHead } from '#services/ports';
import type { SnapshotReader } from '#services/snapshot-reader';
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

export interface Suggestions {
  variables: SuggestionItem[];
  mode: 'full' | 'basic';
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
  /** Full suggestions are a nicety: when they keep failing, basic ones are served without trying for a while. */
  private readonly fullSuggestions = wrap(
    circuitBreaker(handleAll, { halfOpenAfter: 5000, breaker: new ConsecutiveBreaker(5) }),
    timeout(FULL_SUGGESTIONS_BUDGET_MS, TimeoutStrategy.Aggressive),
  );

  constructor(private readonly snapshots: SnapshotReader) {}

  async suggestions(executionId: string, stepIndex: number | undefined, includeProperties: boolean, limit: number | undefined): Promise<Suggestions> {
    try {
      return await this.fullSuggestions.execute(async () => {
        const visible = cut(await this.snapshots.snapshot(executionId), stepIndex, limit);
        const variables = await Promise.all(visible.map((head) => this.fullItem(executionId, head, includeProperties)));
        return { variables, mode: 'full' as const };
      });
    } catch (error) {
      signals.degraded('suggestions', error);
      const cached = this.snapshots.lastKnown(executionId);
      return { variables: cached ? cut(cached, stepIndex, limit).map(baseItem) : [], mode: 'basic' };
    }
  }

  private async fullItem(executionId: string, head: VariableHead, includeProperties: boolean): Promise<SuggestionItem> {
    const item = baseItem(head);
    if (includeProperties && (head.data_type === 'object' || head.data_type === 'array')) {
      const { value } = await this.snapshots.payload(executionId, head);
      item.properties = suggestionProperties(head.variable_name, value, head.sensitive);
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

  async properties(executionId: string, name: string, maxDepth: number) {
    const snapshot = await this.snapshots.snapshot(executionId);
    const head = snapshot.get(name);
    if (!head) throw notFound(executionId, name);
    const { value } = await this.snapshots.payload(executionId, head);
    return { variable_name: name, data_type: head.data_type, properties: expandProperties(name, value, head.sensitive, maxDepth) };
  }
}

function cut(snapshot: ExecutionSnapshot, stepIndex: number | undefined, limit: number | undefined): VariableHead[] {
  const visible = snapshot.visibleBefore(stepIndex);
  return limit === undefined ? visible : visible.slice(0, limit);
}
