import { parseJson } from '#domain/ordered-json';
import { compareListOrder, type VariableHead } from '#domain/variable';

/**
 * Every variable head of one execution at one data epoch, in list order. Immutable: it is shared
 * by concurrent requests and cached under its epoch.
 *
 * The data epoch is the execution's cache epoch: an opaque stamp the store moves on every write,
 * so that anything cached under an older one is never used again. It is not a variable's
 * `version` (API.md, If-Match), nor the service's version, nor a payload revision.
 */
export class ExecutionSnapshot {
  readonly heads: readonly VariableHead[];
  private readonly byName: Map<string, VariableHead>;

  constructor(
    readonly executionId: string,
    readonly dataEpoch: string | null,
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

  /** The cached text keeps its field name `version`: entries written by the previous deployment still read. */
  encode(): string {
    return JSON.stringify({ version: this.dataEpoch, heads: this.heads });
  }

  static decode(executionId: string, encoded: string): ExecutionSnapshot {
    const parsed = parseJson(encoded) as { version: string | null; heads: VariableHead[] };
    return new ExecutionSnapshot(executionId, parsed.version, parsed.heads);
  }
}
