import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { ApiError, excerpt } from '#domain/errors';
import { isExecutionId, isVariableName } from '#domain/identifiers';
import { languageFrom, type Language } from '#domain/language';
import { parseJson } from '#domain/ordered-json';
import { parseReferencePath } from '#domain/references/grammar';
import { nestingDepth } from '#domain/json';

const MAX_BODY_DEPTH = 512;
/** JSON is UTF-8 (RFC 8259): a body with invalid bytes is refused rather than stored with U+FFFD in place of them. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** What a handler needs of an HTTP request, already checked against API.md §2. */
export interface ApiRequest {
  method: string;
  path: string;
  executionId: string;
  pathParameters: Record<string, string>;
  query: Record<string, string | undefined>;
  /** Header names lower-cased. */
  headers: Record<string, string | undefined>;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
  language: Language;
  requestId: string;
  receivedAt: Date;
  /** The Lambda context (the local server makes one per request). */
  context: Context;
}

function lowerCaseHeaders(headers: APIGatewayProxyEventV2['headers']): Record<string, string | undefined> {
  const lowered: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) lowered[name.toLowerCase()] = value;
  return lowered;
}

/** JSON when Content-Type is absent, application/json or application/*+json, with any parameters. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return true;
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[^/]+\+json$/.test(mediaType);
}

function readBody(event: APIGatewayProxyEventV2, headers: Record<string, string | undefined>): unknown {
  // GET and DELETE take no body: whatever is sent is ignored rather than parsed.
  const method = event.requestContext.http.method.toUpperCase();
  if (method === 'GET' || method === 'DELETE' || method === 'HEAD') return undefined;
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (!isJsonContentType(headers['content-type'])) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `Content-Type '${excerpt(headers['content-type'] ?? '')}' is not JSON`, {
      content_type: excerpt(headers['content-type'] ?? ''),
    });
  }
  if (bytes.length > MAX_BODY_BYTES) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `Request body of ${bytes.length} bytes is over the 2 MiB limit`, {
      limit_bytes: MAX_BODY_BYTES,
      size_bytes: bytes.length,
    });
  }
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new ApiError('INVALID_JSON', 'Request body is not valid UTF-8, so it is not JSON', {});
  }
  // Only JSON white space is no body at all, as an empty one is (API.md: "No body … → 400 INVALID_REQUEST").
  if (/^[ \t\n\r]*$/.test(text)) return undefined;
  let body: unknown;
  try {
    body = parseJson(text);
  } catch {
    // The parser's message quotes the body, which may hold a secret: it is never passed on.
    throw new ApiError('INVALID_JSON', 'Request body is not valid JSON', {});
  }
  // Far past any legal body (values nest at most 64 deep; each field's own check says which item is
  // wrong): this bound only keeps recursive code (JSON.stringify, hashing) from overflowing the stack.
  if (nestingDepth(body) > MAX_BODY_DEPTH) {
    throw new ApiError('INVALID_REQUEST', `Request body is nested deeper than ${MAX_BODY_DEPTH} levels`, { field: 'body' });
  }
  return body;
}

export interface ParseOptions {
  /** A path parameter that holds a reference path (§4 grammar without the braces) rather than a plain name. */
  referencePathParameter?: string;
}

/** A name, or a reference path whose root is a name (`product_info.specs`, `items[-1].tags`). */
function isNameOrPath(value: string, allowPath: boolean): boolean {
  if (!allowPath) return isVariableName(value);
  const path = parseReferencePath(value);
  return path.ok && isVariableName(path.root);
}

export function parseRequest(event: APIGatewayProxyEventV2, context: Context, receivedAt: Date, options: ParseOptions = {}): ApiRequest {
  const headers = lowerCaseHeaders(event.headers);
  const pathParameters = Object.fromEntries(
    Object.entries(event.pathParameters ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  const executionId = pathParameters.execution_id;
  if (executionId !== undefined && !isExecutionId(executionId)) {
    throw new ApiError('INVALID_EXECUTION_ID', `Invalid execution id '${excerpt(executionId)}'`, { execution_id: excerpt(executionId) });
  }
  const variableName = pathParameters.variable_name;
  if (variableName !== undefined && !isNameOrPath(variableName, options.referencePathParameter === 'variable_name')) {
    throw new ApiError('INVALID_VARIABLE_NAME', `Invalid variable name '${excerpt(variableName)}'`, {
      variable_name: excerpt(variableName),
    });
  }
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    executionId: executionId ?? '',
    pathParameters,
    query: event.queryStringParameters ?? {},
    headers,
    body: readBody(event, headers),
    language: languageFrom(headers['accept-language']),
    requestId: context.awsRequestId,
    receivedAt,
    context,
  };
}
