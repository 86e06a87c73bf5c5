/**
 * Where each operation is served: its method and path template (API Gateway's `{name}` is one path
 * segment). Each entry (functions/routes/*) takes its own from here, and the fallback function tells
 * 404 from 405 by this table alone, without any route's schemas.
 */
import type { HttpMethod } from '#functions/routes/contract';

export const EXECUTION = '/api/v1/executions/{execution_id}';
/** The original step editor's paths (API.md §5 "Compatibility with the original step editor"). */
const COMPAT_EXECUTION = '/api/executions/{execution_id}';

export interface RouteAddress {
  method: HttpMethod;
  path: string;
}

/** In the route table's order. */
export const ADDRESS = {
  StoreVariable: { method: 'PUT', path: `${EXECUTION}/variables/{variable_name}` },
  StoreVariables: { method: 'POST', path: `${EXECUTION}/variables` },
  ListVariables: { method: 'GET', path: `${EXECUTION}/variables` },
  GetVariable: { method: 'GET', path: `${EXECUTION}/variables/{variable_name}` },
  DeleteVariable: { method: 'DELETE', path: `${EXECUTION}/variables/{variable_name}` },
  GetExecution: { method: 'GET', path: EXECUTION },
  DeleteExecution: { method: 'DELETE', path: EXECUTION },
  GetSuggestions: { method: 'GET', path: `${EXECUTION}/variable-suggestions` },
  SearchVariables: { method: 'GET', path: `${EXECUTION}/variable-suggestions/search` },
  GetProperties: { method: 'GET', path: `${EXECUTION}/variables/{variable_name}/properties` },
  ValidateReferences: { method: 'POST', path: `${EXECUTION}/variables/validate` },
  Resolve: { method: 'POST', path: `${EXECUTION}/resolve` },
  ListReferences: { method: 'GET', path: `${EXECUTION}/variable-references` },
  GetSuggestionsCompat: { method: 'GET', path: `${COMPAT_EXECUTION}/variable-suggestions` },
  GetPropertiesCompat: { method: 'GET', path: `${COMPAT_EXECUTION}/variables/{variable_name}/properties` },
  Health: { method: 'GET', path: '/api/health' },
  OpenApi: { method: 'GET', path: '/api/openapi.json' },
} as const satisfies Record<string, RouteAddress>;
