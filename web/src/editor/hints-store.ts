/**
 * What the page knows about the chosen execution and step, and how healthy the service looks.
 * 1. Holds the step-aware variable list (fetched once per scope, refreshed in the background when
 *    the menu opens) so the menu opens at once from memory, also while the service is down.
 * 2. Holds the members of each value drilled into (an object's keys, an array's elements), bounded.
 * 3. Turns every answer into the degradation state the banner shows: `mode: "basic"`, validate's
 *    `syntax_only`, or the service unreachable — and clears each when a later answer says otherwise.
 */
import { LRUCache } from 'lru-cache';
import { elementItems, propertyItems, type ElementPreview, type MenuItem } from './menu-items';
import { ServiceError, type HintsService, type Suggestions } from '../service/port';

export interface Scope {
  executionId: string;
  stepIndex: number;
}

export interface Health {
  /** Suggestions came back with `mode: "basic"`. */
  basic: boolean;
  /** Validate came back with `mode: "syntax_only"`. */
  syntaxOnly: boolean;
  /** The service answered 503/504: it is up, its store is not (resolve and properties wait). */
  unavailable: boolean;
  /** No answer at all. */
  down: boolean;
  /** 401: the token is missing or wrong. */
  unauthorized: boolean;
}

/** The members of one value, as the menu needs them. */
export type Members =
  | { kind: 'object'; properties: Parameters<typeof propertyItems>[0] }
  | { kind: 'array'; elements: ElementPreview[] }
  | { kind: 'scalar'; dataType: string }
  | { kind: 'error'; message: string };

export const isSyntaxOnly = (results: Array<{ mode?: string }>): boolean => results.some((result) => result.mode === 'syntax_only');

/** Elements offered for an array: the first few and the last. */
const ELEMENT_INDEXES = [0, 1, 2, -1];
const BACKGROUND_REFRESH_MS = 5_000;

export class HintsStore {
  private scopeKey = '';
  private suggestions: Suggestions | undefined;
  private suggestionsAt = 0;
  private suggestionsLoad: Promise<Suggestions | undefined> | undefined;
  /** Why the last list request failed (the service's text for people), while there is no list. */
  suggestionsError: string | undefined;
  private readonly members = new LRUCache<string, Members>({ max: 500 });
  readonly health: Health = { basic: false, syntaxOnly: false, unavailable: false, down: false, unauthorized: false };
  onChange: () => void = () => undefined;

  constructor(
    public service: HintsService,
    public scope: Scope | undefined,
  ) {}

  setScope(scope: Scope | undefined, service = this.service): void {
    if (service !== this.service) this.setHealth({ unauthorized: false });
    const key = scope ? `${scope.executionId}\u0000${scope.stepIndex}` : '';
    if (key === this.scopeKey && service === this.service) return;
    this.service = service;
    this.scope = scope;
    this.scopeKey = key;
    this.suggestions = undefined;
    this.suggestionsError = undefined;
    this.suggestionsLoad = undefined;
    this.members.clear();
    if (scope) void this.loadSuggestions();
    this.onChange();
  }

  /** The variable list at hand (undefined until the first answer). */
  cachedSuggestions(): Suggestions | undefined {
    return this.suggestions;
  }

  /** Fetches the list when there is none or it is older than a few seconds; one load at a time. */
  loadSuggestions(force = false): Promise<Suggestions | undefined> {
    const scope = this.scope;
    if (!scope) return Promise.resolve(undefined);
    if (this.suggestionsLoad) return this.suggestionsLoad;
    if (!force && this.suggestions && Date.now() - this.suggestionsAt < BACKGROUND_REFRESH_MS) return Promise.resolve(this.suggestions);
    const key = this.scopeKey;
    const load = this.track(
      this.service.suggestions(scope.executionId, scope.stepIndex, new AbortController().signal),
      (answer) => answer.mode === 'basic',
    )
      .then((answer) => {
        if (key !== this.scopeKey) return undefined;
        // A basic answer holds what the instance happened to keep; the list already here is at least as good.
        if (answer.mode === 'basic' && this.suggestions) {
          this.setHealth({ basic: true });
          this.suggestionsAt = Date.now();
          return this.suggestions;
        }
        this.suggestions = answer;
        this.suggestionsError = undefined;
        this.suggestionsAt = Date.now();
        this.setHealth({ basic: answer.mode === 'basic' });
        return answer;
      })
      .catch((error: unknown) => {
        if (key === this.scopeKey)
          this.suggestionsError = error instanceof ServiceError ? (error.userMessage ?? error.message) : String(error);
        return undefined;
      })
      .finally(() => {
        if (this.suggestionsLoad === load) this.suggestionsLoad = undefined;
      });
    this.suggestionsLoad = load;
    return load;
  }

