/** The headers every answer with a given error status carries (for the OpenAPI document and the contract checks). */
import * as z from 'zod/mini';
import type { HeaderContract } from '#functions/routes/contract';
import { RETRY_AFTER } from '#functions/routes/headers';

const WWW_AUTHENTICATE: HeaderContract = { description: 'Always `Bearer`', schema: z.literal('Bearer'), required: true };
const ALLOW: HeaderContract = { description: 'The methods this path serves, e.g. `GET, PUT`', schema: z.string(), required: true };

/** Headers every answer with this error status carries. */
export const ERROR_STATUS_HEADERS: Record<number, Record<string, HeaderContract>> = {
  401: { 'WWW-Authenticate': WWW_AUTHENTICATE },
  405: { Allow: ALLOW },
  // REQUEST_IN_PROGRESS: the first request with this Idempotency-Key is still running.
  409: { 'Retry-After': RETRY_AFTER },
  429: { 'Retry-After': RETRY_AFTER },
  503: { 'Retry-After': RETRY_AFTER },
};
