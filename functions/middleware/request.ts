import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { ApiError, excerpt } from '#domain/errors';
import { parseJson } from '#domain/ordered-json';
import { nestingDepth } from '#domain/json';

const MAX_BODY_DEPTH = 512;
/** JSON is UTF-8 (RFC 8259): a body with invalid bytes is refused rather than stored with U+FFFD in place of them. */
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Header names lower-cased: HTTP header names are case-insensitive. */
export function lowerCaseHeaders(headers: APIGatewayProxyEventV2['headers']): Record<string, string | undefined> {
  const lowered: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) lowered[name.toLowerCase()] = value;
  return lowered;
}

/** JSON when Content-Type is absent, application/json or application/*+json, with any parameters. */
function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined || contentType.trim() === '') return true;
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[^/]+\+json$/.test(mediaType);
}

/**
 * The request's JSON body (API.md §2): a JSON media type, at most 2 MiB, UTF-8, object keys in the
 * order sent and `__proto__` an ordinary key (domain/ordered-json); undefined when there is none.
 */
export function readJsonBody(event: APIGatewayProxyEventV2, headers: Readonly<Record<string, string | undefined>>): unknown {
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