  cachedMembers(path: string): Members | undefined {
    return this.members.get(`${this.scopeKey}\u0000${path}`);
  }

  /** The members of the value at `path` (`product_info.specs`, `items[0]`). */
  async loadMembers(path: string, signal: AbortSignal): Promise<Members> {
    const scope = this.scope;
    if (!scope) return { kind: 'error', message: '' };
    const key = `${this.scopeKey}\u0000${path}`;
    let members: Members;
    try {
      const answer = await this.track(this.service.properties(scope.executionId, path, signal));
      if (answer.data_type === 'object') members = { kind: 'object', properties: answer.properties };
      else if (answer.data_type === 'array') members = { kind: 'array', elements: await this.loadElements(path, signal) };
      else members = { kind: 'scalar', dataType: answer.data_type };
    } catch (error) {
      // Not cached: the service may answer once it (or its store) is back.
      if (signal.aborted || (error instanceof ServiceError && error.kind !== 'http')) throw error;
      members = { kind: 'error', message: error instanceof ServiceError ? (error.userMessage ?? error.message) : String(error) };
    }
    this.members.set(key, members);
    return members;
  }

  /** Which of `[0]`, `[1]`, `[2]`, `[-1]` exist, with their values: validate answers all four in one request. */
  private async loadElements(path: string, signal: AbortSignal): Promise<ElementPreview[]> {
    const scope = this.scope!;
    const references = ELEMENT_INDEXES.map((index) => '${' + `${path}[${index}]` + '}');
    const results = await this.track(this.service.validate(scope.executionId, scope.stepIndex, references, signal), isSyntaxOnly);
    // Grammar-only answers say nothing about which elements exist: nothing to cache.
    if (isSyntaxOnly(results)) throw new ServiceError('unavailable', 'validate answered syntax_only');
    const elements: ElementPreview[] = [];
    results.forEach((result, position) => {
      if (result.is_valid)
        elements.push({ index: ELEMENT_INDEXES[position], dataType: result.data_type ?? '', value: result.resolved_value });
    });
    return elements;
  }

  itemsFor(members: Members, separator: '.' | '[', query: string): MenuItem[] {
    if (members.kind === 'object') return separator === '.' ? propertyItems(members.properties, query) : [];
    if (members.kind === 'array') return elementItems(members.elements, separator === '[' ? query : '');
    return [];
  }

  /** Every call goes through here: an answer means the service is up, a network failure or 503/504 that it is down. */
  track<T>(call: Promise<T>, degraded: (value: T) => boolean = () => false): Promise<T> {
    return call.then(
      (value) => {
        // A degraded answer (basic, syntax_only) proves the service is up, not that its store is back.
        this.setHealth(degraded(value) ? { down: false, unauthorized: false } : { down: false, unavailable: false, unauthorized: false });
        return value;
      },
      (error: unknown) => {
        if (error instanceof ServiceError && error.kind === 'unreachable') this.setHealth({ down: true });
        else if (error instanceof ServiceError && error.kind === 'unavailable') this.setHealth({ down: false, unavailable: true });
        else if (error instanceof ServiceError) this.setHealth({ down: false, unauthorized: error.status === 401 });
        throw error;
      },
    );
  }

  setHealth(change: Partial<Health>): void {
    let changed = false;
    for (const [name, value] of Object.entries(change) as Array<[keyof Health, boolean]>) {
      if (this.health[name] !== value) {
        this.health[name] = value;
        changed = true;
      }
    }
    if (changed) this.onChange();
  }
}
