/**
 * What the page needs from the variable service (API.md §5 "Smart hints", "Resolution"), as a
 * port: the editor code depends on this interface, only ./typed-client-adapter knows the client.
 * Every call takes an AbortSignal so a superseded request is cancelled, not merely ignored.
 */

export type DataType = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'null';

export interface SuggestedVariable {
  name: string;
  data_type: DataType;
  source_step_index: number;
  source_api_method: string | null;
  preview_value: string;
}

export interface Suggestions {
  variables: SuggestedVariable[];
  mode: 'full' | 'basic';
}

export interface SearchMatch {
  name: string;
  match_score: number;
  data_type: DataType;
  source_step_index: number;
  preview_value: string;
}

export interface Property {
  name: string;
  type: DataType;
  value?: unknown;
  preview_value?: string;
  value_truncated?: boolean;
  path: string;
}

export interface Properties {
  variable_name: string;
  data_type: DataType;
  properties: Property[];
}

export type ValidationResult =
  | { reference: string; is_valid: true; resolved_value: unknown; data_type: DataType; mode?: string }
  | { reference: string; is_valid: false; error_code: string; error: string; suggestion: string | null; mode?: string };

export interface ReferenceRecord {
  parameter_name: string;
  reference_path: string;
  original_expression: string;
  resolved_value: string | null;
  resolution_status: 'success' | 'failed';
  error_code: string | null;
  error_message: string | null;
}

export interface Resolution {
  params: unknown;
  references: ReferenceRecord[];
  resolved_count: number;
  unresolved_count: number;
}

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
  token?: string;
  language: string;
}
