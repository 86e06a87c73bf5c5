import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';

export interface TestRequest {
  method?: string;
  /** The request path, e.g. `/api/v1/executions/run-1/variables/a`. */
  path?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** A string is sent as is; anything else as its JSON. */
  body?: unknown;
  /** What `getRemainingTimeInMillis` starts from (the function's timeout). */
  remainingMs?: number;
}

let counter = 0;

/** An API Gateway HTTP API (payload 2.0) event and a Lambda context, as the integration hands them to a handler. */
export function createTestEvent(request: TestRequest = {}): { event: APIGatewayProxyEventV2; context: Context } {
  const { method = 'GET', path = '/', pathParameters, query, headers = {}, body, remainingMs = 10_000 } = request;
  counter += 1;
  const requestId = `test-request-${counter}`;
  const now = new Date();
  const rawQueryString = new URLSearchParams(query ?? {}).toString();
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString,
    headers: { host: 'test.local', ...headers },
    queryStringParameters: query,
    pathParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'test.local',
      domainPrefix: 'test',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '198.51.100.7', userAgent: 'jest' },
      requestId,
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    isBase64Encoded: false,
  };
  const deadline = Date.now() + remainingMs;
  const context: Context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'test-function',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:000000000000:function:test-function',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/test-function',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  return { event, context };
}

/** A structured result's JSON body. */
export function jsonBody(result: unknown): Record<string, unknown> {
  return JSON.parse((result as { body: string }).body) as Record<string, unknown>;
}
