/**
 * What the page needs from the variable service (API.md §5 "Smart hints", "Resolution"), as a
 * port: the editor code depends on this interface, only ./typed-client-adapter knows the client.
 * Every call takes an AbortSignal so a superseded request is cancelled, not merely ignored.
 */

import type { Schemas } from '@variable-service/client';

// The service's own types (generated from its OpenAPI document), so the page breaks at compile
// time when the contract moves.
export type DataType = Schemas['DataType'];
export type SuggestedVariable = Schemas['SuggestionItem'];
export type Suggestions = Pick<Schemas['Suggestions'], 'variables' | 'mode'>;
export type SearchMatch = Schemas['SearchResult']['matches'][number];
export type Property = Schemas['PropertyHint'];
export type Properties = Pick<Schemas['VariableProperties'], 'variable_name' | 'data_type' | 'properties'>;
export type ValidationResult = Schemas['ValidationResult'];
export type ReferenceRecord = Schemas['ReferenceRecord'];
export type Resolution = Pick<Schemas['ResolveResult'], 'params' | 'references' | 'resolved_count' | 'unresolved_count'>;

/** Why a call failed, in the terms the page acts on. */
export class ServiceError extends Error {
  constructor(
    /** unreachable: no answer at all; unavailable: 503/504 (the service answers, its store does not); http: any other error answer. */
    readonly kind: 'unreachable' | 'unavailable' | 'http',
    message: string,
    readonly status?: number,
    readonly code?: string,
    /** The service's text for people (API.md §2 `user_message`), in the browser's language. */
    readonly userMessage?: string,
  ) {
    super(message);
  }
}

export interface HintsService {
  suggestions(executionId: string, stepIndex: number, signal: AbortSignal): Promise<Suggestions>;
  search(executionId: string, stepIndex: number, query: string, signal: AbortSignal): Promise<SearchMatch[]>;
  properties(executionId: string, path: string, signal: AbortSignal): Promise<Properties>;
  validate(executionId: string, stepIndex: number, references: string[], signal: AbortSignal): Promise<ValidationResult[]>;
  resolve(executionId: string, stepIndex: number, params: unknown, signal: AbortSignal): Promise<Resolution>;
}

export interface ConnectionSettings {
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` (a deployed stage's JWT, or the local API_TOKEN). */
  token?: string;
  /** Sent as Accept-Language: the service's texts for people follow it. */
  language: string;
  /** Instead of the global fetch (tests). */
  fetch?: typeof fetch;
}
