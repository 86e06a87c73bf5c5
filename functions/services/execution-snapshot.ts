import { compareListOrder } from '#domain/variable';
import { parseJson } from '#domain/ordered-json';
import type { VariableHead } from '#services/ports';

/**
 * Every variable head of one execution at one data version, in list order. Immutable: it is shared
 * by concurrent requests and cached under its version.
 */
export class ExecutionSnapshot {
  readonly heads: readonly VariableHead[];
  private readonly byName: Map<string, VariableHead>;

  constructor(
    readonly executionId: string,
    readonly version: string | null,
    heads: VariableHead[],
  ) {
    this.heads = [...heads].sort(compareListOrder);
    this.byName = new Map(this.heads.map((head) => [head.variable_name, head]));
  }

  static empty(executionId: string): ExecutionSnapshot {
    return new ExecutionSnapshot(executionId, null, []);
  }

  /** Map lookup, never a property lookup, so names like `constructor` are plain data. */
  get(name: string): VariableHead | undefined {
    return this.byName.get(name);
  }

  /** Variables a step can see: those written by earlier steps. */
  visibleBefore(stepIndex: number | undefined): VariableHead[] {
    return stepIndex === undefined ? [...this.heads] : this.heads.filter((head) => head.source_step_index < stepIndex);
  }

  encode(): string {
    return JSON.stringify({ version: this.version, heads: this.heads });
  }

  static decode(executionId: string, encoded: string): ExecutionSnapshot {
    const parsed = parseJson(encoded) as { version: string | null; heads: VariableHead[] };
    return new ExecutionSnapshot(executionId, parsed.version, parsed.heads);
  }
}
