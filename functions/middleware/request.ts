import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { ApiError } from '#domain/errors';
import { isExecutionId, isVariableName } from '#domain/identifiers';
import { languageFrom, type Language } from '#domain/language';
import { parseJson } from '#domain/ordered-json';

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
  if (event.body === undefined || event.body === null || event.body === '') return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new ApiError('PAYLOAD_TOO_LARGE', `Request body of ${bytes.length} bytes is over the 2 MiB limit`, { limit_bytes: MAX_BODY_BYTES, size_bytes: bytes.length });
  }
  if (!isJsonContentType(headers['content-type'])) {
    throw new ApiError('UNSUPPORTED_MEDIA_TYPE', `Content-Type '${headers['content-type']}' is not JSON`, { content_type: headers['content-type'] });
  }
  try {
    return parseJson(bytes.toString('utf8'));
  } catch (error) {
    throw new ApiError('INVALID_JSON', 'Request body is not valid JSON', { reason: (error as Error).message.slice(0, 200) });
  }
}

export function parseRequest(event: APIGatewayProxyEventV2, context: Context, receivedAt: Date): ApiRequest {
  const headers = lowerCaseHeaders(event.headers);
  const pathParameters = Object.fromEntries(Object.entries(event.pathParameters ?? {}).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const executionId = pathParameters.execution_id;
  if (executionId !== undefined && !isExecutionId(executionId)) {
    throw new ApiError('INVALID_EXECUTION_ID', `Invalid execution id '${executionId}'`, { execution_id: executionId });
  }
  const variableName = pathParameters.variable_name;
  if (variableName !== undefined && !isVariableName(variableName)) {
    throw new ApiError('INVALID_VARIABLE_NAME', `Invalid variable name '${variableName}'`, { variable_name: variableName });
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
