import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export type ApiResponse = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

const JSON_TYPE = 'application/json; charset=utf-8';

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return jsonText(statusCode, JSON.stringify(body), headers);
}

/** For bodies already serialized (e.g. cached). */
export function jsonText(statusCode: number, body: string, headers: Record<string, string> = {}): ApiResponse {
  return { statusCode, headers: { 'Content-Type': JSON_TYPE, ...headers }, body };
}

export function noContent(headers: Record<string, string> = {}): ApiResponse {
  return { statusCode: 204, headers, body: '' };
}
