import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { FALLBACK_ROUTE, matchRoute, ROUTES } from '#functions/routes';
import { ApiError } from '#domain/errors';
import { settings } from '#functions/composition/settings';
import { corsHeaders } from '#middleware/cors';
import { toErrorResponse } from '#middleware/error-response';
import { logger } from '#observability/powertools';

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** API Gateway's own payload limit; the handlers enforce the API's 2 MiB rule themselves. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
const LAMBDA_TIMEOUT_MS = 10_000;

/** Loads every route's handler once at start, as Lambda would load each function's module. */
export function loadHandlers(): { byModule: Map<string, LambdaHandler>; fallback: LambdaHandler } {
  const byModule = new Map<string, LambdaHandler>();
  for (const route of ROUTES) {
    byModule.set(route.handler, require(`../../functions/handlers/${route.handler}`).handler as LambdaHandler);
  }
  const fallback = require(`../../functions/handlers/${FALLBACK_ROUTE.handler}`).handler as LambdaHandler;
  return { byModule, fallback };
}

function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + LAMBDA_TIMEOUT_MS;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= GATEWAY_MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > GATEWAY_MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The API Gateway HTTP API (payload 2.0) event for one request, as the Lambda integration sends it. */
export function toEvent(
  request: IncomingMessage,
  body: Buffer,
  routeKey: string,
  pathParameters: Record<string, string> | undefined,
): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://local');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    queryStringParameters: Object.keys(query).length > 0 ? query : undefined,
    pathParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: (request.method ?? 'GET').toUpperCase(),
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: body.length > 0 ? body.toString('base64') : undefined,
    isBase64Encoded: body.length > 0,
  };
}

/** Serves one HTTP request through the same handler exports Lambda runs. */
export async function serveRequest(
  handlers: ReturnType<typeof loadHandlers>,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const body = await readBody(request);
  const method = (request.method ?? 'GET').toUpperCase();
  const path = new URL(request.url ?? '/', 'http://local').pathname;
  // HEAD is GET without the body (RFC 9110 §9.3.2), on every GET route: health and the OpenAPI document stay open to it.
  let match = matchRoute(method, path);
  if (method === 'HEAD' && match.kind !== 'matched') {
    const asGet = matchRoute('GET', path);
    if (asGet.kind === 'matched') match = asGet;
  }
  let result: APIGatewayProxyStructuredResultV2;
  if (body === 'too-large') {
    // API Gateway refuses such bodies before any function runs; the answer still uses the API's error shape.
    const error = new ApiError('PAYLOAD_TOO_LARGE', `Request body is over the gateway's ${GATEWAY_MAX_BODY_BYTES}-byte limit`, {
      limit_bytes: GATEWAY_MAX_BODY_BYTES,
    });
    const event = toEvent(request, Buffer.alloc(0), '$default', undefined);
    result = toErrorResponse(error, event, event.requestContext.requestId, logger);
    Object.assign(result.headers!, corsHeaders(settings.corsOrigins, event.headers.origin));
  } else if (match.kind === 'matched') {
    const handler = handlers.byModule.get(match.route.handler)!;
    result = await handler(
      toEvent(request, body, `${match.route.method} ${match.route.path}`, match.pathParameters),
      lambdaContext(match.route.operation),
    );
  } else {
    result = await handlers.fallback(toEvent(request, body, '$default', undefined), lambdaContext(FALLBACK_ROUTE.operation));
  }
  const payload = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : Buffer.from(result.body ?? '', 'utf8');
  response.writeHead(result.statusCode ?? 200, { ...(result.headers as Record<string, string>), 'Content-Length': String(payload.length) });
  response.end(method === 'HEAD' ? undefined : payload);
}
