import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** A request header by its lower-case name, whatever case the client (or the gateway) gave it. */
export function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}
