import type { Language } from '#domain/language';

/** The stable error codes of API.md §2, with their HTTP status and error_type. */
export const ERROR_CATALOG = {
  INVALID_REQUEST: { status: 400, errorType: 'validation_error' },
  INVALID_JSON: { status: 400, errorType: 'validation_error' },
  INVALID_EXECUTION_ID: { status: 400, errorType: 'validation_error' },
  INVALID_VARIABLE_NAME: { status: 400, errorType: 'validation_error' },
  INVALID_STEP_INDEX: { status: 400, errorType: 'validation_error' },
  UNAUTHORIZED: { status: 401, errorType: 'api_error' },
  VARIABLE_NOT_FOUND: { status: 404, errorType: 'business_logic_error' },
  PROPERTY_NOT_FOUND: { status: 404, errorType: 'business_logic_error' },
  ROUTE_NOT_FOUND: { status: 404, errorType: 'api_error' },
  METHOD_NOT_ALLOWED: { status: 405, errorType: 'api_error' },
  REQUEST_IN_PROGRESS: { status: 409, errorType: 'business_logic_error' },
  VERSION_MISMATCH: { status: 412, errorType: 'business_logic_error' },
  VALUE_TOO_LARGE: { status: 413, errorType: 'validation_error' },
  PAYLOAD_TOO_LARGE: { status: 413, errorType: 'validation_error' },
  RESPONSE_TOO_LARGE: { status: 413, errorType: 'validation_error' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, errorType: 'validation_error' },
  UNRESOLVED_REFERENCES: { status: 422, errorType: 'business_logic_error' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, errorType: 'business_logic_error' },
  RATE_LIMITED: { status: 429, errorType: 'api_error' },
  SERVICE_UNAVAILABLE: { status: 503, errorType: 'database_error' },
  OVERLOADED: { status: 503, errorType: 'system_error' },
  TIMEOUT: { status: 504, errorType: 'system_error' },
  INTERNAL_ERROR: { status: 500, errorType: 'system_error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;
export type ErrorType = (typeof ERROR_CATALOG)[ErrorCode]['errorType'];

/** A failure the client is meant to see, in the one error shape. `message` is English and names the offending token. */
export class ApiError extends Error {
  readonly status: number;
  readonly errorType: ErrorType;
  /** Why, in internal terms, for the logs; never sent to the client. */
  internalReason?: string;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_CATALOG[code].status;
    this.errorType = ERROR_CATALOG[code].errorType;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;

/** Client-supplied text quoted in a message is cut: enough to recognise, not an echo chamber. */
export function excerpt(text: string, max = 100): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** How long a client should wait before retrying a 503/429. */
export const RETRY_AFTER_SECONDS = '1';

/** `reason` (e.g. the SDK error's name) is for the logs only: clients get no internal detail. */
export function serviceUnavailable(reason: string): ApiError {
  const error = new ApiError('SERVICE_UNAVAILABLE', 'The database is unavailable; retry later', {}, { 'Retry-After': RETRY_AFTER_SECONDS });
  error.internalReason = reason;
  return error;
}

/** 404 for a variable the execution does not hold (GET, DELETE, properties). */
export function variableNotFound(executionId: string, name: string): ApiError {
  return new ApiError('VARIABLE_NOT_FOUND', `Variable '${name}' not found in execution '${executionId}'`, { variable_name: name });
}

interface PeopleTexts {
  user_message: string;
  suggestions: string[];
}

const EN: Record<ErrorCode, PeopleTexts> = {
  INVALID_REQUEST: { user_message: 'The request is not valid.', suggestions: ['Check the fields named in error.details and try again.'] },
  INVALID_JSON: { user_message: 'The request body is not valid JSON.', suggestions: ['Send a well-formed JSON document.'] },
  INVALID_EXECUTION_ID: {
    user_message: 'The execution id is not valid.',
    suggestions: ['Use 1-64 letters, digits, "_" or "-", starting with a letter or digit.'],
  },
  INVALID_VARIABLE_NAME: {
    user_message: 'The variable name is not valid.',
    suggestions: ['Start with a letter or "_", then letters, digits or "_" (at most 255 characters).'],
  },
  INVALID_STEP_INDEX: { user_message: 'The step index is not valid.', suggestions: ['Use an integer from 0 to 100000.'] },
  UNAUTHORIZED: { user_message: 'Authentication is required.', suggestions: ['Send "Authorization: Bearer <token>".'] },
  VARIABLE_NOT_FOUND: {
    user_message: 'The variable does not exist in this execution.',
    suggestions: ["Check the spelling, or list the execution's variables."],
  },
  PROPERTY_NOT_FOUND: {
    user_message: 'The property does not exist in this variable.',
    suggestions: ["Check the path, or list the variable's properties."],
  },
  ROUTE_NOT_FOUND: { user_message: 'There is no such endpoint.', suggestions: ['See /api/openapi.json for the available endpoints.'] },
  METHOD_NOT_ALLOWED: {
    user_message: 'This endpoint does not support that method.',
    suggestions: ['Use one of the methods in the Allow header.'],
  },
  REQUEST_IN_PROGRESS: {
    user_message: 'The same request is still being processed.',
    suggestions: ['Wait a moment and retry with the same Idempotency-Key.'],
  },
  VERSION_MISMATCH: {
    user_message: 'The variable was changed by someone else.',
    suggestions: ['Read the variable again and retry with its current version in If-Match.'],
  },
  VALUE_TOO_LARGE: {
    user_message: 'The value is larger than 1 MiB.',
    suggestions: ['Store a smaller value, or split it into several variables.'],
  },
  PAYLOAD_TOO_LARGE: { user_message: 'The request is too large.', suggestions: ['Send a smaller request.'] },
  RESPONSE_TOO_LARGE: {
    user_message: 'The answer would be larger than 5 MiB.',
    suggestions: ['Ask for less at once: fewer references, or smaller values.'],
  },
  UNSUPPORTED_MEDIA_TYPE: { user_message: 'The request body must be JSON.', suggestions: ['Send "Content-Type: application/json".'] },
  UNRESOLVED_REFERENCES: {
    user_message: 'Some references could not be resolved.',
    suggestions: ['Check the failed references in error.details.'],
  },
  IDEMPOTENCY_KEY_REUSED: {
    user_message: 'This Idempotency-Key was already used with a different request.',
    suggestions: ['Use a new Idempotency-Key for a different request.'],
  },
  RATE_LIMITED: { user_message: 'Too many requests.', suggestions: ['Retry after the time given in the Retry-After header.'] },
  SERVICE_UNAVAILABLE: {
    user_message: 'The service is temporarily unavailable.',
    suggestions: ['Retry after the time given in the Retry-After header.'],
  },
  OVERLOADED: { user_message: 'The service is busy.', suggestions: ['Retry after the time given in the Retry-After header.'] },
  TIMEOUT: { user_message: 'The request took too long.', suggestions: ['Retry the request.'] },
  INTERNAL_ERROR: {
    user_message: 'Something went wrong on our side.',
    suggestions: ['Retry the request; if it keeps failing, contact support with the request_id.'],
  },
};

const ZH: Record<ErrorCode, PeopleTexts> = {
  INVALID_REQUEST: { user_message: '请求无效。', suggestions: ['请检查 error.details 中指出的字段后重试。'] },
  INVALID_JSON: { user_message: '请求体不是有效的 JSON。', suggestions: ['请发送格式正确的 JSON 文档。'] },
  INVALID_EXECUTION_ID: { user_message: '执行 ID 无效。', suggestions: ['请使用 1-64 个字母、数字、"_" 或 "-"，并以字母或数字开头。'] },
  INVALID_VARIABLE_NAME: {
    user_message: '变量名无效。',
    suggestions: ['变量名须以字母或 "_" 开头，后跟字母、数字或 "_"（最多 255 个字符）。'],
  },
  INVALID_STEP_INDEX: { user_message: '步骤索引无效。', suggestions: ['请使用 0 到 100000 之间的整数。'] },
  UNAUTHORIZED: { user_message: '需要身份验证。', suggestions: ['请发送 "Authorization: Bearer <token>"。'] },
  VARIABLE_NOT_FOUND: { user_message: '该执行中不存在此变量。', suggestions: ['请检查拼写，或列出该执行的变量。'] },
  PROPERTY_NOT_FOUND: { user_message: '该变量中不存在此属性。', suggestions: ['请检查路径，或列出该变量的属性。'] },
  ROUTE_NOT_FOUND: { user_message: '接口不存在。', suggestions: ['可用接口见 /api/openapi.json。'] },
  METHOD_NOT_ALLOWED: { user_message: '该接口不支持此方法。', suggestions: ['请使用 Allow 响应头中列出的方法。'] },
  REQUEST_IN_PROGRESS: { user_message: '相同的请求仍在处理中。', suggestions: ['请稍后使用相同的 Idempotency-Key 重试。'] },
  VERSION_MISMATCH: { user_message: '变量已被他人修改。', suggestions: ['请重新读取变量，并在 If-Match 中使用其当前版本重试。'] },
  VALUE_TOO_LARGE: { user_message: '变量值超过 1 MiB。', suggestions: ['请存储更小的值，或拆分为多个变量。'] },
  PAYLOAD_TOO_LARGE: { user_message: '请求过大。', suggestions: ['请发送更小的请求。'] },
  RESPONSE_TOO_LARGE: { user_message: '响应将超过 5 MiB。', suggestions: ['请一次请求更少的内容：更少的引用或更小的值。'] },
  UNSUPPORTED_MEDIA_TYPE: { user_message: '请求体必须是 JSON。', suggestions: ['请发送 "Content-Type: application/json"。'] },
  UNRESOLVED_REFERENCES: { user_message: '部分引用无法解析。', suggestions: ['请查看 error.details 中解析失败的引用。'] },
  IDEMPOTENCY_KEY_REUSED: {
    user_message: '该 Idempotency-Key 已用于另一个不同的请求。',
    suggestions: ['不同的请求请使用新的 Idempotency-Key。'],
  },
  RATE_LIMITED: { user_message: '请求过于频繁。', suggestions: ['请在 Retry-After 响应头给出的时间后重试。'] },
  SERVICE_UNAVAILABLE: { user_message: '服务暂时不可用。', suggestions: ['请在 Retry-After 响应头给出的时间后重试。'] },
  OVERLOADED: { user_message: '服务繁忙。', suggestions: ['请在 Retry-After 响应头给出的时间后重试。'] },
  TIMEOUT: { user_message: '请求处理超时。', suggestions: ['请重试该请求。'] },
  INTERNAL_ERROR: { user_message: '服务内部出现问题。', suggestions: ['请重试；如果持续失败，请携带 request_id 联系支持人员。'] },
};

export function peopleTexts(code: ErrorCode, language: Language): PeopleTexts {
  return (language === 'zh' ? ZH : EN)[code];
}

export interface ErrorBody {
  success: false;
  error: {
    code: ErrorCode;
    error_type: ErrorType;
    message: string;
    details: Record<string, unknown>;
    request_id: string;
    timestamp: string;
  };
  user_message: string;
  suggestions: string[];
}

export function errorBody(error: ApiError, requestId: string, timestamp: string, language: Language): ErrorBody {
  const texts = peopleTexts(error.code, language);
  return {
    success: false,
    error: {
      code: error.code,
      error_type: error.errorType,
      message: error.message,
      details: error.details,
      request_id: requestId,
      timestamp,
    },
    user_message: texts.user_message,
    suggestions: texts.suggestions,
  };
}
